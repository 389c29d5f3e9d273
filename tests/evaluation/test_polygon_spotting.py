# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The polygon end-to-end spotting core on hand-made cases.

Boxes are axis-aligned rectangles with integer corners, so every area and
IoU below is exact and computed by hand in the comments.
"""
import numpy as np
import pytest

from mmocr_ext.evaluation.functional.point_spotting_lexicon import LexiconSet
from mmocr_ext.evaluation.functional.polygon_spotting import (
    PolygonSpottingImage, evaluate_polygon_spotting, polygon_overlaps)


def box(x0, y0, x1, y1):
    return [x0, y0, x1, y0, x1, y1, x0, y1]


A = box(0, 0, 10, 10)  # area 100
B = box(20, 0, 30, 10)  # area 100, disjoint from A


def image(preds, gts, name='img.jpg'):
    """preds: [(poly, text, score)], gts: [(poly, text)] or
    [(poly, text, ignored)]."""
    return PolygonSpottingImage.build(
        name, [p[0] for p in preds], [p[1] for p in preds],
        [p[2] for p in preds], [g[0] for g in gts], [g[1] for g in gts],
        [bool(g[2]) if len(g) > 2 else False for g in gts])


def fixed(images, thrs=(0.0, ), **kw):
    """The result at one threshold, plus the whole result dict."""
    res = evaluate_polygon_spotting(images, list(thrs), **kw)
    best = res['best']
    return (best['num_tp'], best['num_pred'], best['num_gt']), res


def test_exact_match():
    counts, res = fixed([image([(A, 'cat', .9)], [(A, 'cat')])])
    assert counts == (1, 1, 1)
    assert res['best']['hmean'] == 1.0


@pytest.mark.parametrize(
    'x1, tp',
    [
        (19, 1),  # inter 100, union 190: IoU .526
        (20, 1),  # inter 100, union 200: IoU exactly .5 (>= matches)
        (21, 0),  # inter 100, union 210: IoU .476
    ])
def test_iou_threshold(x1, tp):
    counts, _ = fixed([image([(box(0, 0, x1, 10), 'cat', .9)], [(A, 'cat')])])
    assert counts == (tp, 1, 1)


def test_iou_threshold_shifted_box():
    # shift by s: inter 100 - 10 s, union 100 + 10 s. s=3: 70/130 = .538
    # (TP); s=4: 60/140 = .429 (FP)
    counts, _ = fixed([
        image([(box(3, 0, 13, 10), 'a', .9)], [(A, 'a')], 'x.jpg'),
        image([(box(4, 0, 14, 10), 'b', .9)], [(A, 'b')], 'y.jpg')
    ])
    assert counts == (1, 2, 2)


def test_case_insensitive():
    counts, _ = fixed([image([(A, 'CaT', .9)], [(A, 'cAt')])])
    assert counts == (1, 1, 1)


def test_wrong_text_right_place():
    # a wrong word is a FP and the GT is missed
    counts, res = fixed([image([(A, 'dog', .9)], [(A, 'cat')])])
    assert counts == (0, 1, 1)
    assert res['best']['hmean'] == 0.
    # it does not use up the GT: a right word there still matches
    # (tp 1, pred 2: P .5, R 1)
    counts, res = fixed(
        [image([(A, 'dog', .9), (A, 'cat', .8)], [(A, 'cat')])])
    assert counts == (1, 2, 1)
    assert res['best']['precision'] == 0.5


def test_dont_care_gt():
    gts = [(A, '###'), (B, 'sun'), (box(40, 0, 50, 10), 'moon', True)]
    preds = [
        (A, 'abc', .9),  # on '###': don't care
        (B, 'SUN', .9),  # TP
        (box(40, 0, 50, 10), 'moon', .9),  # on an ignored GT: don't care
        # half of its area on '###' (inter 50 / own 100 >= .5, IoU 50/150
        # only .33): don't care by the area-precision rule
        (box(5, 0, 15, 10), 'x', .9),
        # 40 % on '###': counted, a FP
        (box(6, 0, 16, 10), 'y', .9),
    ]
    counts, res = fixed([image(preds, gts)])
    # care GT: sun only; counted predictions: SUN and y
    assert counts == (1, 2, 1)
    assert res['num_pred_dont_care'] == 3


def test_duplicates_one_tp_one_fp():
    # tp 1, pred 2, gt 1: P .5, R 1, H 2/3; at .7 only the .9 one is left
    res = evaluate_polygon_spotting(
        [image([(A, 'cat', .6), (A, 'cat', .9)], [(A, 'cat')])], [.5, .7])
    lo, hi = res['sweep']
    assert (lo['num_tp'], lo['num_pred']) == (1, 2)
    assert lo['hmean'] == pytest.approx(2 / 3)
    assert (hi['num_tp'], hi['num_pred'], hi['hmean']) == (1, 1, 1.0)
    assert res['best'] is hi


def test_greedy_by_score_then_iou():
    g1, g2 = box(0, 0, 20, 10), box(4, 0, 24, 10)
    hi = box(1, 0, 21, 10)  # IoU g1 190/210 = .905, g2 170/230 = .739
    lo = box(-6, 0, 14, 10)  # IoU g1 140/260 = .538, g2 100/300 = .333
    # listed first but scored lower: hi goes first and takes g1 (its best
    # IoU), so lo finds nothing: tp 1, pred 2, gt 2
    counts, _ = fixed([
        image([(lo, 'cat', .5), (hi, 'cat', .9)], [(g1, 'cat'), (g2, 'cat')])
    ])
    assert counts == (1, 2, 2)


def test_lexicon_corrects_near_miss(tmp_path):
    (tmp_path / 'weak.txt').write_text('Cat\nDog\n')
    lex = LexiconSet('weak', str(tmp_path / 'weak.txt'))
    preds = [(A, 'cst', .9), (B, 'zzzz', .9)]
    gts = [(A, 'cat'), (B, 'dog')]
    # no lexicon: both FP
    assert fixed([image(preds, gts)])[0] == (0, 2, 2)
    # cst -> Cat (distance 1/3 < .4): TP; zzzz (distance 1): dropped
    counts, res = fixed([image(preds, gts)], lexicons=lex)
    assert counts == (1, 1, 2)
    assert res['num_dropped_by_lexicon'] == 1


def test_empty_predictions_and_image_without_predictions():
    counts, res = fixed([image([], [(A, 'cat')])])
    assert counts == (0, 0, 1)
    assert res['best']['precision'] == res['best']['hmean'] == 0.
    # one image matched, one without predictions: P 1, R .5, H 2/3
    counts, res = fixed([
        image([(A, 'cat', .9)], [(A, 'cat')], 'a.jpg'),
        image([], [(A, 'sun')], 'b.jpg')
    ])
    assert counts == (1, 1, 2)
    assert res['best']['hmean'] == pytest.approx(2 / 3)
    assert res['num_images'] == 2 and res['num_images_without_pred'] == 1
    # nothing at all
    counts, res = fixed([image([], [])])
    assert counts == (0, 0, 0) and res['best']['hmean'] == 0.


def test_image_without_gt_and_degenerate_prediction():
    # predictions on an image without GT are FPs; a 2-point polygon has no
    # area and matches nothing
    counts, _ = fixed([
        image([(A, 'cat', .9)], [], 'a.jpg'),
        image([([0, 0, 10, 10], 'cat', .9)], [(A, 'cat')], 'b.jpg')
    ])
    assert counts == (0, 2, 1)


def test_sweep_fixed_and_float32_scores():
    imgs = [image([(A, 'cat', .9), (B, 'dog', .4)], [(A, 'cat')])]
    res = evaluate_polygon_spotting(
        imgs, [.3, .4, .5, .9], fixed_score_thr=np.float32(.9))
    # .3, .4: tp 1, pred 2 (H 2/3); .5 and .9: tp 1, pred 1 (H 1); the
    # first best wins. A float32 .9 score is kept at .9.
    assert [r['hmean']
            for r in res['sweep']] == pytest.approx([2 / 3, 2 / 3, 1., 1.])
    assert res['best']['score_thr'] == 0.5
    assert res['fixed']['num_pred'] == 1
    with pytest.raises(ValueError, match='empty'):
        evaluate_polygon_spotting(imgs, [])


def test_polygon_overlaps_local_indices():
    imgs = [
        image([(B, 'x', .9)], [(A, 'a'), (B, 'b')], 'a.jpg'),
        image([(A, 'y', .9), (A, 'z', .9)], [(A, '###'), (A, 'a')], 'b.jpg')
    ]
    flags, pairs = polygon_overlaps(imgs)
    assert flags[0].tolist() == [False]
    assert flags[1].tolist() == [True, True]
    g, d, iou = pairs[0]
    assert (g.tolist(), d.tolist(), iou.tolist()) == ([1], [0], [1.0])
    assert pairs[1][0].tolist() == [1, 1] and pairs[1][1].tolist() == [0, 1]


def test_build_errors():
    with pytest.raises(ValueError, match='x.jpg: 1 predicted polygons, 0'):
        PolygonSpottingImage.build('x.jpg', [A], [], [1.], [], [])
    with pytest.raises(ValueError, match='predicted polygon 0 has 3'):
        PolygonSpottingImage.build('x.jpg', [[1, 2, 3]], ['a'], [1.], [], [])
    with pytest.raises(ValueError, match='1 GT ignore flags, 2 texts'):
        PolygonSpottingImage.build('x.jpg', [], [], [], [A, B], ['a', 'b'],
                                   [True])


def _brute_force(img, thr=0.):
    """Rules 3-5 with plain shapely, one pair at a time."""
    from shapely.geometry import Polygon

    def geom(p):
        g = Polygon(p) if len(p) >= 3 else Polygon()
        if not g.is_valid:  # mmocr's poly_make_valid
            g = g.buffer(0)
            g = g if g.geom_type == 'Polygon' else g.convex_hull
        return g

    gts = [geom(p) for p in img.gt_polys]
    preds = [geom(p) for p in img.pred_polys]
    counted = [
        i for i in np.argsort(-img.pred_scores, kind='stable')
        if img.pred_scores[i] >= thr and not any(
            ign and preds[i].area > 0 and preds[i].intersection(g).area >= .5 *
            preds[i].area for g, ign in zip(gts, img.gt_ignored))
    ]
    matched, tp = set(), 0
    for i in counted:
        best = None
        for j, g in enumerate(gts):
            inter = preds[i].intersection(g).area
            union = preds[i].area + g.area - inter
            ok = (not img.gt_ignored[j] and j not in matched and inter > 0
                  and inter / union >= .5
                  and img.pred_texts[i].upper() == img.gt_texts[j].upper())
            if ok and (best is None or inter / union > best[0]):
                best = (inter / union, j)
        if best is not None:
            matched.add(best[1])
            tp += 1
    return tp, len(counted), int(np.sum(~img.gt_ignored))


def test_random_scenes_agree_with_shapely():
    rng = np.random.default_rng(0)
    images = []
    for k in range(30):
        n_gt, n_pred = rng.integers(0, 6), rng.integers(0, 8)
        centres = rng.uniform(0, 60, (n_gt + n_pred, 2))
        polys = []
        for c in centres:  # jittered 6-gons, some self-intersecting
            ang = np.sort(rng.uniform(0, 2 * np.pi, 6))
            if rng.random() < .2:
                ang = rng.permutation(ang)
            r = rng.uniform(5, 15, 6)
            polys.append(c + np.stack([r * np.cos(ang), r * np.sin(ang)], 1))
        gt_polys, pred_polys = polys[:n_gt], polys[n_gt:]
        # predictions near the GTs too
        pred_polys += [p + rng.normal(0, 2, (1, 2)) for p in gt_polys]
        words = ['ab', 'AB', 'cd', '###']
        images.append(
            PolygonSpottingImage.build(
                f'{k}.jpg', pred_polys,
                [words[i] for i in rng.integers(0, 3, len(pred_polys))],
                rng.uniform(0, 1, len(pred_polys)).round(2), gt_polys,
                [words[i] for i in rng.integers(0, 4, n_gt)],
                rng.random(n_gt) < .1))
    res = evaluate_polygon_spotting(images, [0., .5])
    for r, thr in zip(res['sweep'], (0., .5)):
        expected = np.sum([_brute_force(i, thr) for i in images], axis=0)
        assert (r['num_tp'], r['num_pred'], r['num_gt']) == tuple(expected)
    assert res['sweep'][0]['num_tp'] > 5  # the scenes do match something
