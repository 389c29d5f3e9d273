# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Vectorised polygon geometry (shapely 2) shared by both protocols.

Nothing here loops over polygon pairs in Python: polygons are built with
``shapely.linearrings`` from one concatenated coordinate array, candidate
pairs come from one ``STRtree`` query, and intersection areas from one
vectorised ``shapely.intersection`` call.
"""
from typing import Sequence, Tuple

import numpy as np
import shapely

_POLYGON_TYPE_ID = 3


def _build_one(points: np.ndarray) -> shapely.Geometry:
    """Build one polygon; degenerate input gives an empty polygon."""
    try:
        return shapely.Polygon(points)
    except (ValueError, shapely.errors.GEOSException):
        return shapely.Polygon()


def make_polygons(polys: Sequence[np.ndarray]) -> np.ndarray:
    """Build shapely polygons as given (no repair).

    A polygon with fewer than 3 points becomes an empty polygon.

    Args:
        polys (Sequence[np.ndarray]): Polygons, each of shape (K, 2).

    Returns:
        np.ndarray: Object array (N, ) of shapely geometries.
    """
    num = len(polys)
    geoms = np.empty(num, dtype=object)
    if num == 0:
        return geoms
    counts = np.fromiter((len(p) for p in polys), dtype=np.int64, count=num)
    ok = counts >= 3
    geoms[~ok] = shapely.Polygon()
    ok_idx = np.flatnonzero(ok)
    if len(ok_idx):
        coords = np.concatenate([polys[i] for i in ok_idx]).astype(np.float64)
        ring_ids = np.repeat(np.arange(len(ok_idx)), counts[ok_idx])
        try:
            rings = shapely.linearrings(coords, indices=ring_ids)
            geoms[ok_idx] = shapely.polygons(rings)
        except (ValueError, shapely.errors.GEOSException):
            # e.g. a 3-point ring whose first and last points coincide
            for i in ok_idx:
                geoms[i] = _build_one(polys[i])
    return geoms


def make_valid(geoms: np.ndarray) -> np.ndarray:
    """mmocr's ``poly_make_valid``, vectorised: invalid polygons (zero area,
    self-intersecting) become ``buffer(0)``, and the convex hull of that if
    it has several parts.

    Args:
        geoms (np.ndarray): (N, ) shapely polygons.

    Returns:
        np.ndarray: (N, ) valid geometries (possibly empty).
    """
    geoms = geoms.copy()
    invalid = ~shapely.is_valid(geoms) if len(geoms) else np.zeros(0, bool)
    if invalid.any():
        fixed = shapely.buffer(geoms[invalid], 0)
        multi = shapely.get_type_id(fixed) != _POLYGON_TYPE_ID
        if multi.any():
            fixed[multi] = shapely.convex_hull(fixed[multi])
        geoms[invalid] = fixed
    return geoms


def build_polygons(polys: Sequence[np.ndarray]) -> np.ndarray:
    """Build and repair shapely polygons (:func:`make_polygons`, then
    :func:`make_valid`).

    Args:
        polys (Sequence[np.ndarray]): Polygons, each of shape (K, 2).

    Returns:
        np.ndarray: Object array (N, ) of valid shapely geometries.
    """
    return make_valid(make_polygons(polys))


def intersecting_pairs(
        gt_geoms: np.ndarray, gt_img: np.ndarray, det_geoms: np.ndarray,
        det_img: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intersection areas of every same-image (gt, det) pair that can touch.

    The bounding boxes of image ``k`` are shifted by ``k`` times the width of
    the whole coordinate range, so one ``STRtree`` over all ground truths of
    all images returns only same-image candidates. Areas are computed on the
    unshifted geometries.

    Args:
        gt_geoms (np.ndarray): (N, ) ground-truth geometries.
        gt_img (np.ndarray): (N, ) image index of each ground truth.
        det_geoms (np.ndarray): (M, ) detection geometries.
        det_img (np.ndarray): (M, ) image index of each detection.

    Returns:
        tuple(np.ndarray, np.ndarray, np.ndarray): ground-truth indices,
        detection indices (sorted by ground truth, then detection) and the
        intersection areas, for the pairs whose bounding boxes overlap.
    """
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    if len(gt_geoms) == 0 or len(det_geoms) == 0:
        return empty
    gt_box = shapely.bounds(gt_geoms)
    det_box = shapely.bounds(det_geoms)
    gt_ok = ~np.isnan(gt_box[:, 0])
    det_ok = ~np.isnan(det_box[:, 0])
    if not gt_ok.any() or not det_ok.any():
        return empty
    both = np.concatenate([gt_box[gt_ok], det_box[det_ok]])
    x_min = both[:, 0].min() - 1.
    stride = both[:, 2].max() - x_min + 2.

    def shifted_boxes(box: np.ndarray, img: np.ndarray) -> np.ndarray:
        shift = img * stride - x_min
        return shapely.box(box[:, 0] + shift - 1., box[:, 1] - 1.,
                           box[:, 2] + shift + 1., box[:, 3] + 1.)

    gt_ids = np.flatnonzero(gt_ok)
    det_ids = np.flatnonzero(det_ok)
    tree = shapely.STRtree(shifted_boxes(gt_box[gt_ids], gt_img[gt_ids]))
    det_q, gt_q = tree.query(shifted_boxes(det_box[det_ids], det_img[det_ids]))
    g = gt_ids[gt_q]
    d = det_ids[det_q]
    same = gt_img[g] == det_img[d]
    g, d = g[same], d[same]
    order = np.lexsort((d, g))
    g, d = g[order], d[order]
    inter = shapely.area(shapely.intersection(gt_geoms[g], det_geoms[d]))
    return g, d, inter


def flatten_samples(polys_per_image: Sequence[Sequence[np.ndarray]]):
    """Concatenate per-image polygon lists.

    Args:
        polys_per_image (Sequence[Sequence[np.ndarray]]): Polygons per
            image: lists of (K, 2) arrays or (N, K, 2) arrays.

    Returns:
        tuple(np.ndarray or list[np.ndarray], np.ndarray): All polygons --
        one (N, K, 2) array when every image holds such an array with the
        same K, else a list -- and the (N, ) image index of each.
    """
    img = np.repeat(
        np.arange(len(polys_per_image)),
        [len(polys) for polys in polys_per_image]).astype(np.int64)
    arrays = [p for p in polys_per_image if len(p)]
    if arrays and all(
            isinstance(p, np.ndarray) and p.ndim == 3
            and p.shape[1:] == arrays[0].shape[1:] for p in arrays):
        return np.concatenate(arrays).astype(np.float64, copy=False), img
    flat = [
        np.asarray(p, np.float64).reshape(-1, 2) for polys in polys_per_image
        for p in polys
    ]
    return flat, img
