# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The per-image container the evaluation protocols work on."""
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np


@dataclass
class EvalSample:
    """Ground truth and detections of one image.

    Polygons hold ``(x, y)`` points in either orientation: a list of (K, 2)
    arrays, or one (N, K, 2) array when all have K points. A polygon with
    fewer than 3 points is kept (it has no area).

    Args:
        name (str): Image id (e.g. ``'img_12'``).
        gt_polys (list[np.ndarray] | np.ndarray): Ground-truth polygons.
        gt_ignored (np.ndarray): Bool (N, ), True for don't-care ground truth.
        det_polys (list[np.ndarray] | np.ndarray): Detected polygons.
        det_scores (np.ndarray, optional): Float (M, ) confidences; ``None``
            when the detections carry no score. Defaults to None.
    """
    name: str
    gt_polys: List[np.ndarray] = field(default_factory=list)
    gt_ignored: np.ndarray = field(
        default_factory=lambda: np.zeros(0, dtype=bool))
    det_polys: List[np.ndarray] = field(default_factory=list)
    det_scores: Optional[np.ndarray] = None

    def scores_or_ones(self) -> np.ndarray:
        """Detection scores; 1.0 for a detection without one (NaN)."""
        if self.det_scores is None:
            return np.ones(len(self.det_polys))
        scores = np.asarray(self.det_scores, dtype=np.float64)
        return np.where(np.isnan(scores), 1., scores)
