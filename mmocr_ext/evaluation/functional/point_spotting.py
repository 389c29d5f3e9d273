# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Point-based end-to-end text-spotting evaluation (the SPTS protocol).

Shared by :class:`~mmocr_ext.evaluation.metrics.PointSpottingMetric` and
``tools/eval_spotting.py``, so that online and offline numbers agree. It
follows mmocr ``projects/SPTS`` ``E2EPointMetric`` (v1.0.1); the rules:

1. **GT centre**: the mean of the polygon's vertices (``center='mean'``, as
   mmocr's ``poly_center``). For a quadrilateral this equals the training
   target centre (mean of the two edge midpoints); for longer polygons
   ``center='min_area_rect'`` gives the minimum-area-rectangle centre used
   for the training targets instead.
2. **Don't care**: a GT that is ``ignored`` or whose text is ``'###'``.
3. Predictions scored below the threshold are dropped; with a lexicon the
   remaining words are corrected, and those too far from every lexicon
   word dropped (:mod:`.point_spotting_lexicon`).
4. Each prediction, in output order, is assigned to the GT with the nearest
   centre (Euclidean; the first GT on ties). Nearest GT don't care: the
   prediction is ignored (neither TP nor FP). Otherwise it counts as a
   prediction, and is a TP if that GT is not matched yet and the texts are
   equal ignoring case (``str.upper``). With ``point_dist_thr`` set, a
   prediction farther than it from its (care) nearest GT is a FP.
5. An image without any care GT contributes nothing (mmocr: its predictions
   are not counted) unless ``count_fp_without_gt`` -- then the predictions
   of an image with no GT at all are FPs (with only don't-care GTs, every
   prediction is nearest a don't-care GT and ignored anyway).
6. TP, prediction and care-GT counts are summed over the dataset;
   precision = TP / predictions, recall = TP / care GTs (0 when the
   denominator is 0), hmean their harmonic mean.
7. Score thresholds ``start + k * step < stop`` (default 0.80 ... 0.99) are
   swept and the best hmean reported (the first threshold on ties), plus an
   optional fixed threshold. A prediction is kept if ``score >= thr``,
   compared in float32 (model scores are float32: 0.9 stored as float32 is
   0.89999998 and would fail a float64 ``>= 0.9``, as it does in mmocr).
"""
import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from shapely.geometry import MultiPoint

from .iou_protocol import hmean
from .point_spotting_lexicon import LexiconSet

CENTER_MODES = ('mean', 'min_area_rect')


def polygon_center(polygon: Sequence[float], mode: str = 'mean') -> np.ndarray:
    """Centre of a GT polygon.

    Args:
        polygon (Sequence[float]): Flat ``[x1, y1, x2, y2, ...]`` or (K, 2).
        mode (str): 'mean' (vertex mean) or 'min_area_rect'. Defaults to
            'mean'.

    Returns:
        np.ndarray: (2,) float64.
    """
    pts = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    if mode == 'mean' or len(pts) <= 2:
        return pts.mean(axis=0)
    if mode != 'min_area_rect':
        raise ValueError(f'center must be one of {CENTER_MODES}, got {mode}')
    rect = MultiPoint([tuple(p) for p in pts]).minimum_rotated_rectangle
    return np.asarray(rect.centroid.coords[0], dtype=np.float64)


@dataclass
class SpottingImage:
    """The inputs of one image.

    Attributes:
        name (str): Image file name (used for strong lexicons and errors).
        pred_points (np.ndarray): (N, 2) float64, x, y.
        pred_texts (list[str]): N words.
        pred_scores (np.ndarray): (N,) float64.
        gt_centers (np.ndarray): (M, 2) float64.
        gt_texts (list[str]): M words.
        gt_ignored (np.ndarray): (M,) bool, True for don't care (``'###'``
            included).
    """
    name: str
    pred_points: np.ndarray
    pred_texts: List[str]
    pred_scores: np.ndarray
    gt_centers: np.ndarray
    gt_texts: List[str]
    gt_ignored: np.ndarray

    @classmethod
    def build(cls,
              name: str,
              pred_points,
              pred_texts: Sequence[str],
              pred_scores,
              gt_polygons: Sequence,
              gt_texts: Sequence[str],
              gt_ignored=None,
              center: str = 'mean') -> 'SpottingImage':
        """Validate raw inputs and compute the GT centres.

        Args:
            name (str): Image file name.
            pred_points: (N, 2) array-like.
            pred_texts (Sequence[str]): N words.
            pred_scores: (N,) array-like.
            gt_polygons (Sequence): M polygons, each flat or (K, 2).
            gt_texts (Sequence[str]): M words.
            gt_ignored: (M,) bool array-like or None (none ignored).
            center (str): GT centre mode. Defaults to 'mean'.

        Raises:
            ValueError: Inconsistent lengths or shapes, naming the image.
        """
        points = np.asarray(pred_points, dtype=np.float64).reshape(-1, 2)
        scores = np.asarray(pred_scores, dtype=np.float64).reshape(-1)
        texts = [str(t) for t in pred_texts]
        if not len(points) == len(texts) == len(scores):
            raise ValueError(f'{name}: {len(points)} predicted points, '
                             f'{len(texts)} texts, {len(scores)} scores')
        gt_texts = [str(t) for t in gt_texts]
        if len(gt_polygons) != len(gt_texts):
            raise ValueError(f'{name}: {len(gt_polygons)} GT polygons, '
                             f'{len(gt_texts)} texts')
        for poly in gt_polygons:
            if np.size(poly) < 2 or np.size(poly) % 2:
                raise ValueError(f'{name}: GT polygon with {np.size(poly)} '
                                 'coordinates (need x, y pairs)')
        ignored = np.zeros(len(gt_texts), dtype=bool)
        if gt_ignored is not None:
            ignored = np.asarray(gt_ignored, dtype=bool).reshape(-1)
            if len(ignored) != len(gt_texts):
                raise ValueError(f'{name}: {len(ignored)} GT ignore flags, '
                                 f'{len(gt_texts)} texts')
        ignored = ignored | np.array([t == '###' for t in gt_texts], bool)
        centers = np.array([polygon_center(p, center) for p in gt_polygons],
                           dtype=np.float64).reshape(-1, 2)
        return cls(name, points, texts, scores, centers, gt_texts, ignored)


def nearest_gt(points: np.ndarray,
               centers: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Nearest GT centre of each point.

    Args:
        points (np.ndarray): (N, 2).
        centers (np.ndarray): (M, 2).

    Returns:
        tuple(np.ndarray, np.ndarray): Indices (N,) int64 (the first on
        ties; -1 when M == 0) and distances (N,) float64 (inf when M == 0).
    """
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    centers = np.asarray(centers, dtype=np.float64).reshape(-1, 2)
    if len(centers) == 0:
        return (np.full(len(points), -1,
                        dtype=np.int64), np.full(len(points), np.inf))
    dist = np.linalg.norm(points[:, None] - centers[None], axis=-1)
    idx = dist.argmin(axis=1)
    return idx, dist[np.arange(len(points)), idx]


def match_points(pred_points: np.ndarray,
                 pred_texts: Sequence[str],
                 gt_centers: np.ndarray,
                 gt_texts: Sequence[str],
                 gt_ignored: np.ndarray,
                 point_dist_thr: Optional[float] = None,
                 count_fp_without_gt: bool = False) -> Tuple[int, int, int]:
    """Count one image at one threshold (rules 4-5 of the module doc).

    Args:
        pred_points (np.ndarray): (N, 2), the kept predictions.
        pred_texts (Sequence[str]): N words (lexicon-corrected if any).
        gt_centers (np.ndarray): (M, 2).
        gt_texts (Sequence[str]): M words.
        gt_ignored (np.ndarray): (M,) bool don't-care flags.
        point_dist_thr (float, optional): Max. point-to-centre distance of
            a TP. Defaults to None (no limit).
        count_fp_without_gt (bool): Count the predictions of an image with
            no care GT. Defaults to False (mmocr).

    Returns:
        tuple(int, int, int): TPs, counted predictions, care GTs.
    """
    num_gt = int(np.sum(~gt_ignored))
    if num_gt == 0:
        n = len(pred_texts) if count_fp_without_gt and not len(gt_texts) else 0
        return 0, n, 0
    idx, dist = nearest_gt(pred_points, gt_centers)
    matched = np.zeros(len(gt_texts), dtype=bool)
    num_tp = num_pred = 0
    for text, j, d in zip(pred_texts, idx, dist):
        if gt_ignored[j]:
            continue
        num_pred += 1
        if point_dist_thr is not None and d > point_dist_thr:
            continue
        if not matched[j] and text.upper() == gt_texts[j].upper():
            matched[j] = True
            num_tp += 1
    return num_tp, num_pred, num_gt


def score_thresholds(start: float = 0.8,
                     stop: float = 1.0,
                     step: float = 0.01) -> np.ndarray:
    """The sweep ``start + k * step < stop``, rounded to 6 decimals.

    Returns:
        np.ndarray: (T,) float64, T >= 1.
    """
    if step <= 0 or start >= stop:
        raise ValueError(f'empty score-threshold sweep: start={start}, '
                         f'stop={stop}, step={step}')
    num = math.ceil((stop - start) / step - 1e-9)
    return np.round(start + step * np.arange(num), 6)


def threshold_result(thr: float, tp: int, pred: int, gt: int) -> Dict:
    """P/R/H and counts at one score threshold (0 when undefined)."""
    precision = tp / pred if pred else 0.
    recall = tp / gt if gt else 0.
    return dict(
        score_thr=float(thr),
        precision=precision,
        recall=recall,
        hmean=hmean(precision, recall),
        num_tp=int(tp),
        num_pred=int(pred),
        num_gt=int(gt))


def summarize_sweep(thrs: Sequence[float], counts: Sequence[tuple],
                    num_sweep: int, with_fixed: bool) -> Dict:
    """``sweep``, ``best`` (highest hmean of the sweep, the first on ties)
    and ``fixed`` of per-threshold ``(tp, pred, gt)`` counts.

    Args:
        thrs (Sequence[float]): The sweep's thresholds, then the fixed one
            when ``with_fixed``.
        counts (Sequence[tuple]): ``(num_tp, num_pred, num_gt)`` per
            threshold, same order.
        num_sweep (int): How many of them are the sweep.
        with_fixed (bool): Whether the last one is the fixed threshold.
    """
    results = [threshold_result(t, *c) for t, c in zip(thrs, counts)]
    best = results[0]
    for res in results[1:num_sweep]:
        if res['hmean'] > best['hmean']:
            best = res
    return dict(
        sweep=results[:num_sweep],
        best=best,
        fixed=results[num_sweep] if with_fixed else None)


def evaluate_point_spotting(images: Sequence[SpottingImage],
                            score_thrs: Sequence[float],
                            fixed_score_thr: Optional[float] = None,
                            lexicons: Optional[LexiconSet] = None,
                            point_dist_thr: Optional[float] = None,
                            count_fp_without_gt: bool = False) -> Dict:
    """Evaluate a dataset over a threshold sweep.

    Args:
        images (Sequence[SpottingImage]): One entry per test image.
        score_thrs (Sequence[float]): The sweep (see
            :func:`score_thresholds`); the best hmean is chosen over it.
        fixed_score_thr (float, optional): Also report this threshold.
            Defaults to None.
        lexicons (LexiconSet, optional): Lexicon correction. Defaults to
            None.
        point_dist_thr (float, optional): See :func:`match_points`.
        count_fp_without_gt (bool): See :func:`match_points`.

    Returns:
        dict: ``sweep`` (list of per-threshold dicts with ``score_thr``,
        ``precision``, ``recall``, ``hmean``, ``num_tp``, ``num_pred``,
        ``num_gt``), ``best`` (one of them), ``fixed`` (same keys, or None),
        ``num_images``, ``num_images_without_pred`` and
        ``num_dropped_by_lexicon`` (at the lowest threshold).
    """
    sweep = [float(t) for t in score_thrs]
    if not sweep:
        raise ValueError('score_thrs is empty')
    thrs = sweep + ([float(fixed_score_thr)]
                    if fixed_score_thr is not None else [])
    lowest = min(thrs)
    counts = np.zeros((len(thrs), 3), dtype=np.int64)
    no_pred = dropped = 0
    for img in images:
        scores32 = img.pred_scores.astype(np.float32)
        keep = scores32 >= np.float32(lowest)
        texts = [t for t, k in zip(img.pred_texts, keep) if k]
        points, scores = img.pred_points[keep], scores32[keep]
        no_pred += int(len(img.pred_texts) == 0)
        if lexicons is not None and lexicons.enabled:
            texts, lex_keep = lexicons.apply(img.name, texts)
            dropped += int(np.sum(~lex_keep))
            texts = [t for t, k in zip(texts, lex_keep) if k]
            points, scores = points[lex_keep], scores[lex_keep]
        for i, thr in enumerate(thrs):
            sel = scores >= np.float32(thr)
            counts[i] += match_points(points[sel],
                                      [t for t, s in zip(texts, sel) if s],
                                      img.gt_centers, img.gt_texts,
                                      img.gt_ignored, point_dist_thr,
                                      count_fp_without_gt)
    return dict(
        **summarize_sweep(thrs, counts, len(sweep), fixed_score_thr
                          is not None),
        num_images=len(images),
        num_images_without_pred=no_pred,
        num_dropped_by_lexicon=dropped)
