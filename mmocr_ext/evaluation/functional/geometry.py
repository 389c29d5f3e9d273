# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Building and repairing shapely polygons, vectorised (shapely 2).

Polygons are built with ``shapely.linearrings`` from one concatenated
coordinate array and repaired as mmocr's ``poly_make_valid`` does; see
:class:`~.polygon_arrays.PolygonArrays`, which asks shapely only about the
polygons it cannot prove simple.
"""
from typing import Sequence

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
