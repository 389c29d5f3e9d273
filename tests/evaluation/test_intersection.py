# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Vectorised intersection areas (Green's theorem) against GEOS, including
degenerate configurations, and the star-shaped simplicity test."""
import numpy as np
import pytest
import shapely

from mmocr_ext.evaluation.functional import intersection
from mmocr_ext.evaluation.functional import polygon_arrays as pa
from mmocr_ext.evaluation.functional import simplicity


def random_polygon(rng, num, center, radius, integer):
    """A random star-shaped (mostly concave) polygon, random orientation."""
    angles = np.sort(rng.uniform(0, 2 * np.pi, num))
    radii = radius * rng.uniform(0.3, 1., num)
    pts = center + np.stack([np.cos(angles), np.sin(angles)], 1) * radii[:,
                                                                         None]
    if integer:
        pts = np.round(pts)
    return pts[::-1] if rng.random() < 0.5 else pts


def polygons(polys):
    return np.array([shapely.Polygon(p) for p in polys], dtype=object)


def valid_pairs(gts, dets):
    """The pairs of two valid (simple) polygons."""
    keep = shapely.is_valid(polygons(gts)) & shapely.is_valid(polygons(dets))
    return ([g for g, k in zip(gts, keep)
             if k], [d for d, k in zip(dets, keep) if k])


def geos_areas(gts, dets):
    return shapely.area(shapely.intersection(polygons(gts), polygons(dets)))


def ours(gts, dets):
    """Intersection areas of gts[n] and dets[n] through PolygonArrays (the
    numpy path, GEOS only where floats cannot decide)."""
    a, b = pa.PolygonArrays(gts), pa.PolygonArrays(dets)
    idx = np.arange(len(gts))
    return pa.intersection_areas(a, b, idx, idx), a, b


def exact_overlaps(a, b):
    """The numpy path alone, with integer arithmetic."""
    idx = np.arange(len(a))
    return intersection.ring_overlaps(a.rings, idx, b.rings, idx,
                                      np.floor(a.lo), True)


@pytest.mark.parametrize('integer', [True, False])
def test_random_concave_pairs_match_geos(integer):
    rng = np.random.default_rng(0)
    gts, dets = [], []
    for _ in range(3000):
        num_g, num_d = rng.integers(3, 16, 2)
        center = rng.uniform(0, 100, 2)
        gts.append(random_polygon(rng, num_g, center, 30, integer))
        dets.append(
            random_polygon(rng, num_d, center + rng.normal(0, 15, 2), 30,
                           integer))
    gts, dets = valid_pairs(gts, dets)
    assert len(gts) > 2500
    ref = geos_areas(gts, dets)
    areas, a, b = ours(gts, dets)
    np.testing.assert_allclose(areas, ref, rtol=1e-9, atol=1e-9)
    assert (ref > 0).mean() > 0.8
    if integer:  # every pair exact without GEOS
        assert a.integral.all() and b.integral.all()
        exact, unsure = exact_overlaps(a, b)
        assert not unsure.any()
        np.testing.assert_allclose(exact, ref, rtol=1e-9, atol=1e-9)


def square(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float)


# (gt, det, expected area): every degenerate case integer coordinates meet
DEGENERATE = [
    (square(0, 0, 10, 10), square(0, 0, 10, 10), 100.),  # identical
    (square(0, 0, 10, 10), square(0, 0, 10, 10)[::-1], 100.),  # reversed
    (square(0, 0, 10, 10), square(10, 0, 20, 10), 0.),  # shared edge
    (square(0, 0, 10, 10), square(10, 10, 20, 20), 0.),  # touching corner
    (square(0, 0, 10, 10), square(5, 0, 15, 10), 50.),  # collinear edges
    (square(0, 0, 10, 10), square(2, 2, 8, 8), 36.),  # inside
    (square(2, 2, 8, 8), square(0, 0, 10, 10), 36.),  # contains
    (square(0, 0, 10, 10), square(0, 2, 10, 8), 60.),  # inside, touching
    (square(0, 0, 10, 10), square(20, 0, 30, 10), 0.),  # disjoint
    (square(0, 0, 10, 10), square(-5, 5, 5, 15), 25.),  # corner overlap
    (square(0, 0, 10, 10), np.array([[5, 0], [10, 5], [5, 10], [0, 5]],
                                    float), 50.),  # vertices on edges
    (square(0, 0, 10, 10), np.array([[0, 0], [10, 10], [0, 10]],
                                    float), 50.),  # diagonal on corners
    # concave U and a box through its notch, sharing edge lines
    (np.array([[0, 0], [30, 0], [30, 20], [20, 20], [20, 10], [10, 10],
               [10, 20], [0, 20]], float), square(0, 10, 30, 20), 200.),
    # duplicate consecutive points, and a 3-point triangle vs a 14-gon
    (np.array([[0, 0], [10, 0], [10, 0], [10, 10], [0, 10], [0, 10]],
              float), square(5, 5, 15, 15), 25.),
    (np.array([[0, 0], [14, 0], [7, 7]], float),
     np.array([[x, 0] for x in range(0, 14, 2)] + [[x, 3]
                                                   for x in range(12, -1, -2)],
              float), 31.),
]


def test_degenerate_cases_exact_without_geos():
    gts = [g for g, _, _ in DEGENERATE]
    dets = [d for _, d, _ in DEGENERATE]
    expected = [area for _, _, area in DEGENERATE]
    areas, a, b = ours(gts, dets)
    np.testing.assert_allclose(areas, expected, atol=1e-9)
    np.testing.assert_allclose(geos_areas(gts, dets), expected, atol=1e-9)
    exact, unsure = exact_overlaps(a, b)
    assert not unsure.any()
    np.testing.assert_allclose(exact, expected, atol=1e-9)


def test_degenerate_float_cases_fall_back_to_geos():
    # the same configurations shifted by a non-integer offset: float
    # arithmetic cannot decide the touching predicates, GEOS does
    gts = [g + 0.1 for g, _, _ in DEGENERATE]
    dets = [d + 0.1 for _, d, _ in DEGENERATE]
    expected = [area for _, _, area in DEGENERATE]
    areas, a, b = ours(gts, dets)
    assert not a.integral.any()
    np.testing.assert_allclose(areas, expected, atol=1e-9)
    idx = np.arange(len(gts))
    _, unsure = intersection.ring_overlaps(a.rings, idx, b.rings, idx,
                                           np.floor(a.lo), False)
    assert unsure[[0, 2, 3, 4]].all()  # identical, shared edge, corner...
    assert not unsure[8]  # disjoint: nothing to decide


def test_random_degenerate_integer_pairs():
    # small integer grids make vertices on edges and collinear edges common
    rng = np.random.default_rng(1)
    gts, dets = [], []
    for _ in range(3000):
        gts.append(random_polygon(rng, rng.integers(3, 9), (5, 5), 5, True))
        dets.append(random_polygon(rng, rng.integers(3, 9), (5, 5), 5, True))
    gts, dets = valid_pairs(gts, dets)
    areas, a, b = ours(gts, dets)
    np.testing.assert_allclose(areas, geos_areas(gts, dets), atol=1e-9)
    exact, unsure = exact_overlaps(a, b)
    assert not unsure.any()
    np.testing.assert_allclose(exact, areas, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize('integer', [True, False])
def test_simplicity_proofs_never_accept_an_invalid_ring(integer):
    rng = np.random.default_rng(2)
    polys = [
        rng.integers(0, 12, (rng.integers(3, 10), 2)).astype(float)
        for _ in range(5000)
    ]
    polys += [random_polygon(rng, 12, (50, 50), 40, True) for _ in range(500)]
    if not integer:
        polys = [p * 0.37 + 0.1 for p in polys]
    # plus shapes to accept: convex, star-shaped, a U, a 14-point text line
    polys += [square(0, 0, 5, 3), DEGENERATE[12][0], DEGENERATE[14][1]]
    pts, counts = pa.pad_polygons(polys)
    xs, ys = pa._closed(pts)
    valid = shapely.is_valid(polygons(polys))
    star = simplicity.star_simple(xs, ys, counts)
    simple = simplicity.certainly_simple(xs, ys, counts,
                                         np.full(len(polys), integer))
    assert not (star & ~valid).any()
    assert not (simple & ~valid).any()
    assert star[-3:].tolist() == [True, False, True]
    assert simple[-3:].all()
    # the edge test proves the valid rings but those touching themselves
    assert simple.sum() > 0.9 * valid.sum()


def test_folded_ring_is_repaired_not_taken_as_convex():
    # every turn of this ring is a left turn or straight, but it runs back
    # along (194, 191) -> (196, 191): invalid for GEOS, so it is repaired
    # like any self-intersecting ring before its intersection is computed
    gt = np.array([[204, 189], [203, 193], [196, 193], [195, 194], [192, 194],
                   [186, 188], [201, 178]], float)
    det = np.array([[203, 187], [201, 191], [194, 191], [196, 191], [192, 192],
                    [185, 185], [200, 176]], float)
    areas, _, b = ours([gt], [det])
    fixed = shapely.Polygon(det).buffer(0)
    assert b.area[0] == pytest.approx(fixed.area)
    assert areas[0] == pytest.approx(
        shapely.Polygon(gt).intersection(fixed).area, rel=1e-12)
    assert areas[0] > 100


def test_self_intersecting_and_holes_are_repaired():
    # a bow-tie becomes one triangle (buffer(0)); a ring touching itself
    # can give a polygon with a hole, intersected by GEOS
    bow = np.array([[0, 0], [30, 10], [30, 0], [0, 10]], float)
    holed = np.array([[0, 0], [10, 0], [10, 10], [5, 10], [5, 7], [7, 7],
                      [7, 3], [3, 3], [3, 7], [5, 7], [5, 10], [0, 10]], float)
    # a pentagram: buffer(0) gives its 10-point outline, wider than the
    # 5 columns of the other rings
    ang = np.pi / 2 + np.arange(5) * 4 * np.pi / 5
    star = np.round(np.stack([np.cos(ang), np.sin(ang)], 1) * 100)
    gts = [bow, holed, star]
    dets = [
        square(0, 0, 30, 10),
        square(0, 0, 10, 10),
        square(-50, -50, 50, 50)
    ]
    areas, a, _ = ours(gts, dets)
    fixed = [shapely.Polygon(g).buffer(0) for g in gts]  # mmocr's repair
    assert a.area[0] == pytest.approx(75.)
    assert a.complex.tolist() == [False, True, False]
    assert a.counts[2] == 10
    widened = pa.PolygonArrays([star, bow])
    assert widened.rings.xs.shape[0] == 11  # the 5-point rings padded
    assert widened.area[0] == pytest.approx(fixed[2].area)
    np.testing.assert_allclose(
        areas,
        [f.intersection(shapely.Polygon(d)).area for f, d in zip(fixed, dets)],
        atol=1e-9)


@pytest.mark.parametrize('chunk', [7, 1 << 14])
def test_candidate_pairs_are_the_overlapping_boxes(monkeypatch, chunk):
    # the one pair finder of both protocols: every same-image pair whose
    # closed boxes overlap, in (gt, det) order, whatever the chunking
    monkeypatch.setattr(pa, '_PAIR_CHUNK', chunk)
    rng = np.random.default_rng(3)
    num_gt, num_det = rng.integers(0, 9, 30), rng.integers(0, 9, 30)
    num_gt[4], num_det[4] = 40, 30  # an image larger than a chunk
    gts = [
        square(x, y, x + w, y + 5)
        for x, y, w in rng.integers(0, 60, (num_gt.sum(), 3))
    ]
    dets = [
        square(x, y, x + w, y + 5)
        for x, y, w in rng.integers(0, 60, (num_det.sum(), 3))
    ]
    gts[0] = gts[0][:2]  # no area: never a candidate
    gt_img = np.repeat(np.arange(30), num_gt)
    det_img = np.repeat(np.arange(30), num_det)
    a, b = pa.PolygonArrays(gts), pa.PolygonArrays(dets)
    g, d = pa.candidate_pairs(a, gt_img, b, det_img, 30)
    expected = [(i, j) for i in range(len(gts)) for j in range(len(dets))
                if gt_img[i] == det_img[j] and i > 0 and (
                    a.lo[i] <= b.hi[j]).all() and (b.lo[j] <= a.hi[i]).all()]
    assert list(zip(g.tolist(), d.tolist())) == expected
    assert len(expected) > 150


def _comb(teeth: int) -> np.ndarray:
    """A simple, non-star-shaped ring of ``4 * teeth + 2`` points."""
    top = []
    for t in range(teeth):
        top += [(4 * t, 10), (4 * t + 2, 10), (4 * t + 2, 2), (4 * t + 4, 2)]
    return np.array(top[:-1] + [(4 * teeth, 10), (4 * teeth, 0), (0, 0)],
                    float)


def test_long_rings_are_left_to_geos_and_chunks_agree():
    """Rings longer than MAX_EDGE_TEST_POINTS are not tested pairwise (that
    is K^2 memory per ring: a noisy 2000-point mask contour took GBs); the
    others are tested in chunks, with the same answers as in one call."""
    rng = np.random.default_rng(5)
    polys = [_comb(t) for t in (3, 20, 60, 70)]
    polys += [random_polygon(rng, 12, (50, 50), 40, True) for _ in range(300)]
    assert [len(p) for p in polys[:4]] == [14, 82, 242, 282]
    pts, counts = pa.pad_polygons(polys)
    xs, ys = pa._closed(pts)
    exact = np.ones(len(polys), bool)
    valid = shapely.is_valid(polygons(polys))
    assert valid[:4].all()
    simple = simplicity.certainly_simple(xs, ys, counts, exact)
    # Combs are not star-shaped: proven by the edge test up to 256 points.
    assert simple[:4].tolist() == [True, True, True, False]
    one_call = simplicity.edges_apart(xs, ys, counts, exact)
    star = simplicity.star_simple(xs, ys, counts)
    short = counts <= simplicity.MAX_EDGE_TEST_POINTS
    np.testing.assert_array_equal(simple[short], (star | one_call)[short])
