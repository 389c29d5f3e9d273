# Copyright (c) OpenMMLab. All rights reserved.
"""Vectorised polygon areas and intersections in numpy.

GEOS overlays cost tens of microseconds per pair; the intersection of a
*convex* clip polygon with any simple subject polygon is computed here for
all pairs at once by Sutherland-Hodgman clipping on padded arrays. Concave
clip polygons are first split into triangles (GEOS constrained Delaunay);
the intersection area is then the sum over the triangles. The result equals
the exact area up to floating-point rounding (about 1e-12 relative); exact
for axis-aligned integer boxes.
"""
from typing import Sequence, Tuple

import numpy as np


def pad_polygons(polys: Sequence[np.ndarray]) -> Tuple[np.ndarray, np.ndarray]:
    """Stack (K_i, 2) polygons into a padded (N, K_max, 2) array.

    Args:
        polys (Sequence[np.ndarray]): Polygons.

    Returns:
        tuple(np.ndarray, np.ndarray): Padded points (padding repeats the
        first point) and the (N, ) point counts.
    """
    if isinstance(polys, np.ndarray) and polys.ndim == 3:
        return polys.astype(np.float64), np.full(len(polys), polys.shape[1])
    num = len(polys)
    counts = np.fromiter((len(p) for p in polys), dtype=np.int64, count=num)
    k_max = max(int(counts.max()) if num else 0, 1)
    out = np.zeros((num, k_max, 2))
    if num == 0:
        return out, counts
    if (counts == k_max).all():
        return np.asarray(polys, dtype=np.float64).reshape(num, k_max, 2), \
            counts
    flat = np.concatenate(
        [np.asarray(p, np.float64).reshape(-1, 2) for p in polys])
    rows = np.repeat(np.arange(num), counts)
    cols = np.arange(len(flat)) - np.repeat(np.cumsum(counts) - counts, counts)
    out[rows, cols] = flat
    pad = np.arange(k_max)[None] >= counts[:, None]
    out[pad] = np.broadcast_to(out[:, :1], out.shape)[pad]
    return out, counts


def signed_area(pts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Shoelace signed area of padded polygons (positive: counter-clockwise
    in a y-up frame)."""
    nxt = _next(pts, counts)
    term = pts[..., 0] * nxt[..., 1] - nxt[..., 0] * pts[..., 1]
    valid = np.arange(pts.shape[1])[None] < counts[:, None]
    return 0.5 * np.sum(np.where(valid, term, 0.), axis=-1)


def _next(pts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Point ``i + 1``, cyclic within each polygon's count (padding maps to
    the first point)."""
    k = pts.shape[1]
    if len(counts) and (counts == k).all():
        return np.roll(pts, -1, axis=1)
    idx = np.arange(1, k + 1)[None] % np.maximum(counts, 1)[:, None]
    idx = np.where(np.arange(k)[None] < counts[:, None], idx, 0)
    return np.take_along_axis(pts, idx[..., None], axis=1)


def is_convex(pts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Strictly simple convex polygons: no turn changes sign and the turns
    add up to one full revolution (rejects pentagrams)."""
    nxt = _next(pts, counts)
    edge = nxt - pts
    edge_next = _next(edge, counts)
    cross = edge[..., 0] * edge_next[..., 1] - edge[..., 1] * edge_next[..., 0]
    dot = np.sum(edge * edge_next, axis=-1)
    valid = np.arange(pts.shape[1])[None] < counts[:, None]
    cross = np.where(valid, cross, 0.)
    pos = (cross > 0).any(1)
    neg = (cross < 0).any(1)
    convex = (counts >= 3) & (pos ^ neg)
    # a polygon of 5+ points can turn one way all along and still cross
    # itself (pentagram): its turns add up to more than one revolution
    many = convex & (counts >= 5)
    if many.any():
        turn = np.where(valid[many],
                        np.arctan2(cross[many], dot[many]), 0.).sum(1)
        convex[many] = np.abs(np.abs(turn) - 2 * np.pi) < 1e-6
    return convex


def clip_area(subject: np.ndarray, sub_counts: np.ndarray, clip: np.ndarray,
              clip_counts: np.ndarray) -> np.ndarray:
    """Area of ``subject[i] ∩ clip[i]`` for convex clip polygons.

    Args:
        subject (np.ndarray): (R, K, 2) padded simple polygons.
        sub_counts (np.ndarray): (R, ) their point counts.
        clip (np.ndarray): (R, E, 2) padded convex polygons, any orientation.
        clip_counts (np.ndarray): (R, ) their point counts (>= 3).

    Returns:
        np.ndarray: (R, ) intersection areas.
    """
    rows = len(subject)
    if rows == 0:
        return np.zeros(0)
    # orient clip polygons counter-clockwise: inside is left of each edge
    flip = signed_area(clip, clip_counts) < 0
    clip_nxt = _next(clip, clip_counts)
    a = np.where(flip[:, None, None], clip_nxt, clip)
    b = np.where(flip[:, None, None], clip, clip_nxt)
    x = np.ascontiguousarray(subject[..., 0], dtype=np.float64)
    y = np.ascontiguousarray(subject[..., 1], dtype=np.float64)
    cnt = sub_counts.copy()
    uniform = bool((clip_counts == clip.shape[1]).all())
    row_ids = np.arange(rows)[:, None]
    for e in range(clip.shape[1]):
        ax, ay = a[:, e, 0, None], a[:, e, 1, None]
        abx, aby = b[:, e, 0, None] - ax, b[:, e, 1, None] - ay
        k = x.shape[1]
        prev_idx = row_ids * k + (np.arange(k)[None] - 1) % np.maximum(
            cnt, 1)[:, None]
        px, py = x.ravel()[prev_idx], y.ravel()[prev_idx]
        d_cur = abx * (y - ay) - aby * (x - ax)
        if not uniform:  # no edge e for this row: keep everything
            d_cur[e >= clip_counts] = 1.
        d_prev = d_cur.ravel()[prev_idx]
        in_cur = d_cur >= 0
        crossing = in_cur != (d_prev >= 0)
        valid = np.arange(k)[None] < cnt[:, None]
        with np.errstate(divide='ignore', invalid='ignore'):
            t = np.where(crossing, d_prev / (d_prev - d_cur), 0.)
        # slots 2i: crossing into/out of the half-plane, 2i + 1: point i
        keep = np.empty((rows, 2 * k), dtype=bool)
        keep[:, 0::2] = valid & crossing
        keep[:, 1::2] = valid & in_cur
        out_x = np.empty((rows, 2 * k))
        out_x[:, 0::2] = px + t * (x - px)
        out_x[:, 1::2] = x
        out_y = np.empty((rows, 2 * k))
        out_y[:, 0::2] = py + t * (y - py)
        out_y[:, 1::2] = y
        # compact the kept points to the front of each row, in order
        cnt = keep.sum(1)
        width = max(int(cnt.max()), 1)
        src = np.flatnonzero(keep)
        dst = (src //
               (2 * k)) * width + (np.cumsum(keep, axis=1) - 1).ravel()[src]
        x = np.zeros((rows, width))
        y = np.zeros((rows, width))
        x.ravel()[dst] = out_x.ravel()[src]
        y.ravel()[dst] = out_y.ravel()[src]
    pts = np.stack([x, y], axis=-1)
    return np.abs(signed_area(pts, cnt))
