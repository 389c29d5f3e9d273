# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""I3CL's submission post-processing: binary masks -> simplified polygons."""
from typing import List, Tuple

import cv2
import numpy as np
import torch
from mmengine.structures import InstanceData
from mmocr.registry import MODELS


@MODELS.register_module()
class I3CLMaskPostprocessor:
    """Turn Mask R-CNN detections into polygons as I3CL's ArT demo does
    (spec A4).

    For each detection with ``score > score_thr`` (the official
    ``scores > score_thr`` comparison):

    1. ``cv2.findContours(mask, RETR_CCOMP, CHAIN_APPROX_NONE)``, keep the
       first contour with >= 3 points;
    2. ``cv2.approxPolyDP`` with ``epsilon * perimeter``, closed;
    3. reverse the point order; drop results with < 3 points.

    One polygon per detection at most, unlike mmocr's default
    (:meth:`MMDetWrapper.adapt_predictions`), which keeps every contour of
    every mask, unsimplified, and all scores.

    Args:
        score_thr (float): Detections at or below are dropped. Defaults to
            0.45 (the official ArT setting).
        epsilon (float): approxPolyDP tolerance as a fraction of the contour
            perimeter. Defaults to 0.005.
        reverse (bool): Reverse the point order. Defaults to True.
    """

    def __init__(self,
                 score_thr: float = 0.45,
                 epsilon: float = 0.005,
                 reverse: bool = True) -> None:
        self.score_thr = score_thr
        self.epsilon = epsilon
        self.reverse = reverse

    def mask_to_polygon(self, mask: np.ndarray) -> np.ndarray:
        """(H, W) binary mask -> flat float32 polygon (2K,), K >= 3, or an
        empty array when the mask has no usable contour."""
        contours, _ = cv2.findContours(
            mask.astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
        for contour in contours:
            if len(contour) < 3:
                continue
            eps = self.epsilon * cv2.arcLength(contour, True)
            points = cv2.approxPolyDP(contour, eps, True).reshape(-1, 2)
            if self.reverse:
                points = points[::-1]
            if len(points) < 3:
                return np.zeros(0, np.float32)
            return points.reshape(-1).astype(np.float32)
        return np.zeros(0, np.float32)

    def __call__(self,
                 pred: InstanceData) -> Tuple[List[np.ndarray], torch.Tensor]:
        """Polygons and scores of one image's mmdet predictions.

        Args:
            pred (InstanceData): ``masks`` (N, H, W) and ``scores`` (N,).

        Returns:
            tuple: flat polygons (list of (2K,) float32 arrays) and their
            scores (M,), M <= N.
        """
        masks = pred.masks.cpu().numpy()
        scores = pred.scores.detach().cpu().float()
        polygons, kept = [], []
        for i, (mask, score) in enumerate(zip(masks, scores.tolist())):
            if score <= self.score_thr:
                continue
            polygon = self.mask_to_polygon(mask)
            if len(polygon):
                polygons.append(polygon)
                kept.append(i)
        return polygons, scores[torch.as_tensor(kept, dtype=torch.long)]
