# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Vectorised proofs that polygon rings are simple (they neither cross nor
touch themselves), so that GEOS's ``is_valid`` is asked only about the few
polygons neither proof covers.

Both tests only ever answer "certainly simple" or "not proven": their
predicates are exact for integer coordinates and guarded by an error bound
for floats.
"""
import numpy as np

from .intersection import REL_ERR

# tolerance of the star test's cross products, relative to extent^2
_STAR_TOL = 1e-12
# edges_apart compares every edge with every other: (R, K, K) arrays. Rings
# with more points are left to GEOS (O(K log K)); the others go in chunks of
# at most this many (R * K * K) elements, padding trimmed per chunk.
MAX_EDGE_TEST_POINTS = 256
_EDGE_TEST_BUDGET = 1 << 21


def certainly_simple(xs: np.ndarray, ys: np.ndarray, counts: np.ndarray,
                     exact: np.ndarray) -> np.ndarray:
    """Rings proven simple by :func:`star_simple` or, for the others, by
    :func:`edges_apart`.

    Args:
        xs (np.ndarray): (K + 1, N) closed padded rings, x.
        ys (np.ndarray): (K + 1, N) closed padded rings, y.
        counts (np.ndarray): (N, ) number of points.
        exact (np.ndarray): (N, ) bool, integer coordinates (exact
            arithmetic).

    Returns:
        np.ndarray: (N, ) bool.
    """
    simple = star_simple(xs, ys, counts)
    rest = np.flatnonzero(~simple & (counts >= 3)
                          & (counts <= MAX_EDGE_TEST_POINTS))
    rest = rest[np.argsort(counts[rest], kind='stable')]
    start = 0
    while start < len(rest):
        # Ascending counts: the chunk's last ring sets its padded size.
        stop = start + 1
        while stop < len(rest) and (stop + 1 - start) * (
                counts[rest[stop]] + 1)**2 <= _EDGE_TEST_BUDGET:
            stop += 1
        chunk = rest[start:stop]
        k = counts[chunk[-1]] + 1  # closed ring: the first point repeated
        simple[chunk] = edges_apart(xs[:k, chunk], ys[:k, chunk],
                                    counts[chunk], exact[chunk])
        start = stop
    return simple


def star_simple(xs: np.ndarray, ys: np.ndarray,
                counts: np.ndarray) -> np.ndarray:
    """Star-shaped from a point ``c``: a ring is simple when every edge of
    non-zero length has ``c`` strictly on the same side and the ring winds
    once around ``c`` (the angle seen from ``c`` then grows strictly and
    covers the circle once).

    ``c`` is the vertex mean, else the midpoint of vertices ``n // 4`` and
    ``n - 1 - n // 4`` (the middle of a text polygon's top and bottom
    sides). All convex polygons and most text polygons pass.

    Args:
        xs (np.ndarray): (K + 1, N) closed rings, x.
        ys (np.ndarray): (K + 1, N) closed rings, y.
        counts (np.ndarray): (N, ) number of points.

    Returns:
        np.ndarray: (N, ) bool, certainly simple.
    """
    simple = _star_from(xs, ys, xs[:-1].mean(0), ys[:-1].mean(0))
    rest = np.flatnonzero(~simple & (counts >= 4))
    if len(rest):
        top = counts[rest] // 4
        bottom = counts[rest] - 1 - top
        simple[rest] = _star_from(xs[:, rest], ys[:, rest],
                                  0.5 * (xs[top, rest] + xs[bottom, rest]),
                                  0.5 * (ys[top, rest] + ys[bottom, rest]))
    return simple


def _star_from(xs: np.ndarray, ys: np.ndarray, cx: np.ndarray,
               cy: np.ndarray) -> np.ndarray:
    """:func:`star_simple` for one candidate point per ring."""
    dx, dy = xs[1:] - xs[:-1], ys[1:] - ys[:-1]
    side = dx * (cy - ys[:-1]) - dy * (cx - xs[:-1])
    extent = np.maximum(xs.max(0) - xs.min(0), ys.max(0) - ys.min(0))
    tol = _STAR_TOL * extent * extent
    still = (dx == 0) & (dy == 0)
    below = ys < cy
    up = np.count_nonzero(below[:-1] & ~below[1:], axis=0)
    down = np.count_nonzero(~below[:-1] & below[1:], axis=0)
    return (extent > 0) & ((((side > tol) | still).all(0) & (up == 1)) |
                           (((side < -tol) | still).all(0) & (down == 1)))


def edges_apart(xs: np.ndarray, ys: np.ndarray, counts: np.ndarray,
                exact: np.ndarray) -> np.ndarray:
    """No two edges meet, except consecutive ones at their common vertex.

    Two non-consecutive edges are apart when the ends of one lie strictly
    on one side of the other's line, or their boxes are disjoint (collinear
    edges). Consecutive edges must not fold back onto each other.

    Args:
        xs (np.ndarray): (K + 1, R) closed padded rings, x.
        ys (np.ndarray): (K + 1, R) closed padded rings, y.
        counts (np.ndarray): (R, ) number of points (>= 3).
        exact (np.ndarray): (R, ) bool, integer coordinates.

    Returns:
        np.ndarray: (R, ) bool, certainly simple.
    """
    k = xs.shape[0] - 1
    px, py = (xs - xs[0]).T, (ys - ys[0]).T  # (R, K + 1), exact shift
    dx, dy = px[:, 1:] - px[:, :-1], py[:, 1:] - py[:, :-1]
    # side[., v, e]: vertex v against the line of edge e
    rows = np.stack([px, py, np.ones_like(px)], axis=2)
    cols = np.stack([-dy, dx, dy * px[:, :-1] - dx * py[:, :-1]], axis=1)
    side = np.matmul(rows, cols)
    size = np.maximum(np.abs(px).max(1), np.abs(py).max(1))
    bound = np.where(exact, 0., REL_ERR * size * size)[:, None, None]
    pos, neg = side > bound, side < -bound
    # same[., b, a]: both ends of edge b strictly on one side of edge a
    same = (pos[:, :-1] & pos[:, 1:]) | (neg[:, :-1] & neg[:, 1:])
    apart = same | same.transpose(0, 2, 1)
    for p in (px, py):
        lo = np.minimum(p[:, :-1], p[:, 1:])
        hi = np.maximum(p[:, :-1], p[:, 1:])
        apart |= lo[:, :, None] > hi[:, None]
        apart |= lo[:, None] > hi[:, :, None]
    # edges n .. K - 1 are padding (zero length); consecutive edges are
    # checked below
    edge = np.arange(k)
    last = (counts - 1)[:, None, None]
    a, b = edge[None, :, None], edge[None, None, :]
    apart |= (a > last) | (b > last) | (np.abs(a - b) <= 1) | \
        (np.minimum(a, b) == 0) & (np.maximum(a, b) == last)
    # consecutive edges e, e + 1: the next vertex off e's line, or ahead
    nxt = np.where(edge[None] < last[:, :, 0], edge[None] + 1, 0)
    rows = np.arange(len(counts))[:, None]
    turn = side[rows, nxt + 1, edge[None]]
    ahead = dx * dx[rows, nxt] + dy * dy[rows, nxt] > 0
    folds = (np.abs(turn) <= bound[:, :, 0]) & ~ahead & \
        (edge[None] <= last[:, :, 0])
    return apart.all(axis=(1, 2)) & ~folds.any(1)
