# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Total-Text DetEval: the official example and hand-made split/merge."""
import os.path as osp

import pytest

from mmocr_ext.evaluation.functional import (evaluate_files, load_samples,
                                             sigma_tau_tables)
from eval_test_utils import DATA, box, write_files

EXAMPLE = osp.join(DATA, 'totaltext_official')


def test_reproduces_official_result_txt():
    samples = load_samples(
        osp.join(EXAMPLE, 'Groundtruth'), osp.join(EXAMPLE, 'Prediction'),
        'totaltext-mat')
    assert [s.name for s in samples] == [f'img{i}' for i in range(1, 6)]
    ours = [('poly_gt_%s.mat' % s.name, tau, sigma)
            for s, table in zip(samples, sigma_tau_tables(samples))
            for _, _, tau, sigma in table['pairs']]
    with open(osp.join(EXAMPLE, 'Result.txt')) as f:
        ref = [line.split() for line in f if line.strip()]
    assert len(ours) == len(ref) == 30
    for (name, tau, sigma), (ref_name, ref_tau, ref_sigma) in zip(ours, ref):
        assert name == ref_name
        # Result.txt prints 15 significant digits of MATLAB's exact areas
        assert tau == pytest.approx(float(ref_tau), abs=1e-14)
        assert sigma == pytest.approx(float(ref_sigma), abs=1e-14)


def test_official_example_final_numbers(tmp_path):
    # Worked by hand from Result.txt: no pair reaches tau > 0.6 together
    # with sigma > 0.7, no split/merge sums reach the thresholds (e.g. img2
    # det1 over 5 gts: tau sum 0.33 < 0.6) -> nothing matched. 24 care gts
    # (3 '#' removed), 12 detections (none on a '#' gt by > 0.5).
    res = evaluate_files(
        osp.join(EXAMPLE, 'Groundtruth'),
        osp.join(EXAMPLE, 'Prediction'),
        'totaltext-mat',
        protocol='deteval')
    assert (res['num_gt_care'], res['num_det_care']) == (24, 12)
    assert (res['precision'], res['recall'], res['hmean']) == (0., 0., 0.)
    # the IoU protocol on the same files: img2 gt0/det0 (IoU 0.56),
    # img2 gt1/det2 and img3 gt0/det2 match
    res = evaluate_files(
        osp.join(EXAMPLE, 'Groundtruth'),
        osp.join(EXAMPLE, 'Prediction'),
        'totaltext-mat',
        protocol='iou')
    assert (res['num_gt_care'], res['num_det_care'],
            res['num_matched']) == (24, 12, 3)


def deteval(tmp_path, gts, dets):
    gt = write_files(tmp_path / 'gt', {'gt_1.txt': gts})
    det = write_files(tmp_path / 'det', {'res_1.txt': dets})
    return evaluate_files(gt, det, 'polygon', protocol='deteval')


def test_one_to_one(tmp_path):
    res = deteval(tmp_path, [box(0, 0, 10, 10) + ',a'], [box(0, 0, 10, 10)])
    assert (res['precision'], res['recall'], res['num_matched']) == (1, 1, 1)


def test_split_one_gt_two_detections(tmp_path):
    # sigma 0.5 + 0.5 >= 0.7, both tau 1: recall 0.8, precision 2 x 0.8
    res = deteval(tmp_path, [box(0, 0, 20, 10) + ',a'],
                  [box(0, 0, 10, 10), box(10, 0, 20, 10)])
    assert res['recall_credit'] == pytest.approx(0.8)
    assert res['precision_credit'] == pytest.approx(1.6)
    assert res['recall'] == pytest.approx(0.8)
    assert res['precision'] == pytest.approx(0.8)


def test_merge_two_gts_one_detection(tmp_path):
    # tau 0.5 + 0.5 >= 0.6, both sigma 1: recall 2 x 0.8, precision 0.8
    res = deteval(tmp_path,
                  [box(0, 0, 10, 10) + ',a',
                   box(10, 0, 20, 10) + ',b'], [box(0, 0, 20, 10)])
    assert res['recall_credit'] == pytest.approx(1.6)
    assert res['precision_credit'] == pytest.approx(0.8)
    assert (res['recall'], res['precision']) == pytest.approx((0.8, 0.8))
    assert res['num_matched'] == 2


def test_split_below_threshold_and_dont_care(tmp_path):
    # two detections covering 0.3 + 0.3 of the gt: 0.6 < 0.7, no split;
    # a third detection lies on a '#' gt (1.0 > 0.5) and is removed
    res = deteval(
        tmp_path, [box(0, 0, 100, 10) + ',a',
                   box(200, 0, 220, 10) + ',#'],
        [box(0, 0, 30, 10),
         box(50, 0, 80, 10),
         box(200, 0, 210, 10)])
    assert (res['num_gt_care'], res['num_det_care']) == (1, 2)
    assert res['recall'] == res['precision'] == 0.


def test_sigma_tau_rounded_to_two_decimals(tmp_path):
    # sigma = 700.4 / 1000 = 0.7004 rounds to 0.70, which is not > 0.7:
    # no match, as in Deteval.py; 0.706 rounds to 0.71 and matches
    gt = [box(0, 0, 1000, 10) + ',a']
    assert deteval(tmp_path / 'a', gt,
                   [box(0, 0, 700.4, 10)])['num_matched'] == 0
    assert deteval(tmp_path / 'b', gt,
                   [box(0, 0, 706, 10)])['num_matched'] == 1
    samples = load_samples(
        str(tmp_path / 'a' / 'gt'), str(tmp_path / 'a' / 'det'), 'polygon')
    table = sigma_tau_tables(samples)[0]
    assert table['sigma'].tolist() == [[0.7]]
    assert table['pairs'][0][3] == pytest.approx(0.7004)
