# Copyright (c) OpenMMLab. All rights reserved.
"""Polygons of a whole dataset as padded arrays, and their pairwise
intersections without a Python loop over pairs."""
from typing import Sequence, Tuple

import numpy as np
import shapely

from .clipping import clip_area, is_convex, pad_polygons, signed_area
from .geometry import make_polygons, make_valid

# above this many same-image pairs, candidates come from an STRtree
_MAX_DENSE_PAIRS = 4_000_000


class PolygonArrays:
    """Padded polygons with areas, bounding boxes and convexity.

    Convex polygons are recognised in numpy; only the others go through
    shapely: they are checked with ``is_valid`` and, if invalid, repaired as
    mmocr's ``poly_make_valid`` does (``buffer(0)``, convex hull of a
    multi-part result), see :func:`build_polygons`. A repaired polygon with
    holes is kept as a shapely geometry (``complex``) and intersected by
    GEOS.

    Args:
        polys (Sequence[np.ndarray]): (K_i, 2) polygons.
    """

    def __init__(self, polys: Sequence[np.ndarray]) -> None:
        pts, counts = pad_polygons(polys)
        counts = np.where(counts >= 3, counts, 0)
        convex = is_convex(pts, counts) if len(pts) else np.zeros(0, bool)
        complex_ = np.zeros(len(pts), bool)
        geoms = np.empty(len(pts), dtype=object)
        todo = np.flatnonzero(~convex & (counts >= 3))
        if len(todo):
            raw = make_polygons([polys[i] for i in todo])
            invalid = ~shapely.is_valid(raw)
            geoms[todo] = raw
            if invalid.any():
                bad = todo[invalid]
                geoms[bad] = make_valid(raw[invalid])
                new_polys = list(polys)
                for i in bad:
                    geom = geoms[i]
                    if geom.is_empty or geom.geom_type != 'Polygon':
                        new_polys[i] = np.zeros((0, 2))  # no area
                    elif len(geom.interiors):
                        complex_[i] = True
                        new_polys[i] = np.zeros((0, 2))
                    else:
                        new_polys[i] = np.asarray(geom.exterior.coords)[:-1]
                pts, counts = pad_polygons(new_polys)
                counts = np.where(counts >= 3, counts, 0)
                convex = is_convex(pts, counts)
        self.pts = pts
        self.counts = counts
        self.convex = convex
        self.complex = complex_
        self.geoms = geoms
        area = np.abs(signed_area(pts, counts)) if len(pts) else np.zeros(0)
        if complex_.any():
            area[complex_] = shapely.area(geoms[complex_])
        self.area = area
        has = (counts >= 3) | complex_
        lo = pts.min(axis=1) if len(pts) else np.zeros((0, 2))
        hi = pts.max(axis=1) if len(pts) else np.zeros((0, 2))
        if complex_.any():
            b = shapely.bounds(geoms[complex_])
            lo[complex_], hi[complex_] = b[:, :2], b[:, 2:]
        self.lo = np.where(has[:, None], lo, np.inf)
        self.hi = np.where(has[:, None], hi, -np.inf)

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


def intersection_areas(gts: PolygonArrays, dets: PolygonArrays, g: np.ndarray,
                       d: np.ndarray) -> np.ndarray:
    """Exact (to rounding) intersection areas of the pairs ``(g, d)``.

    A convex member of a pair clips the other (numpy, all pairs at once);
    pairs of two concave polygons, or with a repaired polygon with holes, go
    to GEOS (``shapely.intersection``, vectorised).

    Args:
        gts (PolygonArrays): Ground truths.
        dets (PolygonArrays): Detections.
        g (np.ndarray): (P, ) ground-truth indices.
        d (np.ndarray): (P, ) detection indices.

    Returns:
        np.ndarray: (P, ) areas.
    """
    inter = np.zeros(len(g))
    special = gts.complex[g] | dets.complex[d]
    gt_clip = ~special & gts.convex[g]
    det_clip = ~special & ~gt_clip & dets.convex[d]
    geos = ~gt_clip & ~det_clip
    for sel, sub, sub_idx, clip, clip_idx in ((gt_clip, dets, d, gts, g),
                                              (det_clip, gts, g, dets, d)):
        if sel.any():
            inter[sel] = clip_area(sub.pts[sub_idx[sel]],
                                   sub.counts[sub_idx[sel]],
                                   clip.pts[clip_idx[sel]],
                                   clip.counts[clip_idx[sel]])
    if geos.any():
        inter[geos] = shapely.area(
            shapely.intersection(
                gts.geometry(g[geos]), dets.geometry(d[geos])))
    return inter


def candidate_pairs(gts: PolygonArrays, gt_img: np.ndarray,
                    dets: PolygonArrays, det_img: np.ndarray,
                    num_img: int) -> Tuple[np.ndarray, np.ndarray]:
    """Same-image pairs whose bounding boxes overlap, sorted by gt then det.

    All same-image pairs are enumerated with array arithmetic and filtered
    by their boxes (a few hundred thousand pairs for 500 scene-text images);
    beyond ``_MAX_DENSE_PAIRS`` an ``STRtree`` over boxes shifted per image
    is used instead.

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
    num_gt = np.bincount(gt_img, minlength=num_img)
    num_det = np.bincount(det_img, minlength=num_img)
    per = num_gt * num_det
    total = int(per.sum())
    if total > _MAX_DENSE_PAIRS:
        return _tree_pairs(gts, gt_img, dets, det_img)
    # every ground truth, repeated once per detection of its image
    reps = num_det[gt_img]
    g = np.repeat(np.arange(len(gt_img)), reps)
    offsets = np.cumsum(reps) - reps
    d = np.repeat((np.cumsum(num_det) - num_det)[gt_img] - offsets,
                  reps) + np.arange(total)
    for axis in (0, 1):
        g_lo, g_hi = gts.lo[:, axis][g], gts.hi[:, axis][g]
        d_lo, d_hi = dets.lo[:, axis][d], dets.hi[:, axis][d]
        keep = (g_lo <= d_hi) & (d_lo <= g_hi)
        g, d = g[keep], d[keep]
    return g, d


def _tree_pairs(gts: PolygonArrays, gt_img: np.ndarray, dets: PolygonArrays,
                det_img: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """:func:`candidate_pairs` for huge images: one ``STRtree`` holds the
    boxes of all images, image ``k`` shifted by ``k`` times the width of the
    coordinate range, so a query returns only same-image candidates."""
    empty = np.zeros(0, np.int64)
    gt_ok = np.flatnonzero(np.isfinite(gts.lo[:, 0]))
    det_ok = np.flatnonzero(np.isfinite(dets.lo[:, 0]))
    if len(gt_ok) == 0 or len(det_ok) == 0:
        return empty, empty
    x_min = min(gts.lo[gt_ok, 0].min(), dets.lo[det_ok, 0].min()) - 1.
    stride = max(gts.hi[gt_ok, 0].max(), dets.hi[det_ok, 0].max()) - \
        x_min + 2.

    def boxes(polys: PolygonArrays, idx: np.ndarray,
              img: np.ndarray) -> np.ndarray:
        shift = img[idx] * stride - x_min
        return shapely.box(polys.lo[idx, 0] + shift - .5,
                           polys.lo[idx, 1] - .5,
                           polys.hi[idx, 0] + shift + .5,
                           polys.hi[idx, 1] + .5)

    tree = shapely.STRtree(boxes(gts, gt_ok, gt_img))
    det_q, gt_q = tree.query(boxes(dets, det_ok, det_img))
    g, d = gt_ok[gt_q], det_ok[det_q]
    keep = (gt_img[g] == det_img[d]) & \
        (np.minimum(gts.hi[g], dets.hi[d]) >=
         np.maximum(gts.lo[g], dets.lo[d])).all(axis=1)
    g, d = g[keep], d[keep]
    order = np.lexsort((d, g))
    return g[order], d[order]
