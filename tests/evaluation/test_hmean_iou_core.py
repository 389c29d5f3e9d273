# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""RRC IoU protocol on hand-made cases with hand-computed expectations."""
import numpy as np
import pytest

from mmocr_ext.evaluation.functional import (EvalSample, IoUTable,
                                             build_polygons, evaluate_files,
                                             evaluate_iou, load_samples)
from eval_test_utils import box, write_files

GT_30 = box(0, 0, 30, 10)  # area 300


def evaluate(tmp_path, gts, dets, **kwargs):
    gt = write_files(tmp_path / 'gt', gts)
    det = write_files(tmp_path / 'det', dets)
    return evaluate_files(gt, det, 'icdar2015', **kwargs)


def counts(res):
    return res['num_gt_care'], res['num_det_care'], res['num_matched']


@pytest.mark.parametrize(
    'det, iou_thr, matched',
    [
        # inter 210, union 390: IoU 0.538 > 0.5
        (box(9, 0, 39, 10), 0.5, 1),
        # inter 200, union 400: IoU exactly 0.5 is not a match (strict)
        (box(10, 0, 40, 10), 0.5, 0),
        # inter 190, union 410: IoU 0.463
        (box(11, 0, 41, 10), 0.5, 0),
        # 0.538 is below a 0.55 threshold
        (box(9, 0, 39, 10), 0.55, 0),
    ])
def test_iou_threshold_is_strict(tmp_path, det, iou_thr, matched):
    res = evaluate(
        tmp_path, {'gt_img_1.txt': [GT_30 + ',word']},
        {'res_img_1.txt': [det]},
        iou_thr=iou_thr)
    assert counts(res) == (1, 1, matched)
    assert res['precision'] == res['recall'] == res['hmean'] == matched


def test_dont_care_filtering(tmp_path):
    gts = [GT_30 + ',word', box(100, 0, 200, 10) + ',###']
    dets = [
        box(0, 0, 30, 10),  # matches the care gt
        box(160, 0, 210, 10),  # 40 of 50 inside ###: 0.8 > 0.5, ignored
        box(150, 0, 250, 10),  # 50 of 100 inside ###: 0.5, not > 0.5: FP
        box(500, 0, 510, 10),  # nowhere: FP
    ]
    res = evaluate(tmp_path, {'gt_img_1.txt': gts}, {'res_img_1.txt': dets})
    assert counts(res) == (1, 3, 1)
    assert res['precision'] == pytest.approx(1 / 3)
    assert res['recall'] == 1.
    assert res['hmean'] == pytest.approx(0.5)
    # with a stricter don't-care rule the 0.8 detection counts as well
    res = evaluate(
        tmp_path, {'gt_img_1.txt': gts}, {'res_img_1.txt': dets},
        area_precision_thr=0.9)
    assert counts(res) == (1, 4, 1)


def test_two_detections_on_one_gt(tmp_path):
    dets = [box(1, 0, 31, 10), box(0, 0, 30, 10)]  # IoU 0.935 and 1.0
    res = evaluate(
        tmp_path, {'gt_img_1.txt': [GT_30 + ',word']}, {'res_img_1.txt': dets},
        per_image=True)
    assert counts(res) == (1, 2, 1)
    assert (res['precision'], res['recall']) == (0.5, 1.)


@pytest.mark.parametrize('det, matched_gt', [(box(0, 0, 38, 10), 0),
                                             (box(2, 0, 40, 10), 1),
                                             (box(0, 0, 40, 10), None)])
def test_one_detection_over_two_gts(tmp_path, det, matched_gt):
    # gts [0,20] and [20,40]: [0,38] has IoU 200/380 with the first,
    # [2,40] 200/380 with the second, [0,40] exactly 0.5 with both
    gts = [box(0, 0, 20, 10) + ',a', box(20, 0, 40, 10) + ',b']
    table = IoUTable.build(
        load_samples(
            write_files(tmp_path / 'gt', {'gt_img_1.txt': gts}),
            write_files(tmp_path / 'det', {'res_img_1.txt': [det]})))
    res = table.evaluate()
    assert counts(res) == (2, 1, 0 if matched_gt is None else 1)
    assert res['recall'] == (0. if matched_gt is None else 0.5)
    if matched_gt is not None:
        best = table.pair_gt[table.pair_iou > 0.5]
        assert best.tolist() == [matched_gt]


def test_greedy_order_is_rrc_not_max_matching(tmp_path):
    # det1 overlaps both gts with IoU 0.818; det2 only gt1 (IoU 0.667).
    # RRC: gt1 takes det1 (first detection), gt2 finds nothing -> 1 match
    # (a maximum matching would find 2).
    gts = [box(0, 0, 20, 10) + ',a', box(0, 2, 20, 12) + ',b']
    dets = [box(0, 1, 20, 11), box(0, -2, 20, 8)]
    res = evaluate(tmp_path, {'gt_img_1.txt': gts}, {'res_img_1.txt': dets})
    assert counts(res) == (2, 2, 1)


def test_empty_and_missing_prediction_files(tmp_path):
    gts = {
        'gt_img_1.txt': [GT_30 + ',a', box(50, 0, 80, 10) + ',b'],
        'gt_img_2.txt': [GT_30 + ',c'],
        'gt_img_3.txt': [GT_30 + ',d'],
    }
    # img_2: empty file, img_3: no file at all
    dets = {'res_img_1.txt': [box(0, 0, 30, 10)], 'res_img_2.txt': []}
    res = evaluate(tmp_path, gts, dets, per_image=True)
    assert counts(res) == (4, 1, 1)
    assert (res['precision'], res['recall']) == (1., 0.25)
    assert res['num_images'] == 3
    for name in ('img_2', 'img_3'):
        assert res['per_image'][name]['recall'] == 0.
        assert res['per_image'][name]['precision'] == 0.


def test_image_without_care_gt(tmp_path):
    gts = {
        'gt_img_1.txt': [GT_30 + ',a'],
        'gt_img_2.txt': [],  # empty gt file
        'gt_img_3.txt': [box(0, 0, 30, 10) + ',###'],  # only don't care
    }
    dets = {
        'res_img_1.txt': [box(0, 0, 30, 10)],
        'res_img_2.txt': [box(0, 0, 30, 10)],  # a false positive
        'res_img_3.txt': [box(0, 0, 30, 10)],  # ignored (on ###)
    }
    res = evaluate(tmp_path, gts, dets, per_image=True)
    # global numbers come from the sums, not from per-image averages
    assert counts(res) == (1, 2, 1)
    assert (res['precision'], res['recall']) == (0.5, 1.)
    # RRC per-image special case: no care gt -> recall 1, precision 0 if
    # there is a care detection, else 1
    assert res['per_image']['img_2']['recall'] == 1.
    assert res['per_image']['img_2']['precision'] == 0.
    assert res['per_image']['img_3']['precision'] == 1.


def test_bom_crlf_commas_quotes_and_counter_clockwise(tmp_path):
    gt = write_files(
        tmp_path / 'gt',
        {
            'gt_img_1.txt': [
                GT_30 + ',Hello, world',  # care, commas in transcription
                box(100, 0, 130, 10) + ',"###"',  # quoted: don't care
                box(200, 0, 230, 10) + ',###,',  # not exactly ###: care
                box(300, 0, 330, 10) + ',###',  # CRLF must not hide it
            ]
        },
        newline='\r\n',
        bom=True)
    det = write_files(
        tmp_path / 'det',
        {
            'res_img_1.txt': [
                box(0, 0, 30, 10, ccw=True) + ',0.9',  # counter-clockwise
                box(200, 0, 230, 10),
                box(300, 0, 330, 10),  # on the last ###: ignored
            ]
        },
        newline='\r\n')
    res = evaluate_files(gt, det, 'icdar2015')
    assert counts(res) == (2, 2, 2)


def test_coordinates_truncated_like_rrc(tmp_path):
    # RRC's polygon_from_points int()s the coordinates: 9.9 -> 9
    res = evaluate(tmp_path, {'gt_img_1.txt': [GT_30 + ',w']},
                   {'res_img_1.txt': [box(10.9, 0, 40.9, 10)]})
    assert counts(res) == (1, 1, 0)  # [10,40]: IoU exactly 0.5


def test_invalid_polygons(tmp_path):
    gts = {
        'gt_img_1.txt': [
            GT_30 + ',a',
            '100,0,100,0,100,0,100,0,zero',  # zero area care gt
        ]
    }
    dets = {
        'res_img_1.txt': [
            # bow-tie over the first gt: repaired by buffer(0), which keeps
            # one of its two triangles (area 75): IoU 75/300, no match
            '0,0,30,10,30,0,0,10',
            '5,5,5,5,5,5,5,5',  # zero area detection: counted, unmatched
        ]
    }
    res = evaluate(tmp_path, gts, dets)
    assert counts(res) == (2, 2, 0)
    geoms = build_polygons(
        [np.array([[0, 0], [30, 10], [30, 0], [0, 10]], float)])
    assert geoms[0].area == pytest.approx(75.)


def test_score_threshold_and_table_reuse(tmp_path):
    gts = {'gt_img_1.txt': [GT_30 + ',a', box(50, 0, 80, 10) + ',b']}
    dets = {
        'res_img_1.txt': [
            box(0, 0, 30, 10) + ',0.9',
            box(50, 0, 80, 10) + ',0.4',
            box(200, 0, 230, 10) + ',0.2'
        ]
    }
    samples = load_samples(
        write_files(tmp_path / 'gt', gts), write_files(tmp_path / 'det', dets))
    table = IoUTable.build(samples)
    assert counts(table.evaluate()) == (2, 3, 2)
    assert counts(table.evaluate(score_thr=0.3)) == (2, 2, 2)
    assert counts(table.evaluate(score_thr=0.4)) == (2, 2, 2)  # >= kept
    assert counts(table.evaluate(score_thr=0.5)) == (2, 1, 1)
    assert counts(table.evaluate(score_thr=0.95)) == (2, 0, 0)


def test_real_ic15_gt_against_itself(tmp_path):
    # the real files (CRLF, BOM in train2) used as detections of themselves:
    # every care gt matched, ### detections ignored
    import os
    import os.path as osp

    from eval_test_utils import DATA
    for sub, num_care in (('icdar2015_test3', 20), ('icdar2015_train2', 6)):
        gt_dir = osp.join(DATA, sub)
        det = {}
        for name in os.listdir(gt_dir):
            with open(osp.join(gt_dir, name), encoding='utf-8-sig') as f:
                det['res_' + name[3:]] = [
                    ','.join(line.split(',')[:8]) for line in f
                    if line.strip()
                ]
        res = evaluate_files(gt_dir, write_files(tmp_path / sub, det),
                             'icdar2015')
        assert counts(res) == (num_care, num_care, num_care)


def naive_rrc(samples, iou_thr=0.5, apt=0.5):
    """Line-by-line transcription of RRC ``evaluate_method`` with shapely
    (polygons repaired like mmocr), no vectorisation, no pruning."""
    from shapely.geometry import Polygon

    def poly(p):
        g = Polygon(p)
        if not g.is_valid:
            g = g.buffer(0)
            if g.geom_type != 'Polygon':
                g = g.convex_hull
        return g

    tot_gt = tot_det = tot_match = 0
    for s in samples:
        gts = [poly(p) for p in s.gt_polys]
        dets = [poly(p) for p in s.det_polys]
        dc_gt = [i for i, ign in enumerate(s.gt_ignored) if ign]
        dc_det = []
        for j, d in enumerate(dets):
            for i in dc_gt:
                inter = gts[i].intersection(d).area
                if (0 if d.area == 0 else inter / d.area) > apt:
                    dc_det.append(j)
                    break
        gt_used, det_used, matched = set(), set(), 0
        for i, g in enumerate(gts):
            for j, d in enumerate(dets):
                if i in gt_used or j in det_used or i in dc_gt or \
                        j in dc_det:
                    continue
                inter = g.intersection(d).area
                union = g.area + d.area - inter
                if union > 0 and inter / union > iou_thr:
                    gt_used.add(i)
                    det_used.add(j)
                    matched += 1
        tot_gt += len(gts) - len(dc_gt)
        tot_det += len(dets) - len(dc_det)
        tot_match += matched
    return tot_gt, tot_det, tot_match


@pytest.mark.parametrize('kind', ['quad', 'curved', 'curved_float'])
def test_vectorised_equals_naive_rrc_loop(kind):
    # dense random scenes with many overlaps, don't cares, concave and
    # self-intersecting polygons: pruning + numpy geometry must not change
    # a single count
    rng = np.random.default_rng(1)
    samples = []
    for i in range(40):

        def shape(x, y, w, h):
            if kind == 'quad':
                pts = np.array(
                    [[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float)
            else:
                t = np.linspace(0, 1, 7)
                bend = rng.uniform(-0.5, 0.5) * h * np.sin(np.pi * t)
                top = np.stack([x + w * t, y + bend], 1)
                bottom = np.stack([x + w * t[::-1], y + h + bend[::-1]], 1)
                pts = np.concatenate([top, bottom])
            pts = pts + rng.normal(0, 2, pts.shape)
            return pts if kind == 'curved_float' else np.round(pts)

        gts, ign, dets = [], [], []
        for _ in range(rng.integers(0, 12)):
            x, y = rng.uniform(0, 150, 2)
            w, h = rng.uniform(10, 60), rng.uniform(5, 25)
            gts.append(shape(x, y, w, h))
            ign.append(rng.random() < 0.25)
            for _ in range(rng.integers(0, 3)):
                dets.append(
                    shape(x + rng.normal(0, 4), y + rng.normal(0, 3),
                          w * rng.uniform(0.7, 1.3), h))
        if dets and kind == 'quad':
            dets[0] = dets[0][[0, 2, 1, 3]]  # a bow-tie
        samples.append(EvalSample(f'img_{i}', gts, np.array(ign, bool), dets))
    res = evaluate_iou(samples)
    assert counts(res) == naive_rrc(samples)
    assert res['num_matched'] > 30


def test_zip_subfolders_readme_and_blank_lines(tmp_path):
    import zipfile
    gt_zip = tmp_path / 'gt.zip'
    with zipfile.ZipFile(gt_zip, 'w') as zf:
        zf.writestr('test/gts/gt_img_1.txt', GT_30 + ',a\n   \n\n')
        zf.writestr('test/README.md', 'not an annotation')
        zf.writestr('__MACOSX/test/gts/._gt_img_1.txt', 'junk')
    det_zip = tmp_path / 'det.zip'
    with zipfile.ZipFile(det_zip, 'w', zipfile.ZIP_DEFLATED) as zf:
        zf.writestr('res/res_img_1.txt', ' \n' + box(0, 0, 30, 10) + '\n')
    res = evaluate_files(str(gt_zip), str(det_zip), 'icdar2015')
    assert counts(res) == (1, 1, 1)
    assert res['num_images'] == 1
