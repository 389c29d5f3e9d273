# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Crop a detected text polygon into an upright, rectified word image.

* quadrilaterals and near-rectangular polygons: a perspective warp of the
  quadrilateral (the polygon's minimum-area rectangle when it has more
  than four vertices), the long side horizontal, the upper long side on
  top — mmocr's ``warp_img`` does the same for quadrilaterals but keeps
  whatever side comes first;
* curved polygons (more vertices, filling less than
  :data:`CURVED_FILL` of their minimum-area rectangle): piecewise
  rectification — the outline is split into its two long sides between
  the two end edges (found by mmocr's TextSnake head/tail finder), both
  sides are resampled by arc length and every
  pair of consecutive slices is warped to an upright strip; the strips are
  joined left to right (the usual "unwarping" of curved-text recognisers'
  inputs; mmocr's ``crop_img`` only cuts the axis-aligned box).

A polygon whose rectangle is thinner than ``min_size`` pixels (a line, a
point, a crop of zero width) gives None: the caller counts it as
degenerate instead of handing an empty image to a recogniser.
"""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

#: Polygons filling less of their minimum-area rectangle are curved.
CURVED_FILL = 0.8
#: Most slices of a curved polygon.
MAX_SLICES = 16


def _area(pts: np.ndarray) -> float:
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * abs(
        float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def upright_quad(quad: np.ndarray) -> np.ndarray:
    """Order 4 points as top-left, top-right, bottom-right, bottom-left of
    the text: the first edge is a long side, and it is the upper one.

    Args:
        quad (np.ndarray): (4, 2) corners in any order around the outline.

    Returns:
        np.ndarray: (4, 2) float32 ordered corners.
    """
    quad = np.asarray(quad, dtype=np.float32).reshape(4, 2)
    centre = quad.mean(0)
    angles = np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0])
    quad = quad[np.argsort(angles)]  # clockwise on screen (y down)
    edges = np.linalg.norm(quad - np.roll(quad, -1, 0), axis=1)
    start = 0 if edges[0] + edges[2] >= edges[1] + edges[3] else 1
    # Two candidates for the top edge: start and start + 2; the upper one
    # (smaller mean y) is the top of upright text.
    top_a = quad[[start, (start + 1) % 4], 1].mean()
    top_b = quad[[(start + 2) % 4, (start + 3) % 4], 1].mean()
    if top_b < top_a:
        start += 2
    return np.roll(quad, -start, 0)


def warp_quad(img: np.ndarray, quad: np.ndarray) -> Optional[np.ndarray]:
    """Perspective-warp an ordered quadrilateral (:func:`upright_quad`).

    Returns:
        np.ndarray or None: The (h, w, C) crop; None when w or h < 1.
    """
    tl, tr, br, bl = quad
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    if width < 1 or height < 1:
        return None
    dst = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    return cv2.warpPerspective(
        img,
        matrix, (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE)


def _resample(chain: np.ndarray, n: int) -> np.ndarray:
    """``n`` points equally spaced by arc length along a polyline."""
    seg = np.linalg.norm(np.diff(chain, axis=0), axis=1)
    dist = np.concatenate([[0.], np.cumsum(seg)])
    if dist[-1] <= 0:
        return np.repeat(chain[:1], n, 0)
    targets = np.linspace(0., dist[-1], n)
    return np.stack([np.interp(targets, dist, chain[:, k]) for k in (0, 1)], 1)


_HEAD_TAIL = None


def long_sides(pts: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """The two long sides of a text outline, between its end edges.

    The end (head and tail) edges are found by mmocr's TextSnake
    ``_reorder_poly_edge`` (edge-angle and distance scores), which also
    returns the sides, the upper one first.

    Args:
        pts (np.ndarray): (N, 2) outline, N >= 4, in order.

    Returns:
        tuple[np.ndarray, np.ndarray]: Top and bottom sides, (Nt, 2) and
        (Nb, 2), both running in the same direction.
    """
    global _HEAD_TAIL
    if _HEAD_TAIL is None:
        from mmocr.models.textdet.module_losses import TextSnakeModuleLoss
        _HEAD_TAIL = TextSnakeModuleLoss()
    _, _, top, bottom = _HEAD_TAIL._reorder_poly_edge(pts.astype(np.float64))
    return top, bottom[::-1]


def rectify_curved(img: np.ndarray, pts: np.ndarray) -> Optional[np.ndarray]:
    """Piecewise rectification of a curved text polygon.

    Args:
        img (np.ndarray): (H, W, C) image.
        pts (np.ndarray): (N, 2) outline, N > 4, in order.

    Returns:
        np.ndarray or None: The rectified (h, w, C) crop; None when the
        sides cannot be found or the text is thinner than a pixel.
    """
    top, bottom = long_sides(pts)
    if len(top) < 2 or len(bottom) < 2:
        return None
    if top[-1, 0] - top[0, 0] + bottom[-1, 0] - bottom[0, 0] < 0:
        top, bottom = top[::-1], bottom[::-1]  # read left to right
    length = 0.5 * (
        np.linalg.norm(np.diff(top, axis=0), axis=1).sum() +
        np.linalg.norm(np.diff(bottom, axis=0), axis=1).sum())
    probe_t, probe_b = _resample(top, 9), _resample(bottom, 9)
    height = float(np.median(np.linalg.norm(probe_t - probe_b, axis=1)))
    if height < 1 or length < 1:
        return None
    slices = int(np.clip(round(length / height), 1, MAX_SLICES))
    top, bottom = _resample(top, slices + 1), _resample(bottom, slices + 1)
    out_h = int(round(height))
    strips = []
    for k in range(slices):
        quad = np.float32([top[k], top[k + 1], bottom[k + 1], bottom[k]])
        width = 0.5 * (
            np.linalg.norm(top[k + 1] - top[k]) +
            np.linalg.norm(bottom[k + 1] - bottom[k]))
        out_w = max(1, int(round(width)))
        dst = np.float32([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]])
        matrix = cv2.getPerspectiveTransform(quad, dst)
        strips.append(
            cv2.warpPerspective(
                img,
                matrix, (out_w, out_h),
                flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REPLICATE))
    return np.concatenate(strips, axis=1)


def crop_text_region(img: np.ndarray,
                     polygon: Sequence[float],
                     min_size: float = 2.0) -> Optional[np.ndarray]:
    """An upright, rectified crop of one text polygon.

    Args:
        img (np.ndarray): (H, W, C) image (any channel order).
        polygon (Sequence[float]): Flat ``[x1, y1, x2, y2, ...]`` or
            (N, 2) outline in image pixels, N >= 3 (coordinates outside the
            image are clipped to it).
        min_size (float): Thinner minimum-area rectangles are degenerate.

    Returns:
        np.ndarray or None: (h, w, C) crop with the text reading left to
        right; None for a degenerate polygon (fewer than 3 finite points,
        or a rectangle thinner than ``min_size``: zero width or height).
    """
    pts = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    if len(pts) < 3 or not np.isfinite(pts).all():
        return None
    h, w = img.shape[:2]
    pts = np.stack(
        [np.clip(pts[:, 0], 0, w - 1),
         np.clip(pts[:, 1], 0, h - 1)], 1)
    (cx, cy), (rw, rh), angle = cv2.minAreaRect(pts.astype(np.float32))
    if min(rw, rh) < min_size:
        return None
    if len(pts) == 4:
        return warp_quad(img, upright_quad(pts))
    box = cv2.boxPoints(((cx, cy), (rw, rh), angle))
    if len(pts) > 4 and _area(pts) < CURVED_FILL * rw * rh:
        crop = rectify_curved(img, pts)
        if crop is not None:
            return crop
    return warp_quad(img, upright_quad(box))
