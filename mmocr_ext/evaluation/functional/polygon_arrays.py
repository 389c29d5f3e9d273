# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Polygons of a whole dataset as padded arrays, the candidate pairs and
the intersection areas of both protocols, without a Python loop over
pairs."""
from typing import Sequence, Tuple

import numpy as np
import shapely

from .geometry import make_polygons, make_valid
from .intersection import INT_LIMIT, Rings, ring_overlaps
from .simplicity import certainly_simple

# same-image pairs enumerated at once (about this many)
_PAIR_CHUNK = 1 << 14


def pad_polygons(polys: Sequence[np.ndarray]) -> Tuple[np.ndarray, np.ndarray]:
    """Stack (K_i, 2) polygons into a padded (N, K_max, 2) array.

    Args:
        polys (Sequence[np.ndarray]): Polygons, or one (N, K, 2) array.

    Returns:
        tuple(np.ndarray, np.ndarray): Padded points (padding repeats the
        first point; ``polys`` itself when it is a float64 array) and the
        (N, ) point counts.
    """
    if isinstance(polys, np.ndarray) and polys.ndim == 3:
        return polys.astype(
            np.float64, copy=False), np.full(len(polys), polys.shape[1])
    num = len(polys)
    counts = np.fromiter((len(p) for p in polys), dtype=np.int64, count=num)
    k_max = max(int(counts.max()) if num else 0, 1)
    if num and (counts == k_max).all():
        return np.asarray(polys, dtype=np.float64).reshape(num, k_max, 2), \
            counts
    out = np.zeros((num, k_max, 2))
    if num == 0:
        return out, counts
    flat = np.concatenate(
        [np.asarray(p, np.float64).reshape(-1, 2) for p in polys])
    rows = np.repeat(np.arange(num), counts)
    cols = np.arange(len(flat)) - np.repeat(np.cumsum(counts) - counts, counts)
    out[rows, cols] = flat
    pad = np.arange(k_max)[None] >= counts[:, None]
    out[pad] = np.broadcast_to(out[:, :1], out.shape)[pad]
    return out, counts


class PolygonArrays:
    """Padded polygons with areas, bounding boxes and closed rings.

    Polygons that :func:`certainly_simple` proves simple are never handed
    to shapely; the others are checked with ``is_valid`` and, if invalid,
    repaired as mmocr's ``poly_make_valid`` does (``buffer(0)``, convex hull
    of a multi-part result; :func:`~.geometry.make_valid`). A repaired
    polygon with holes is kept as a shapely geometry (``complex``) and
    intersected by GEOS; one that becomes empty has no area.

    Args:
        polys (Sequence[np.ndarray]): (K_i, 2) polygons, or one (N, K, 2)
            array.
    """

    def __init__(self, polys: Sequence[np.ndarray]) -> None:
        pts, counts = pad_polygons(polys)
        num = len(pts)
        xs, ys = _closed(pts)
        ok = counts >= 3
        integral = self._integral(xs, ys)
        todo = np.flatnonzero(
            ok & ~certainly_simple(xs, ys, counts, integral)) \
            if num else []
        self.complex = np.zeros(num, bool)
        self.geoms = np.empty(num, dtype=object)
        if len(todo):
            raw = make_polygons([pts[i, :counts[i]] for i in todo])
            self.geoms[todo] = raw
            invalid = ~shapely.is_valid(raw)
            if invalid.any():
                bad = todo[invalid]
                xs, ys = self._repair(xs, ys, counts, bad, raw[invalid])
                integral[bad] = self._integral(xs[:, bad], ys[:, bad])
                ok = counts >= 3
        signed = 0.5 * np.sum(xs[:-1] * ys[1:] - xs[1:] * ys[:-1], axis=0)
        self.rings = Rings(xs, ys, signed > 0)
        self.pts, self.counts = pts, np.where(ok, counts, 0)
        area = np.where(ok, np.abs(signed), 0.)
        lo = np.stack([xs.min(0, initial=np.inf),
                       ys.min(0, initial=np.inf)], 1)
        hi = np.stack([xs.max(0, initial=-np.inf),
                       ys.max(0, initial=-np.inf)], 1)
        self.integral = integral
        if self.complex.any():
            area[self.complex] = shapely.area(self.geoms[self.complex])
            box = shapely.bounds(self.geoms[self.complex])
            lo[self.complex], hi[self.complex] = box[:, :2], box[:, 2:]
        has = ok | self.complex
        self.area = area
        # column-major: each axis contiguous, for candidate_pairs
        self.lo = np.asfortranarray(np.where(has[:, None], lo, np.inf))
        self.hi = np.asfortranarray(np.where(has[:, None], hi, -np.inf))

    @staticmethod
    def _integral(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """Integer coordinates with an extent below ``INT_LIMIT / 2``: exact
        arithmetic relative to a corner of any polygon whose box overlaps
        this one's."""
        extent = np.maximum(
            xs.max(0, initial=0.) - xs.min(0, initial=0.),
            ys.max(0, initial=0.) - ys.min(0, initial=0.))
        return (xs == np.round(xs)).all(0) & (ys == np.round(ys)).all(0) & \
            (extent < INT_LIMIT / 2)

    def _repair(self, xs: np.ndarray, ys: np.ndarray, counts: np.ndarray,
                bad: np.ndarray,
                raw: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Replace invalid polygons by their repaired outline (holes:
        ``complex``; empty or not a polygon: no points), in the rings (in
        place unless an outline has more points than they are wide) and in
        ``counts``."""
        fixed = make_valid(raw)
        self.geoms[bad] = fixed
        outlines = []
        for i, geom in zip(bad, fixed):
            outline = np.zeros((0, 2))  # no area
            if geom.is_empty or geom.geom_type != 'Polygon':
                pass
            elif len(geom.interiors):
                self.complex[i] = True
            else:
                outline = np.asarray(geom.exterior.coords)[:-1]
            outlines.append(outline)
        width = max([len(xs) - 1] + [len(o) for o in outlines])
        if width > len(xs) - 1:  # pad every ring with its first point
            xs, ys = (
                np.concatenate(
                    [v[:-1], np.repeat(v[:1], width + 2 - len(v), 0)])
                for v in (xs, ys))
        for i, outline in zip(bad, outlines):
            first = outline[0] if len(outline) else (0., 0.)
            xs[:, i], ys[:, i] = first
            xs[:len(outline), i], ys[:len(outline), i] = outline.T
            counts[i] = len(outline)
        return xs, ys

    def __len__(self) -> int:
        return len(self.counts)

    def geometry(self, idx: np.ndarray) -> np.ndarray:
        """shapely polygons of the given indices."""
        out = np.empty(len(idx), dtype=object)
        for j, i in enumerate(idx):
            if self.geoms[i] is not None:
                out[j] = self.geoms[i]
            elif self.counts[i] >= 3:
                out[j] = shapely.Polygon(self.pts[i, :self.counts[i]])
            else:
                out[j] = shapely.Polygon()
        return out


def _closed(pts: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """(N, K, 2) padded points -> (K + 1, N) x and y of closed rings."""
    xs = np.empty((pts.shape[1] + 1, len(pts)))
    ys = np.empty_like(xs)
    xs[:-1], ys[:-1] = pts[..., 0].T, pts[..., 1].T
    xs[-1], ys[-1] = xs[0], ys[0]
    return xs, ys


def intersection_areas(gts: PolygonArrays, dets: PolygonArrays, g: np.ndarray,
                       d: np.ndarray) -> np.ndarray:
    """Exact (to rounding) intersection areas of the pairs ``(g, d)``.

    Simple polygons go through :func:`ring_overlaps` (numpy, all pairs at
    once); pairs with a repaired polygon with holes, and float pairs too
    close to a degenerate configuration for float arithmetic, go to GEOS
    (``shapely.intersection``, vectorised).

    Args:
        gts (PolygonArrays): Ground truths.
        dets (PolygonArrays): Detections.
        g (np.ndarray): (P, ) ground-truth indices.
        d (np.ndarray): (P, ) detection indices.

    Returns:
        np.ndarray: (P, ) areas.
    """
    inter = np.zeros(len(g))
    geos = gts.complex[g] | dets.complex[d]
    ring = np.flatnonzero(~geos)
    gr, dr = g[ring], d[ring]
    origin = np.floor(gts.lo[gr])
    exact = gts.integral[gr] & dets.integral[dr]
    for flag in (True, False):
        sel = np.flatnonzero(exact == flag)
        area, unsure = ring_overlaps(gts.rings, gr[sel], dets.rings, dr[sel],
                                     origin[sel], flag)
        inter[ring[sel]] = np.maximum(area, 0.)
        geos[ring[sel[unsure]]] = True
    if geos.any():
        inter[geos] = shapely.area(
            shapely.intersection(
                gts.geometry(g[geos]), dets.geometry(d[geos])))
    return inter


def candidate_pairs(gts: PolygonArrays, gt_img: np.ndarray,
                    dets: PolygonArrays, det_img: np.ndarray,
                    num_img: int) -> Tuple[np.ndarray, np.ndarray]:
    """Same-image pairs whose bounding boxes overlap, sorted by gt then det.

    The pair finder of both protocols. Every same-image (ground truth,
    detection) pair is enumerated with array arithmetic, for a run of
    ground truths with about ``_PAIR_CHUNK`` pairs at a time (small arrays
    stay in the cache, memory stays bounded), and kept when the closed
    bounding boxes overlap. Polygons without area have empty boxes.

    Args:
        gts (PolygonArrays): Ground truths.
        gt_img (np.ndarray): Image index of each ground truth (grouped by
            image, increasing).
        dets (PolygonArrays): Detections.
        det_img (np.ndarray): Image index of each detection (same order).
        num_img (int): Number of images.

    Returns:
        tuple(np.ndarray, np.ndarray): ``g`` and ``d`` indices.
    """
    num_det = np.bincount(det_img, minlength=num_img)
    # per ground truth: its image's first detection and detection count
    det_first = (np.cumsum(num_det) - num_det)[gt_img]
    reps = num_det[gt_img]
    ends = np.cumsum(reps)
    total = int(ends[-1]) if len(ends) else 0
    cuts = np.searchsorted(ends, np.arange(0, total, _PAIR_CHUNK), 'right')
    out_g, out_d = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for a, b in zip(cuts, np.append(cuts[1:], len(reps))):
        if b <= a:
            continue
        run = reps[a:b]
        g = np.repeat(np.arange(a, b), run)
        d = np.arange(len(g)) + np.repeat(
            det_first[a:b] - (np.cumsum(run) - run), run)
        for axis in (0, 1):
            keep = np.flatnonzero(
                (gts.lo[:, axis].take(g) <= dets.hi[:, axis].take(d))
                & (dets.lo[:, axis].take(d) <= gts.hi[:, axis].take(g)))
            g, d = g.take(keep), d.take(keep)
        out_g.append(g)
        out_d.append(d)
    return np.concatenate(out_g), np.concatenate(out_d)
