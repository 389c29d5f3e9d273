# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The RRC (ICDAR2015 Challenge 4) IoU protocol, vectorised over a dataset.

It reproduces ``evaluate_method`` of the official RRC ``script.py``:

1. A detection is *don't care* when its intersection with a don't-care
   ground truth exceeds ``area_precision_thr`` of its own area (a detection
   without area never is).
2. Care ground truths and care detections are matched one-to-one, greedily
   in ground-truth order and then detection order, when their IoU is
   strictly greater than ``iou_thr``.
3. ``recall = sum(matched) / sum(care gt)`` and
   ``precision = sum(matched) / sum(care det)`` over the whole set (0 when
   the denominator is 0); hmean is their harmonic mean (0 when both are 0).

Per-image numbers follow the script too: an image without care ground truth
has recall 1 and precision 1 if it has no care detection, else 0.

The geometry is computed once (:meth:`IoUTable.build`); matching at any
score threshold (:meth:`IoUTable.count`) reuses it, which is what lets the
online metric sweep thresholds cheaply and agree exactly with the files.
"""
from typing import Dict, List, Optional, Sequence

import numpy as np

from .geometry import flatten_samples
from .polygon_arrays import PolygonArrays, candidate_pairs, intersection_areas
from .structures import EvalSample

# slack of the pruning bounds, far above their rounding error
_EPS = 1e-9


def hmean(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both inputs are 0."""
    total = precision + recall
    return 0. if total == 0 else 2. * precision * recall / total


def _result(precision: float, recall: float, num_gt: int, num_det: int,
            num_matched: int) -> Dict:
    """The result dict of :func:`summarize` and :func:`per_image_result`."""
    return dict(
        precision=precision,
        recall=recall,
        hmean=hmean(precision, recall),
        num_gt_care=int(num_gt),
        num_det_care=int(num_det),
        num_matched=int(num_matched))


def summarize(num_gt: int, num_det: int, num_matched: int) -> Dict:
    """Global RRC precision/recall/hmean from the summed counts."""
    recall = 0. if num_gt == 0 else num_matched / num_gt
    precision = 0. if num_det == 0 else num_matched / num_det
    return _result(precision, recall, num_gt, num_det, num_matched)


def per_image_result(num_gt: int, num_det: int, num_matched: int) -> Dict:
    """Per-image RRC numbers, with the script's special cases."""
    if num_gt == 0:
        recall = 1.
        precision = 0. if num_det > 0 else 1.
    else:
        recall = num_matched / num_gt
        precision = 0. if num_det == 0 else num_matched / num_det
    return _result(precision, recall, num_gt, num_det, num_matched)


class IoUTable:
    """Geometry of a whole dataset, ready for matching at any threshold.

    Args:
        names (list[str]): Image ids.
        gt_img (np.ndarray): (N, ) image index of every ground truth.
        gt_care (np.ndarray): (N, ) bool, care ground truths.
        det_img (np.ndarray): (M, ) image index of every detection.
        det_care (np.ndarray): (M, ) bool, False for don't-care detections.
        det_score (np.ndarray): (M, ) detection scores.
        pair_gt (np.ndarray): (P, ) ground-truth index of the care/care
            pairs that may exceed ``iou_thr``, sorted by ground truth then
            detection.
        pair_det (np.ndarray): (P, ) detection index of those pairs.
        pair_iou (np.ndarray): (P, ) their IoU.
        iou_thr (float): The IoU threshold the pairs were pruned with.
    """

    def __init__(self, names: List[str], gt_img: np.ndarray,
                 gt_care: np.ndarray, det_img: np.ndarray,
                 det_care: np.ndarray, det_score: np.ndarray,
                 pair_gt: np.ndarray, pair_det: np.ndarray,
                 pair_iou: np.ndarray, iou_thr: float) -> None:
        self.names = names
        self.gt_img = gt_img
        self.gt_care = gt_care
        self.det_img = det_img
        self.det_care = det_care
        self.det_score = det_score
        self.pair_gt = pair_gt
        self.pair_det = pair_det
        self.pair_iou = pair_iou
        self.iou_thr = iou_thr

    @classmethod
    def build(cls,
              samples: Sequence[EvalSample],
              area_precision_thr: float = 0.5,
              iou_thr: float = 0.5) -> 'IoUTable':
        """Compute areas, don't-care detections and IoUs of all images.

        Pairs are pruned with cheap upper bounds before any exact geometry:
        the bounding-box overlap bounds the intersection, so a pair whose
        bound cannot exceed ``iou_thr`` (or, against a don't-care ground
        truth, ``area_precision_thr``) can change nothing.

        Args:
            samples (Sequence[EvalSample]): The images.
            area_precision_thr (float): Don't-care filtering threshold.
                Defaults to 0.5.
            iou_thr (float): A match needs IoU strictly above it.
                Defaults to 0.5.

        Returns:
            IoUTable: The table.
        """
        gt_polys, gt_img = flatten_samples([s.gt_polys for s in samples])
        det_polys, det_img = flatten_samples([s.det_polys for s in samples])
        gt_care = ~np.concatenate(
            [np.zeros(0, bool)] +
            [np.asarray(s.gt_ignored, dtype=bool) for s in samples])
        det_score = np.concatenate(  # no score: always kept
            [np.zeros(0)] + [s.scores_or_ones() for s in samples])
        gts, dets = PolygonArrays(gt_polys), PolygonArrays(det_polys)
        g, d = candidate_pairs(gts, gt_img, dets, det_img, len(samples))
        gt_area, det_area = gts.area[g], dets.area[d]
        # prune: bounding-box overlap >= intersection
        box = np.prod(
            np.minimum(gts.hi[g], dets.hi[d]) -
            np.maximum(gts.lo[g], dets.lo[d]),
            axis=1)
        bound = np.minimum(box, np.minimum(gt_area, det_area))
        care = gt_care[g]
        with np.errstate(divide='ignore', invalid='ignore'):
            keep = np.where(
                care, bound / (gt_area + det_area - bound) > iou_thr - _EPS,
                bound > (area_precision_thr - _EPS) * det_area)
        keep &= det_area > 0
        g, d, care = g[keep], d[keep], care[keep]
        inter = intersection_areas(gts, dets, g, d)  # all at once

        # 1. detections covering a don't-care ground truth: don't care
        dc_d = d[~care]
        det_care = np.ones(len(det_polys), dtype=bool)
        covered = inter[~care] / dets.area[dc_d] > area_precision_thr
        det_care[dc_d[covered]] = False

        # 2. IoU of the care/care pairs
        keep = care & det_care[d]
        g, d, inter = g[keep], d[keep], inter[keep]
        iou = inter / (gts.area[g] + dets.area[d] - inter)
        keep = inter > 0
        g, d, iou = g[keep], d[keep], iou[keep]
        return cls([s.name for s in samples], gt_img, gt_care, det_img,
                   det_care, det_score, g, d, iou, iou_thr)

    def count(self,
              score_thr: Optional[float] = None) -> Dict[str, np.ndarray]:
        """Per-image counts after dropping detections scored below a
        threshold.

        Args:
            score_thr (float, optional): Detections with a score below it
                are removed before matching; None keeps all.
                Defaults to None.

        Returns:
            dict: ``num_gt_care``, ``num_det_care`` and ``num_matched``,
            each an int array (num_images, ).
        """
        num_img = len(self.names)
        kept = self.det_care.copy()
        if score_thr is not None:
            kept &= self.det_score >= score_thr
        cand = (self.pair_iou > self.iou_thr) & kept[self.pair_det]
        matched = np.zeros(num_img, dtype=np.int64)
        used_gt, used_det = set(), set()
        # only candidate pairs above the threshold are visited
        for g, d in zip(self.pair_gt[cand].tolist(),
                        self.pair_det[cand].tolist()):
            if g in used_gt or d in used_det:
                continue
            used_gt.add(g)
            used_det.add(d)
            matched[self.gt_img[g]] += 1
        return dict(
            num_gt_care=np.bincount(
                self.gt_img[self.gt_care], minlength=num_img),
            num_det_care=np.bincount(self.det_img[kept], minlength=num_img),
            num_matched=matched)

    def evaluate(self,
                 score_thr: Optional[float] = None,
                 per_image: bool = False) -> Dict:
        """Global (and optionally per-image) precision, recall and hmean.

        Args:
            score_thr (float, optional): Score threshold. Defaults to None.
            per_image (bool): Add a ``per_image`` dict keyed by image id.
                Defaults to False.

        Returns:
            dict: See :func:`summarize`.
        """
        counts = self.count(score_thr)
        result = summarize(counts['num_gt_care'].sum(),
                           counts['num_det_care'].sum(),
                           counts['num_matched'].sum())
        if per_image:
            result['per_image'] = {
                name:
                per_image_result(counts['num_gt_care'][i],
                                 counts['num_det_care'][i],
                                 counts['num_matched'][i])
                for i, name in enumerate(self.names)
            }
        return result


def evaluate_iou(samples: Sequence[EvalSample],
                 iou_thr: float = 0.5,
                 area_precision_thr: float = 0.5,
                 score_thr: Optional[float] = None,
                 per_image: bool = False) -> Dict:
    """Evaluate a dataset with the RRC IoU protocol.

    Args:
        samples (Sequence[EvalSample]): The images.
        iou_thr (float): IoU threshold. Defaults to 0.5.
        area_precision_thr (float): Don't-care threshold. Defaults to 0.5.
        score_thr (float, optional): Score threshold. Defaults to None.
        per_image (bool): Also return per-image numbers. Defaults to False.

    Returns:
        dict: ``precision``, ``recall``, ``hmean``, ``num_gt_care``,
        ``num_det_care``, ``num_matched`` (and ``per_image``).
    """
    table = IoUTable.build(samples, area_precision_thr, iou_thr)
    return table.evaluate(score_thr, per_image)
