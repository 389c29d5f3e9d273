# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Polygon end-to-end text-spotting evaluation (IoU + transcription).

Shared by :class:`~mmocr_ext.evaluation.metrics.PolygonSpottingMetric` and
``tools/eval_e2e.py``, so that online and offline numbers agree. The
protocol is the ICDAR end-to-end one (mmocr ``projects/ABCNet``
``E2EHmeanIOUMetric``, the RRC e2e script) with the text rules of
:mod:`.point_spotting`; the rules:

1. **Don't-care GT**: ``ignored`` or text ``'###'``.
2. Predictions scored below the threshold are dropped (``score >= thr``
   keeps, compared in float32 as in :mod:`.point_spotting`); with a lexicon
   the remaining words are corrected and those too far from every lexicon
   word dropped (:mod:`.point_spotting_lexicon`, the same code).
3. **Don't-care prediction**: one whose intersection with a don't-care GT
   covers ``>= ignore_thr`` (0.5) of its own area -- the area-precision rule
   of the RRC scripts, of mmocr's ``E2EHmeanIOUMetric``
   (``ignore_precision_thr``) and of our detection protocol
   (:mod:`.iou_protocol`). It includes every prediction at IoU ``>= 0.5``
   with a don't-care GT (IoU <= intersection / own area). Don't-care
   predictions are neither true nor false positives.
4. **Matching**, one to one and greedy: the counted predictions are visited
   by decreasing score (output order on ties); each takes the unmatched
   care GT of highest IoU (the first GT on ties) among those with
   ``IoU >= iou_thr`` (0.5) **and** the same text ignoring case
   (``str.upper``, the point metric's normalisation; no punctuation
   stripping). Found: a TP; else a FP. A wrong word at the right place
   therefore does not use up the GT.
5. Predictions on an image without care GT are FPs (unless don't care), as
   in the RRC/mmocr polygon protocols (the point metric ignores them).
6. TP, counted-prediction and care-GT counts are summed over the dataset:
   precision = TP / predictions, recall = TP / care GTs (0 when the
   denominator is 0), hmean their harmonic mean. Thresholds are swept and
   the best hmean reported (the first threshold on ties), plus an optional
   fixed threshold, exactly as :func:`.point_spotting.
   evaluate_point_spotting` does.

Deviations from the RRC e2e script, all at measure-zero edges or by design:
the IoU and don't-care comparisons are ``>=`` (RRC: strictly ``>``), and
matching needs the text to agree (RRC first pairs by geometry in GT order,
then checks the text, so a wrong word can use up a GT).

Polygon geometry is that of the detection protocol
(:class:`~.polygon_arrays.PolygonArrays`: mmocr's ``poly_make_valid``
repair, exact intersection areas); a polygon with fewer than 3 points has no
area and matches nothing.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .point_spotting import score_thresholds, summarize_sweep
from .point_spotting_lexicon import LexiconSet
from .polygon_arrays import PolygonArrays, candidate_pairs, intersection_areas

#: Default sweep of :func:`evaluate_polygon_spotting` (mmocr's
#: ``HmeanIOUMetric``/``E2EHmeanIOUMetric``): 0.3, 0.4, ..., 0.8.
DEFAULT_SCORE_THRS = dict(start=0.3, stop=0.9, step=0.1)

# (pair GT index, pair prediction index, IoU) within one image
Pairs = Tuple[np.ndarray, np.ndarray, np.ndarray]


def _polygon(value) -> np.ndarray:
    return np.asarray(value, dtype=np.float64).reshape(-1, 2)


def _check_polygons(name: str, what: str, polys: Sequence) -> None:
    for k, poly in enumerate(polys):
        if np.size(poly) < 2 or np.size(poly) % 2:
            raise ValueError(f'{name}: {what} polygon {k} has '
                             f'{np.size(poly)} coordinates (need x, y pairs)')


@dataclass
class PolygonSpottingImage:
    """The inputs of one image.

    Attributes:
        name (str): Image file name (used for strong lexicons and errors).
        pred_polys (list[np.ndarray]): N polygons, each (K, 2) float64.
        pred_texts (list[str]): N words.
        pred_scores (np.ndarray): (N,) float64.
        gt_polys (list[np.ndarray]): M polygons, each (K, 2) float64.
        gt_texts (list[str]): M words.
        gt_ignored (np.ndarray): (M,) bool, True for don't care (``'###'``
            included).
    """
    name: str
    pred_polys: List[np.ndarray]
    pred_texts: List[str]
    pred_scores: np.ndarray
    gt_polys: List[np.ndarray]
    gt_texts: List[str]
    gt_ignored: np.ndarray

    @classmethod
    def build(cls,
              name: str,
              pred_polys: Sequence,
              pred_texts: Sequence[str],
              pred_scores,
              gt_polys: Sequence,
              gt_texts: Sequence[str],
              gt_ignored=None) -> 'PolygonSpottingImage':
        """Validate raw inputs.

        Args:
            name (str): Image file name.
            pred_polys (Sequence): N polygons, each flat ``[x1, y1, ...]``
                or (K, 2).
            pred_texts (Sequence[str]): N words.
            pred_scores: (N,) array-like.
            gt_polys (Sequence): M polygons, each flat or (K, 2).
            gt_texts (Sequence[str]): M words.
            gt_ignored: (M,) bool array-like or None (none ignored).

        Raises:
            ValueError: Inconsistent lengths or odd coordinate counts,
                naming the image.
        """
        texts = [str(t) for t in pred_texts]
        scores = np.asarray(pred_scores, dtype=np.float64).reshape(-1)
        if not len(pred_polys) == len(texts) == len(scores):
            raise ValueError(f'{name}: {len(pred_polys)} predicted polygons, '
                             f'{len(texts)} texts, {len(scores)} scores')
        gt_texts = [str(t) for t in gt_texts]
        if len(gt_polys) != len(gt_texts):
            raise ValueError(f'{name}: {len(gt_polys)} GT polygons, '
                             f'{len(gt_texts)} texts')
        _check_polygons(name, 'predicted', pred_polys)
        _check_polygons(name, 'GT', gt_polys)
        ignored = np.zeros(len(gt_texts), dtype=bool)
        if gt_ignored is not None:
            ignored = np.asarray(gt_ignored, dtype=bool).reshape(-1)
            if len(ignored) != len(gt_texts):
                raise ValueError(f'{name}: {len(ignored)} GT ignore flags, '
                                 f'{len(gt_texts)} texts')
        ignored = ignored | np.array([t == '###' for t in gt_texts], bool)
        return cls(name, [_polygon(p) for p in pred_polys], texts, scores,
                   [_polygon(p) for p in gt_polys], gt_texts, ignored)


def polygon_overlaps(
        images: Sequence[PolygonSpottingImage],
        iou_thr: float = 0.5,
        ignore_thr: float = 0.5) -> Tuple[List[np.ndarray], List[Pairs]]:
    """Don't-care predictions and candidate pairs of every image.

    All images at once, with the detection protocol's geometry
    (:func:`~.polygon_arrays.candidate_pairs`,
    :func:`~.polygon_arrays.intersection_areas`).

    Args:
        images (Sequence[PolygonSpottingImage]): The images.
        iou_thr (float): Keep care pairs with ``IoU >= iou_thr``.
            Defaults to 0.5.
        ignore_thr (float): A prediction is don't care when its
            intersection with a don't-care GT is ``>= ignore_thr`` of its
            area. Defaults to 0.5.

    Returns:
        tuple(list, list): Per image, the (N,) bool don't-care flags of its
        predictions, and its (GT index (P,), prediction index (P,),
        IoU (P,)) care pairs with ``IoU >= iou_thr``, image-local indices.
    """
    num_img = len(images)
    num_gt = np.array([len(i.gt_polys) for i in images], dtype=np.int64)
    num_pred = np.array([len(i.pred_polys) for i in images], dtype=np.int64)
    gt_img = np.repeat(np.arange(num_img), num_gt)
    pred_img = np.repeat(np.arange(num_img), num_pred)
    gt_first = np.cumsum(num_gt) - num_gt
    pred_first = np.cumsum(num_pred) - num_pred
    gts = PolygonArrays([p for i in images for p in i.gt_polys])
    preds = PolygonArrays([p for i in images for p in i.pred_polys])
    gt_care = ~np.concatenate([np.zeros(0, bool)] +
                              [i.gt_ignored for i in images])
    g, d = candidate_pairs(gts, gt_img, preds, pred_img, num_img)
    keep = (gts.area[g] > 0) & (preds.area[d] > 0)
    g, d = g[keep], d[keep]
    inter = intersection_areas(gts, preds, g, d)

    dont_care = np.zeros(len(preds), dtype=bool)
    dc = ~gt_care[g]
    covered = inter[dc] >= ignore_thr * preds.area[d[dc]]
    dont_care[d[dc][covered]] = True

    care = gt_care[g]
    g, d, inter = g[care], d[care], inter[care]
    iou = inter / (gts.area[g] + preds.area[d] - inter)
    keep = (iou >= iou_thr) & (inter > 0)
    g, d, iou = g[keep], d[keep], iou[keep]
    img = gt_img[g]
    bounds = np.searchsorted(img, np.arange(num_img + 1))  # g is sorted
    flags, pairs = [], []
    for k in range(num_img):
        sl = slice(bounds[k], bounds[k + 1])
        flags.append(dont_care[pred_first[k]:pred_first[k] + num_pred[k]])
        pairs.append((g[sl] - gt_first[k], d[sl] - pred_first[k], iou[sl]))
    return flags, pairs


def match_polygons(order: Sequence[int], pred_texts: Sequence[str],
                   gt_texts: Sequence[str], pairs: Pairs) -> int:
    """Greedy one-to-one matching of one image (rule 4 of the module doc).

    Args:
        order (Sequence[int]): Indices of the counted predictions, by
            decreasing score.
        pred_texts (Sequence[str]): Words of all N predictions (lexicon-
            corrected if any).
        gt_texts (Sequence[str]): M GT words.
        pairs (Pairs): (GT index, prediction index, IoU) of the care pairs
            with ``IoU >= iou_thr`` (:func:`polygon_overlaps`).

    Returns:
        int: The number of true positives.
    """
    cands: Dict[int, List[Tuple[float, int]]] = {}
    for j, i, iou in zip(*(a.tolist() for a in pairs)):
        if pred_texts[i].upper() == gt_texts[j].upper():
            cands.setdefault(i, []).append((-iou, j))
    matched = set()
    num_tp = 0
    for i in order:
        for _, j in sorted(cands.get(i, ())):
            if j not in matched:
                matched.add(j)
                num_tp += 1
                break
    return num_tp


def evaluate_polygon_spotting(images: Sequence[PolygonSpottingImage],
                              score_thrs: Sequence[float] = tuple(
                                  score_thresholds(**DEFAULT_SCORE_THRS)),
                              fixed_score_thr: Optional[float] = None,
                              lexicons: Optional[LexiconSet] = None,
                              iou_thr: float = 0.5,
                              ignore_thr: float = 0.5) -> Dict:
    """Evaluate a dataset over a threshold sweep.

    Args:
        images (Sequence[PolygonSpottingImage]): One entry per test image
            (images without predictions included: their GTs are missed).
        score_thrs (Sequence[float]): The sweep (see
            :func:`.point_spotting.score_thresholds`); the best hmean is
            chosen over it. Defaults to 0.3, 0.4, ..., 0.8.
        fixed_score_thr (float, optional): Also report this threshold.
            Defaults to None.
        lexicons (LexiconSet, optional): Lexicon correction. Defaults to
            None.
        iou_thr (float): Match IoU (``>=``). Defaults to 0.5.
        ignore_thr (float): Don't-care area precision (``>=``). Defaults to
            0.5.

    Returns:
        dict: ``sweep`` (list of per-threshold dicts with ``score_thr``,
        ``precision``, ``recall``, ``hmean``, ``num_tp``, ``num_pred``,
        ``num_gt``), ``best`` (one of them), ``fixed`` (same keys, or None),
        ``num_images``, ``num_images_without_pred``,
        ``num_dropped_by_lexicon`` and ``num_pred_dont_care`` (both at the
        lowest threshold).
    """
    sweep = [float(t) for t in score_thrs]
    if not sweep:
        raise ValueError('score_thrs is empty')
    thrs = sweep + ([float(fixed_score_thr)]
                    if fixed_score_thr is not None else [])
    lowest = np.float32(min(thrs))
    flags, pairs = polygon_overlaps(images, iou_thr, ignore_thr)
    counts = np.zeros((len(thrs), 3), dtype=np.int64)
    no_pred = dropped = dont_care = 0
    for img, dc, img_pairs in zip(images, flags, pairs):
        no_pred += int(len(img.pred_texts) == 0)
        scores = img.pred_scores.astype(np.float32)
        keep = scores >= lowest
        texts = list(img.pred_texts)
        if lexicons is not None and lexicons.enabled:
            idx = np.flatnonzero(keep)
            words, lex_keep = lexicons.apply(img.name, [texts[i] for i in idx])
            for i, w in zip(idx, words):
                texts[i] = w
            dropped += int(np.sum(~lex_keep))
            keep[idx[~lex_keep]] = False
        dont_care += int(np.sum(keep & dc))
        keep &= ~dc
        # decreasing score, output order on ties
        by_score = np.argsort(-scores, kind='stable')
        num_gt = int(np.sum(~img.gt_ignored))
        for k, thr in enumerate(thrs):
            sel = keep & (scores >= np.float32(thr))
            order = [i for i in by_score.tolist() if sel[i]]
            counts[k] += (match_polygons(order, texts, img.gt_texts,
                                         img_pairs), len(order), num_gt)
    return dict(
        **summarize_sweep(thrs, counts, len(sweep), fixed_score_thr
                          is not None),
        num_images=len(images),
        num_images_without_pred=no_pred,
        num_dropped_by_lexicon=dropped,
        num_pred_dont_care=dont_care)
