# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Dataset-level confusion-matrix metrics of UPOCR (spec sections 6.2-6.3).

TextSeg (2 classes, foreground = 1) and Tampered-IC13 (3 classes:
0 background, 1 real text, 2 tampered text) are both scored from one
confusion matrix accumulated over the **whole** test set; the ratios are
computed once at the end (not per-image means).

Undefined ratios (``0 / 0``: a class absent from both ground truth and
prediction, or never predicted / never present) are ``nan``, matching the
``numpy`` division of the official code. F is computed as
``2 TP / (2 TP + FP + FN)``, which equals ``2 P R / (P + R)`` whenever
both are defined and positive, is ``0`` when ``TP == 0`` but the class
occurs somewhere, and ``nan`` only when ``TP + FP + FN == 0``. The means
``mIoU`` / ``mF`` use a plain mean, so a ``nan`` class propagates.
"""
from typing import Dict, Sequence

import numpy as np

#: Tampered-IC13 text classes that enter mIoU / mF (background excluded).
TTD_TEXT_CLASSES: Sequence[int] = (1, 2)
TTD_CLASS_NAMES: Dict[int, str] = {1: 'real', 2: 'tampered'}


def confusion_matrix(gt: np.ndarray, pred: np.ndarray,
                     num_classes: int) -> np.ndarray:
    """Confusion counts of one image, ignoring gt outside ``[0, n)``.

    Args:
        gt: ``(H, W)`` integer class map; values outside
            ``[0, num_classes)`` (e.g. 128 or 255) are ignored.
        pred: ``(H, W)`` integer class map, values in ``[0, num_classes)``.
        num_classes: ``n``.

    Returns:
        np.ndarray: ``(n, n)`` int64, ``[gt_class, pred_class]`` counts.

    Raises:
        ValueError: on a shape mismatch or an out-of-range prediction at a
            counted pixel.
    """
    gt = np.asarray(gt)
    pred = np.asarray(pred)
    if gt.shape != pred.shape:
        raise ValueError(f'shape mismatch: gt {gt.shape} vs pred '
                         f'{pred.shape}')
    valid = (gt >= 0) & (gt < num_classes)
    g = gt[valid].astype(np.int64)
    p = pred[valid].astype(np.int64)
    if p.size and (p.min() < 0 or p.max() >= num_classes):
        raise ValueError(f'prediction values must be in [0, {num_classes})')
    counts = np.bincount(
        num_classes * g + p, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def per_class_scores(hist: np.ndarray) -> Dict[str, np.ndarray]:
    """Per-class IoU, precision, recall and F from a confusion matrix.

    Args:
        hist: ``(n, n)`` counts, rows = ground truth, columns = prediction.

    Returns:
        dict[str, np.ndarray]: ``IoU``, ``P``, ``R``, ``F``, each ``(n,)``
        float64 (``nan`` where undefined, see the module docstring).
    """
    hist = np.asarray(hist, dtype=np.int64)
    tp = np.diag(hist)
    fp = hist.sum(axis=0) - tp
    fn = hist.sum(axis=1) - tp
    return {
        'IoU': _ratio(tp, tp + fp + fn),
        'P': _ratio(tp, tp + fp),
        'R': _ratio(tp, tp + fn),
        'F': _ratio(2 * tp, 2 * tp + fp + fn),
    }


class ConfusionAccumulator:
    """Accumulates a dataset-level ``(n, n)`` confusion matrix.

    Args:
        num_classes: number of classes ``n``.
    """

    def __init__(self, num_classes: int) -> None:
        self.num_classes = num_classes
        self.hist = np.zeros((num_classes, num_classes), dtype=np.int64)

    def add(self, gt: np.ndarray, pred: np.ndarray) -> np.ndarray:
        """Add one ``(H, W)`` pair; returns that image's counts."""
        counts = confusion_matrix(gt, pred, self.num_classes)
        self.hist += counts
        return counts

    def add_counts(self, counts: np.ndarray) -> None:
        """Add precomputed ``(n, n)`` counts (e.g. from other ranks)."""
        self.hist += np.asarray(counts, dtype=np.int64)

    def scores(self) -> Dict[str, np.ndarray]:
        """Per-class scores of the accumulated matrix."""
        return per_class_scores(self.hist)


def textseg_scores(hist: np.ndarray) -> Dict[str, float]:
    """TextSeg foreground metrics (spec 6.2) from a ``(2, 2)`` matrix.

    Returns:
        dict[str, float]: ``fgIoU``, ``P``, ``R``, ``F`` of class 1, as
        fractions.
    """
    s = per_class_scores(hist)
    return {
        'fgIoU': float(s['IoU'][1]),
        'P': float(s['P'][1]),
        'R': float(s['R'][1]),
        'F': float(s['F'][1]),
    }


def tampered_scores(hist: np.ndarray) -> Dict[str, float]:
    """Tampered-IC13 metrics (spec 6.3) from a ``(3, 3)`` matrix.

    Returns:
        dict[str, float]: ``{real,tampered}_{IoU,P,R,F}`` for classes 1 and
        2, plus ``mIoU`` and ``mF`` (plain mean over classes 1 and 2).
    """
    s = per_class_scores(hist)
    out: Dict[str, float] = {}
    for cls in TTD_TEXT_CLASSES:
        name = TTD_CLASS_NAMES[cls]
        for key in ('IoU', 'P', 'R', 'F'):
            out[f'{name}_{key}'] = float(s[key][cls])
    idx = list(TTD_TEXT_CLASSES)
    out['mIoU'] = float(np.mean(s['IoU'][idx]))
    out['mF'] = float(np.mean(s['F'][idx]))
    return out
