# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Point-based spotting core (SPTS protocol), hand-computed counts."""
import numpy as np
import pytest

from mmocr_ext.evaluation.functional.point_spotting import (
    SpottingImage, evaluate_point_spotting, match_points, nearest_gt,
    polygon_center, score_thresholds)


def quad(cx, cy, hw=2., hh=2.):
    """A flat axis-aligned quad centred at (cx, cy)."""
    return [
        cx - hw, cy - hh, cx + hw, cy - hh, cx + hw, cy + hh, cx - hw, cy + hh
    ]


def image(name, preds, gts):
    """preds: [(x, y, text, score)], gts: [(cx, cy, text, ignored)]."""
    return SpottingImage.build(name, [p[:2] for p in preds],
                               [p[2] for p in preds], [p[3] for p in preds],
                               [quad(g[0], g[1]) for g in gts],
                               [g[2] for g in gts], [g[3] for g in gts])


def test_polygon_center_modes():
    np.testing.assert_allclose(
        polygon_center([0, 0, 10, 0, 10, 4, 0, 4]), [5, 2])
    # a square with an extra vertex on its left edge
    pent = [0, 0, 10, 0, 10, 10, 0, 10, 0, 5]
    np.testing.assert_allclose(polygon_center(pent), [4, 5])
    np.testing.assert_allclose(
        polygon_center(pent, 'min_area_rect'), [5, 5], atol=1e-9)
    with pytest.raises(ValueError, match='center'):
        polygon_center(pent, 'bbox')


def test_nearest_gt_first_on_ties_and_no_gt():
    idx, dist = nearest_gt([[27.5, 5]], [[5, 5], [50, 5]])
    assert idx.tolist() == [0] and dist.tolist() == [22.5]
    idx, dist = nearest_gt([[1, 1]], np.zeros((0, 2)))
    assert idx.tolist() == [-1] and np.isinf(dist[0])


def test_match_points_rules():
    img = image('a.jpg', [(6, 5, 'HELLO', 1), (4, 5, 'hello', 1),
                          (52, 5, 'word', 1), (99, 5, 'x', 1),
                          (149, 5, 'foo', 1)], [(5, 5, 'Hello', False),
                                                (50, 5, 'World', False),
                                                (100, 5, '###', False),
                                                (150, 5, 'foo', True)])
    assert img.gt_ignored.tolist() == [False, False, True, True]
    # p0 TP (case-insensitive); p1 FP (g0 taken); p2 FP (text);
    # p3, p4 nearest a don't-care GT: not counted
    assert match_points(img.pred_points, img.pred_texts, img.gt_centers,
                        img.gt_texts, img.gt_ignored) == (1, 3, 2)


def test_point_dist_thr():
    img = image('a.jpg', [(7, 5, 'hello', 1), (4, 5, 'xx', 1)],
                [(5, 5, 'hello', False)])
    args = (img.pred_points, img.pred_texts, img.gt_centers, img.gt_texts,
            img.gt_ignored)
    assert match_points(*args) == (1, 2, 1)
    # 2 px away > 1.5: a FP; the near one has the wrong text
    assert match_points(*args, point_dist_thr=1.5) == (0, 2, 1)


def test_tie_goes_to_first_gt():
    gts = [(5, 5, 'hello', False), (50, 5, 'world', False)]
    for text, tp in (('hello', 1), ('world', 0)):
        img = image('a.jpg', [(27.5, 5, text, 1)], gts)
        assert match_points(img.pred_points, img.pred_texts, img.gt_centers,
                            img.gt_texts, img.gt_ignored)[0] == tp


def test_score_thresholds():
    thrs = score_thresholds()
    assert len(thrs) == 20 and thrs[0] == 0.8 and thrs[-1] == 0.99
    assert score_thresholds(0.8, 1.0, 0.05).tolist() == [.8, .85, .9, .95]
    with pytest.raises(ValueError, match='empty'):
        score_thresholds(1.0, 0.8, 0.01)


def dataset():
    a = image('a.jpg', [(5, 5, 'cat', .95), (50, 5, 'dog', .85),
                        (200, 5, 'emu', .90)], [(5, 5, 'cat', False),
                                                (50, 5, 'dog', False)])
    b = image('b.jpg', [], [(5, 5, 'sun', False)])
    c = image('c.jpg', [(5, 5, 'x', .99)], [])
    return [a, b, c]


def test_sweep_best_and_fixed():
    res = evaluate_point_spotting(
        dataset(), [.8, .85, .9, .95], fixed_score_thr=0.0)
    got = [(r['num_tp'], r['num_pred'], r['num_gt']) for r in res['sweep']]
    # .8/.85: cat TP, dog TP, emu FP (g1 taken); .9: cat TP, emu FP (text);
    # .95: cat; c.jpg has no GT: not counted (mmocr)
    assert got == [(2, 3, 3), (2, 3, 3), (1, 2, 3), (1, 1, 3)]
    assert [r['hmean']
            for r in res['sweep']] == pytest.approx([2 / 3, 2 / 3, 0.4, 0.5])
    assert res['best']['score_thr'] == 0.8  # first of the ties
    assert res['best']['precision'] == pytest.approx(2 / 3)
    assert res['fixed']['score_thr'] == 0.0
    assert res['fixed']['hmean'] == pytest.approx(2 / 3)
    assert res['num_images'] == 3 and res['num_images_without_pred'] == 1


def test_count_fp_without_gt():
    res = evaluate_point_spotting(
        dataset(), [.8, .95], count_fp_without_gt=True)
    assert [(r['num_tp'], r['num_pred']) for r in res['sweep']] == [(2, 4),
                                                                    (1, 2)]
    assert res['best']['hmean'] == pytest.approx(4 / 7)
    assert res['fixed'] is None


def test_empty_dataset_and_bad_input():
    res = evaluate_point_spotting([image('e.jpg', [], [])], [0.8])
    assert res['best']['hmean'] == 0 and res['best']['num_gt'] == 0
    with pytest.raises(ValueError, match='x.jpg: 1 predicted points, 2'):
        SpottingImage.build('x.jpg', [[0, 0]], ['a', 'b'], [1], [], [])
    with pytest.raises(ValueError, match='x.jpg: GT polygon with 3'):
        SpottingImage.build('x.jpg', [], [], [], [[0, 0, 1]], ['a'])


def test_float32_scores_at_the_threshold():
    img = SpottingImage.build('a.jpg', [[5, 5]], ['a'],
                              np.array([0.9], np.float32),
                              [[0, 0, 10, 0, 10, 10, 0, 10]], ['a'])
    res = evaluate_point_spotting([img], [0.9])
    assert res['best']['num_tp'] == 1  # float32(0.9) >= 0.9
