# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""End-to-end scores of composed-pipeline results, on a hand-made case."""
import json

import numpy as np
import pytest

from mmocr_ext.evaluation.functional.errors import EvalInputError
from mmocr_ext.evaluation.functional.ocr_e2e import (evaluate_points,
                                                     evaluate_polygons)


def _rect(x, y, w, h):
    return [x, y, x + w, y, x + w, y + h, x, y + h]


def _inst(poly, text, score):
    point = np.asarray(poly, float).reshape(-1, 2).mean(0).tolist()
    return dict(
        polygon=poly,
        point=point,
        text=text,
        det_score=score,
        rec_score=1.0,
        score=score)


@pytest.fixture
def case(tmp_path):
    """a.jpg: 'Hello' + a '###' region; b.jpg: '12'. Predictions: 'hello'
    on Hello (0.9, a match: case ignored), 'x' on the '###' region (0.8,
    don't care), '13' on '12' (0.5, wrong text: a false positive and a
    miss)."""
    gt = dict(
        metainfo={},
        data_list=[
            dict(
                img_path='imgs/a.jpg',
                instances=[
                    dict(polygon=_rect(0, 0, 100, 20), text='Hello'),
                    dict(polygon=_rect(0, 50, 100, 20), text='###')
                ]),
            dict(
                img_path='imgs/b.jpg',
                instances=[dict(polygon=_rect(10, 10, 50, 20), text='12')])
        ])
    (tmp_path / 'gt.json').write_text(json.dumps(gt))
    (tmp_path / 'lexicon.txt').write_text('Hello\n12\n')
    results = [
        dict(
            image='a.jpg',
            instances=[
                _inst(_rect(0, 0, 100, 20), 'hello', 0.9),
                _inst(_rect(0, 50, 100, 20), 'x', 0.8)
            ]),
        dict(
            image='b.jpg', instances=[_inst(_rect(10, 10, 50, 20), '13', 0.5)])
    ]
    return results, str(tmp_path / 'gt.json'), str(tmp_path / 'lexicon.txt')


@pytest.mark.parametrize('evaluate', [evaluate_polygons, evaluate_points])
def test_hand_computed_scores(evaluate, case):
    results, gt, lexicon = case
    summary = evaluate(results, gt)['summary']
    # Every prediction: 1 TP of 2 counted predictions, 1 of 2 cared GT.
    assert summary['all_predictions'] == dict(
        hmean=0.5, precision=0.5, recall=0.5)
    # Best of the sweep: from 0.6 on the '13' (0.5) is gone: P 1, R 1/2.
    assert summary['best_score_thr'] == pytest.approx(0.6)
    assert (summary['precision'], summary['recall'],
            summary['hmean']) == (1.0, 0.5, 0.6667)
    # Lexicon: '13' is 1/2 edit away from '12' (> 0.4): dropped.
    with_lexicon = evaluate(results, gt, lexicon)['summary']
    assert with_lexicon['all_predictions'] == dict(
        hmean=0.6667, precision=1.0, recall=0.5)


def test_image_without_results_counts_as_missed(case):
    results, gt, _ = case
    res = evaluate_points(results[:1], gt)
    assert res['images_without_predictions'] == ['b.jpg']
    assert res['fixed']['recall'] == 0.5
    assert evaluate_polygons(results[:1], gt)['fixed']['recall'] == 0.5


def test_results_of_unknown_images_are_refused(case):
    results, gt, _ = case
    stray = [dict(image='c.jpg', instances=[])]
    with pytest.raises(EvalInputError, match='c.jpg'):
        evaluate_points(stray, gt)
    with pytest.raises(EvalInputError, match='c.jpg'):
        evaluate_polygons(stray, gt)
