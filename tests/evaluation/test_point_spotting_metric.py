# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""PointSpottingMetric and InstructionFollowingMetric on data samples."""
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmocr.registry import METRICS
from mmocr.structures import TextDetDataSample

from mmocr_ext.evaluation.metrics import (InstructionFollowingMetric,
                                          PointSpottingMetric)


def quad(cx, cy, hw=2., hh=2.):
    return np.array([
        cx - hw, cy - hh, cx + hw, cy - hh, cx + hw, cy + hh, cx - hw, cy + hh
    ], np.float32)


def sample(name, preds, gts, selected=None, as_dict=True):
    """preds: [(x, y, text, score)], gts: [(cx, cy, text, ignored)]."""
    ds = TextDetDataSample(metainfo=dict(img_path=f'data/imgs/{name}'))
    pred = InstanceData()
    pred.points = torch.tensor([p[:2] for p in preds],
                               dtype=torch.float32).reshape(-1, 2)
    pred.texts = [p[2] for p in preds]
    pred.scores = torch.tensor([p[3] for p in preds], dtype=torch.float32)
    gt = InstanceData()
    gt.polygons = [quad(g[0], g[1]) for g in gts]
    gt.texts = [g[2] for g in gts]
    gt.ignored = torch.tensor([g[3] for g in gts], dtype=torch.bool)
    if selected is not None:
        gt.selected = torch.tensor(selected, dtype=torch.bool)
    ds.pred_instances, ds.gt_instances = pred, gt
    return ds.to_dict() if as_dict else ds


def batch():
    return [
        sample('a.jpg', [(5, 5, 'cat', .95), (50, 5, 'dog', .85),
                         (200, 5, 'emu', .90)], [(5, 5, 'cat', False),
                                                 (50, 5, 'dog', False)]),
        sample('b.jpg', [], [(5, 5, 'sun', False)], as_dict=False),
        sample('c.jpg', [(5, 5, 'x', .99)], []),
        sample('d.jpg', [], []),
    ]


def test_point_spotting_metric_sweep():
    metric = METRICS.build(
        dict(
            type='PointSpottingMetric',
            score_thrs=dict(start=0.8, stop=1.0, step=0.05),
            fixed_score_thr=0.9,
            prefix='icdar2015/none'))
    assert isinstance(metric, PointSpottingMetric)
    metric.process({}, batch())
    res = metric.evaluate(4)
    # see test_point_spotting.test_sweep_best_and_fixed: best at 0.80 with
    # tp 2, pred 3, gt 3; at 0.90 tp 1, pred 2 (P .5, R 1/3, H .4)
    assert res['icdar2015/none/hmean'] == pytest.approx(2 / 3)
    assert res['icdar2015/none/precision'] == pytest.approx(2 / 3)
    assert res['icdar2015/none/recall'] == pytest.approx(2 / 3)
    assert res['icdar2015/none/best_score_thr'] == 0.8
    assert res['icdar2015/none/fixed_score_thr'] == 0.9
    assert res['icdar2015/none/fixed_hmean'] == pytest.approx(0.4)
    assert res['icdar2015/none/fixed_precision'] == pytest.approx(0.5)


def test_point_spotting_metric_strong_lexicon(tmp_path):
    (tmp_path / 'voc_a.txt').write_text('Cat\nDog\nEmu\n')
    (tmp_path / 'voc_b.txt').write_text('Sun\n')
    metric = PointSpottingMetric(
        lexicon_type='strong', lexicon=str(tmp_path), fixed_score_thr=None)
    metric.process({}, [
        sample('a.jpg', [(5, 5, 'cot', .9),
                         (50, 5, 'dgo', .9)], [(5, 5, 'cat', False),
                                               (50, 5, 'dog', False)]),
        sample('b.jpg', [(5, 5, 'sum', .9)], [(5, 5, 'sun', False)]),
    ])
    res = metric.evaluate(2)
    # cot -> Cat (1/3), dgo -> Dog (2/3 >= .4: dropped), sum -> Sun (1/3)
    assert res['e2e_point/precision'] == 1.0
    assert res['e2e_point/recall'] == pytest.approx(2 / 3)
    assert 'e2e_point/fixed_hmean' not in res
    metric.process({}, [sample('z.jpg', [(0, 0, 'a', .9)], [])])
    with pytest.raises(ValueError, match='voc_z.txt'):
        metric.evaluate(1)


def test_instruction_following_metric():
    metric = METRICS.build(dict(type='InstructionFollowingMetric'))
    assert isinstance(metric, InstructionFollowingMetric)
    metric.process(
        {},
        [
            # all GT with a selection mask ("text of number")
            sample(
                'a.jpg', [(5, 5, '123', .9), (50, 5, 'abc', .9),
                          (100, 5, '46', .9), (150, 5, '7', .9),
                          (6, 5, '123', .9)], [(5, 5, '123', False),
                                               (50, 5, 'abc', False),
                                               (100, 5, '45', False),
                                               (150, 5, '###', True)],
                selected=[True, False, True, True]),
            # GT already filtered to the selection
            sample('b.jpg', [(5, 5, 'a', .9)], [(5, 5, 'A', False)]),
            # nothing selected, nothing returned
            sample('c.jpg', [], []),
        ])
    res = metric.evaluate(3)
    # a: 123 TP; abc unselected (miss); 46 position-only; 7 don't care;
    # second 123 duplicate -> tp 1, pos 2, pred 4, sel 2. b: 1/1/1/1 exact.
    # totals tp 2, pos 3, pred 5, sel 3, exact 2 of 3 images
    assert res['instruction/precision'] == pytest.approx(0.4)
    assert res['instruction/recall'] == pytest.approx(2 / 3)
    assert res['instruction/hmean'] == pytest.approx(0.5)
    assert res['instruction/selection_precision'] == pytest.approx(0.6)
    assert res['instruction/selection_recall'] == pytest.approx(1.0)
    assert res['instruction/selection_hmean'] == pytest.approx(0.75)
    assert res['instruction/exact_match'] == pytest.approx(2 / 3)


def test_instruction_score_thr_and_no_gt():
    metric = InstructionFollowingMetric(score_thr=0.5, prefix='ins')
    metric.process({}, [
        sample('a.jpg', [(5, 5, 'a', .9),
                         (9, 5, 'b', .2)], [(5, 5, 'a', False)]),
        sample('b.jpg', [(5, 5, 'x', .9)], []),
    ])
    res = metric.evaluate(2)
    # a: the 0.2 prediction is dropped -> exact; b: a prediction but no GT
    assert res['ins/precision'] == pytest.approx(0.5)
    assert res['ins/recall'] == 1.0
    assert res['ins/exact_match'] == pytest.approx(0.5)
