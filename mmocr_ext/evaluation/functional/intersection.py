# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Exact intersection areas of pairs of simple polygons, in numpy.

Green's theorem: ``area(A ∩ B)`` is the integral of ``x dy`` along the
boundary of ``A ∩ B``, which consists of the parts of A's edges inside B and
of B's edges inside A, each polygon counter-clockwise. Along an edge from
``p`` with direction ``d``, ``F(t) = d_y (p_x t + d_x t^2 / 2)`` integrates
from 0 to ``t``, so the inside parts of the edge contribute ``-F(t)`` where
the edge enters the other polygon, ``+F(t)`` where it leaves it and
``F(1)`` when its end vertex is inside: no crossing needs sorting. Whether
vertices are inside follows from one point-in-polygon test per polygon and
the parity of the crossings along its edges.

The orientations of all (vertex, edge) pairs of a polygon pair are two
batched matrix products (rows ``(x, y, 1)`` times edge normals); the pairs
are processed in chunks with preallocated work arrays.

Degenerate configurations -- a vertex on the other polygon's boundary,
collinear overlapping edges, identical polygons, all common with integer
coordinates -- are resolved exactly by symbolic perturbation: the second
polygon is translated by ``(ε, ε²)``, ``ε -> 0+``. The intersection area is
continuous in that translation, so the result is the exact area. With
integer coordinates within ``±INT_LIMIT`` of the pair's origin every
orientation is an exactly computed integer, so every predicate is exact.
Otherwise (float coordinates) a pair with an orientation within its
floating-point error bound of zero is reported as unsure, for the caller to
compute with GEOS.
"""
import threading
from typing import NamedTuple, Tuple

import numpy as np

# |coordinate - origin| below this keeps every orientation an exact float64
INT_LIMIT = 1 << 20
# (vertex, edge) pairs per chunk
_CHUNK = 1 << 18
# forward error bound of a float orientation (cross product), relative to
# M^2 where M bounds the absolute coordinates (a derivation gives 3.6e-15)
REL_ERR = 1e-14


class Rings(NamedTuple):
    """Polygons as closed, padded rings.

    Attributes:
        xs (np.ndarray): (K + 1, N) x coordinates, one polygon per column;
            row K repeats row 0, and a polygon of fewer than K points
            repeats its first point.
        ys (np.ndarray): (K + 1, N) y coordinates.
        ccw (np.ndarray): (N, ) bool, positive signed area.
    """
    xs: np.ndarray
    ys: np.ndarray
    ccw: np.ndarray


def ring_overlaps(a: Rings, ia: np.ndarray, b: Rings, ib: np.ndarray,
                  origin: np.ndarray,
                  exact: bool) -> Tuple[np.ndarray, np.ndarray]:
    """Intersection areas of the simple polygons ``a[ia[n]]`` and
    ``b[ib[n]]``.

    Args:
        a (Rings): First polygons.
        ia (np.ndarray): (P, ) indices into ``a``.
        b (Rings): Second polygons.
        ib (np.ndarray): (P, ) indices into ``b``.
        origin (np.ndarray): (P, 2) a point near each pair, subtracted from
            its coordinates; integers when ``exact``.
        exact (bool): Every coordinate of these pairs is an integer within
            ``INT_LIMIT`` of the origin (then nothing is unsure).

    Returns:
        tuple(np.ndarray, np.ndarray): (P, ) areas and (P, ) bool, True
        where floating point could not decide a predicate (the area is
        then meaningless).
    """
    num = len(ia)
    area, unsure = np.zeros(num), np.zeros(num, dtype=bool)
    k, e = a.xs.shape[0] - 1, b.xs.shape[0] - 1
    step = max(1, _CHUNK // ((k + 1) * (e + 1)))
    work = _Work.get(k, e, min(step, num))
    for s in range(0, num, step):
        ca, cb, o = ia[s:s + step], ib[s:s + step], origin[s:s + step]
        area[s:s + step], unsure[s:s + step] = _overlap(
            a.xs[:, ca] - o[:, 0], a.ys[:, ca] - o[:, 1], a.ccw[ca],
            b.xs[:, cb] - o[:, 0], b.ys[:, cb] - o[:, 1], b.ccw[cb], exact,
            work)
    return area, unsure


class _Work:
    """Work arrays, kept per thread between calls (fresh large arrays cost
    page faults)."""
    _cache = threading.local()

    def __init__(self, size: int) -> None:
        self.size = size
        self.prod = [np.empty(size), np.empty(size)]
        self.side = [np.empty(size, bool) for _ in '123']

    @classmethod
    def get(cls, k: int, e: int, pairs: int) -> '_Work':
        size = pairs * (k + 1) * (e + 1)
        work = getattr(cls._cache, 'work', None)
        if work is None or work.size < size:
            work = cls._cache.work = cls(size)
        return work

    @staticmethod
    def view(buf: np.ndarray, shape: Tuple[int, ...]) -> np.ndarray:
        return buf[:int(np.prod(shape))].reshape(shape)


def _sides(rows: np.ndarray, cols: np.ndarray, work: _Work,
           slot: int) -> Tuple[np.ndarray, np.ndarray]:
    """``rows @ cols`` (R, V, W) and whether it is positive: which side of
    every edge line every vertex lies on, for all pairs."""
    shape = (rows.shape[0], rows.shape[1], cols.shape[2])
    prod = np.matmul(rows, cols, out=_Work.view(work.prod[slot], shape))
    return np.greater(prod, 0., out=_Work.view(work.side[slot], shape)), prod


def _overlap(px: np.ndarray, py: np.ndarray, p_ccw: np.ndarray, qx: np.ndarray,
             qy: np.ndarray, q_ccw: np.ndarray, exact: bool,
             work: _Work) -> Tuple[np.ndarray, np.ndarray]:
    """:func:`ring_overlaps` on one chunk of centred rings P (K + 1, R) and
    Q (E + 1, R)."""
    k, e, r = px.shape[0] - 1, qx.shape[0] - 1, px.shape[1]
    dx, dy = px[1:] - px[:-1], py[1:] - py[:-1]
    gx, gy = qx[1:] - qx[:-1], qy[1:] - qy[:-1]
    if exact:
        # Q moves by (ε, ε²): a P vertex on the line of a Q edge is left of
        # it when gy > 0, or gy == 0 and gx <= 0; a Q vertex on the line of
        # a P edge is left of it when dy < 0, or dy == 0 and dx >= 0. A
        # zero-length edge sees every vertex on one side: nothing crosses it.
        tie_q = np.where((gy > 0) | ((gy == 0) & (gx <= 0)), .5, -.5)
        tie_p = np.where((dy < 0) | ((dy == 0) & (dx >= 0)), .5, -.5)
    else:
        tie_q = tie_p = 0.
    # s1[., i, j]: P vertex i is left of Q edge j, i.e. (x, y, 1) . (-gy,
    # gx, gy qx - gx qy) > 0 (exact for integers: every term is an integer
    # or a half); column E is padding, always True
    rows = np.empty((r, k + 1, 3))
    rows[..., 0], rows[..., 1], rows[..., 2] = px.T, py.T, 1.
    cols = np.zeros((r, 3, e + 1))
    cols[:, 0, :-1], cols[:, 1, :-1] = -gy.T, gx.T
    cols[:, 2, :-1] = (gy * qx[:-1] - gx * qy[:-1] + tie_q).T
    cols[:, 2, -1] = 1.
    s1, o1 = _sides(rows, cols, work, 0)
    # s3[., i, j]: Q vertex j is left of P edge i, (R, K, E + 1)
    rows = np.empty((r, k, 3))
    rows[..., 0], rows[..., 1] = -dy.T, dx.T
    rows[..., 2] = (dy * px[:-1] - dx * py[:-1] + tie_p).T
    cols = np.empty((r, 3, e + 1))
    cols[:, 0], cols[:, 1], cols[:, 2] = qx.T, qy.T, 1.
    s3, o3 = _sides(rows, cols, work, 1)
    # P edge i crosses Q edge j: the ends of each lie on both sides of the
    # other (column E never: s1 is constant there)
    cross = _Work.view(work.side[2], (r, k, e + 1))
    flat = s3.reshape(-1)
    np.not_equal(flat[:-1], flat[1:], out=cross.reshape(-1)[:-1])
    cross &= s1[:, :-1] != s1[:, 1:]
    unsure = None if exact else _unsure(px, py, qx, qy, s1, o1, s3, o3, cross)
    c, rest = np.divmod(np.flatnonzero(cross), k * (e + 1))
    i, j = np.divmod(rest, e + 1)
    # crossing parameters on both edges (the limits of the perturbation)
    dxi, dyi, gxj, gyj = dx[i, c], dy[i, c], gx[j, c], gy[j, c]
    pxi, qxj = px[i, c], qx[j, c]
    rel_x, rel_y = qxj - pxi, qy[j, c] - py[i, c]
    with np.errstate(divide='ignore', invalid='ignore'):
        den = dxi * gyj - dyi * gxj
        t = np.clip((rel_x * gyj - rel_y * gxj) / den, 0., 1.)
        u = np.clip((rel_x * dyi - rel_y * dxi) / den, 0., 1.)
    # an edge enters the other polygon where its end is on the inner side
    f_p = dyi * t * (pxi + 0.5 * dxi * t)
    f_q = gyj * u * (qxj + 0.5 * gxj * u)
    sum_p = np.bincount(
        c, np.where(s1[c, i + 1, j] == q_ccw[c], -f_p, f_p), minlength=r)
    sum_q = np.bincount(
        c, np.where(s3[c, i, j + 1] == p_ccw[c], -f_q, f_q), minlength=r)
    # inside status of every vertex: the first by a ray towards +x (under
    # the same perturbation P's vertex moves down, Q's up), then the parity
    # of the crossings along the edges
    first_p = _ray_parity(qy >= py[0], s1[:, 0, :-1].T, gy)
    first_q = _ray_parity(py > qy[0], s3[:, :, 0].T, dy)
    in_p = _parity_after(np.bincount(i * r + c, minlength=k * r), first_p)
    in_q = _parity_after(np.bincount(j * r + c, minlength=e * r), first_q)
    sum_p += np.sum(dy * (px[:-1] + 0.5 * dx) * in_p, axis=0)
    sum_q += np.sum(gy * (qx[:-1] + 0.5 * gx) * in_q, axis=0)
    area = np.where(p_ccw, sum_p, -sum_p) + np.where(q_ccw, sum_q, -sum_q)
    # the parity closes around each ring unless a predicate was wrong
    odd = (in_p[-1] != first_p) | (in_q[-1] != first_q)
    return area, odd if exact else odd | unsure


def _unsure(px: np.ndarray, py: np.ndarray, qx: np.ndarray, qy: np.ndarray,
            s1: np.ndarray, o1: np.ndarray, s3: np.ndarray, o3: np.ndarray,
            cross: np.ndarray) -> np.ndarray:
    """Float arithmetic: the pairs where a decision that matters rests on a
    cross product within its error bound of zero.

    Only pairs with such a cross product are looked at. A crossing decision
    is certain when the ends of one edge are certainly on one side of the
    other's line, or when the edges' boxes are disjoint (then ``cross`` is
    cleared here), or when all four cross products are certain. The ray
    tests of the first vertices need their straddling edges certain.

    Returns:
        np.ndarray: (R, ) bool.
    """
    size = np.maximum(
        np.maximum(np.abs(px).max(0),
                   np.abs(py).max(0)),
        np.maximum(np.abs(qx).max(0),
                   np.abs(qy).max(0)))
    bound = (REL_ERR * size * size)[:, None, None]
    near1 = np.abs(o1) <= bound
    near1[..., -1] = False
    near3 = np.abs(o3) <= bound
    unsure = np.zeros(len(size), bool)
    rows = np.flatnonzero(near1.any(axis=(1, 2)) | near3.any(axis=(1, 2)))
    if len(rows) == 0:
        return unsure
    near1, near3, s1, s3 = near1[rows], near3[rows], s1[rows], s3[rows]
    px, py, qx, qy = px[:, rows], py[:, rows], qx[:, rows], qy[:, rows]
    near_p = near1[:, :-1] | near1[:, 1:]
    near_q = near3.copy()
    near_q.reshape(-1)[:-1] |= near3.reshape(-1)[1:]
    same_p = ~near_p & (s1[:, :-1] == s1[:, 1:])
    same_q = ~near_q
    same_q.reshape(-1)[:-1] &= s3.reshape(-1)[:-1] == s3.reshape(-1)[1:]
    boxes = np.ones_like(same_p)
    for p, q in ((px, qx), (py, qy)):
        p_lo, p_hi = np.minimum(p[:-1], p[1:]).T, np.maximum(p[:-1], p[1:]).T
        q_lo = np.minimum(q, np.roll(q, -1, axis=0)).T
        q_hi = np.maximum(q, np.roll(q, -1, axis=0)).T
        boxes &= (p_lo[:, :, None] <= q_hi[:, None]) & \
            (q_lo[:, None] <= p_hi[:, :, None])
    cross[rows] &= boxes
    doubt = ((near_p & ~same_q) | (near_q & ~same_p)) & boxes
    doubt[..., -1] = False
    # ray tests: a straddling edge with the vertex near its line
    above = qy >= py[0]
    ray_p = (above[:-1] != above[1:]).T & near1[:, 0, :-1]
    above = py > qy[0]
    ray_q = (above[:-1] != above[1:]).T & near3[:, :, 0]
    unsure[rows] = doubt.any(axis=(1, 2)) | ray_p.any(1) | ray_q.any(1)
    return unsure


def _ray_parity(above: np.ndarray, left: np.ndarray,
                edge_y: np.ndarray) -> np.ndarray:
    """Point-in-polygon by a ray towards +x, one point per pair.

    Args:
        above (np.ndarray): (W + 1, R) ring vertices above the point.
        left (np.ndarray): (W, R) the point is left of each ring edge.
        edge_y (np.ndarray): (W, R) y components of the ring edges.

    Returns:
        np.ndarray: (R, ) uint8, 1 inside, 0 outside.
    """
    hits = (above[:-1] != above[1:]) & (left == (edge_y > 0))
    return (np.count_nonzero(hits, axis=0) & 1).astype(np.uint8)


def _parity_after(counts: np.ndarray, first: np.ndarray) -> np.ndarray:
    """(W, R) inside status after each edge, from the first vertex's status
    and the (W * R, ) crossing counts per edge."""
    status = (counts.reshape(-1, len(first)) & 1).astype(np.uint8)
    status[0] ^= first
    for w in range(1, len(status)):  # rows: faster than accumulate
        status[w] ^= status[w - 1]
    return status
