# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""PolygonSpottingMetric on mmocr text-spotting data samples."""
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmocr.registry import METRICS
from mmocr.structures import TextSpottingDataSample

from mmocr_ext.evaluation.functional.polygon_spotting import (
    PolygonSpottingImage, evaluate_polygon_spotting)
from mmocr_ext.evaluation.metrics import PolygonSpottingMetric


def box(x0, y0, x1, y1):
    return np.array([x0, y0, x1, y0, x1, y1, x0, y1], np.float32)


def sample(name, preds, gts, as_dict=True, score_key='scores'):
    """preds: [(box, text, score)], gts: [(box, text, ignored)]."""
    ds = TextSpottingDataSample(metainfo=dict(img_path=f'data/imgs/{name}'))
    pred = InstanceData()
    pred.polygons = [box(*p[0]) for p in preds]
    pred.texts = [p[1] for p in preds]
    pred.set_field(
        torch.tensor([p[2] for p in preds], dtype=torch.float32), score_key)
    gt = InstanceData()
    gt.polygons = [box(*g[0]) for g in gts]
    gt.texts = [g[1] for g in gts]
    gt.ignored = torch.tensor([g[2] for g in gts], dtype=torch.bool)
    ds.pred_instances, ds.gt_instances = pred, gt
    return ds.to_dict() if as_dict else ds


A, B, C = (0, 0, 10, 10), (20, 0, 30, 10), (40, 0, 50, 10)


def batch():
    return [
        # cat TP (case), dog wrong text FP (.5), '###' pred don't care
        sample('a.jpg', [(A, 'CAT', .95), (B, 'dgo', .5), (C, 'x', .99)],
               [(A, 'cat', False), (B, 'dog', False), (C, '###', False)]),
        # no predictions: sun missed
        sample('b.jpg', [], [(A, 'sun', False)], as_dict=False),
        # prediction without GT: FP (.7); scores given as text_scores
        sample('c.jpg', [(A, 'x', .7)], [], score_key='text_scores'),
        sample('d.jpg', [], []),
    ]


def test_polygon_spotting_metric_sweep():
    metric = METRICS.build(
        dict(
            type='PolygonSpottingMetric',
            score_thrs=dict(start=0.5, stop=1.0, step=0.1),
            fixed_score_thr=0.6,
            prefix='synth/none'))
    assert isinstance(metric, PolygonSpottingMetric)
    metric.process({}, batch())
    res = metric.evaluate(4)
    # care GT 3 (cat, dog, sun). .5: tp 1, pred 3 (CAT, dgo, x@c) -> P 1/3,
    # R 1/3, H 1/3. .6, .7: tp 1, pred 2 -> P .5, H .4. .8, .9: tp 1,
    # pred 1 -> P 1, R 1/3, H .5 = best (first: .8)
    assert res['synth/none/hmean'] == pytest.approx(0.5)
    assert res['synth/none/precision'] == 1.0
    assert res['synth/none/recall'] == pytest.approx(1 / 3)
    assert res['synth/none/best_score_thr'] == pytest.approx(0.8)
    assert res['synth/none/fixed_score_thr'] == 0.6
    assert res['synth/none/fixed_precision'] == pytest.approx(0.5)
    assert res['synth/none/fixed_hmean'] == pytest.approx(0.4)


def test_metric_equals_functional_core():
    metric = PolygonSpottingMetric(fixed_score_thr=None)
    metric.process({}, batch())
    stored = [PolygonSpottingImage(**r) for r in metric.results]
    core = evaluate_polygon_spotting(stored, metric.score_thrs)['best']
    res = metric.evaluate(4)
    assert res['e2e_polygon/hmean'] == core['hmean']
    assert res['e2e_polygon/best_score_thr'] == core['score_thr']
    assert 'e2e_polygon/fixed_hmean' not in res


def test_polygon_spotting_metric_strong_lexicon(tmp_path):
    (tmp_path / 'voc_a.txt').write_text('Cat\nDog\n')
    metric = PolygonSpottingMetric(
        lexicon_type='strong', lexicon=str(tmp_path), fixed_score_thr=None)
    metric.process({}, [
        sample('a.jpg', [(A, 'cot', .9), (B, 'dgo', .9)], [(A, 'cat', False),
                                                           (B, 'dog', False)])
    ])
    res = metric.evaluate(1)
    # cot -> Cat (1/3): TP; dgo -> Dog (2/3 >= .4): dropped. tp 1, pred 1
    assert res['e2e_polygon/precision'] == 1.0
    assert res['e2e_polygon/recall'] == pytest.approx(0.5)
    metric.process({}, [sample('z.jpg', [(A, 'a', .9)], [])])
    with pytest.raises(ValueError, match='voc_z.txt'):
        metric.evaluate(1)
