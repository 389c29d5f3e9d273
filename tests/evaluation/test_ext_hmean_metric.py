# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``ExtHmeanIOUMetric``: hand-computed numbers, agreement with the offline
tool on the same predictions, and with mmocr's ``HmeanIOUMetric``."""
import json
import pickle
import subprocess
import sys

import numpy as np
import pytest
from mmengine.structures import InstanceData
from mmocr.evaluation.metrics import HmeanIOUMetric
from mmocr.registry import METRICS
from mmocr.structures import TextDetDataSample

from conftest import REPO, tool_env
from eval_test_utils import write_files


def quad(x0, y0, x1, y1):
    return np.array([x0, y0, x1, y0, x1, y1, x0, y1], np.float32)


def data_sample(name, gts, ignored, dets, scores):
    return dict(
        img_path=f'imgs/{name}.jpg',
        gt_instances=dict(polygons=gts, ignored=np.array(ignored, bool)),
        pred_instances=dict(
            polygons=dets, scores=np.array(scores, np.float32)))


def toy_samples():
    """3 images, 4 care gts; hand-computed counts per score threshold."""
    return [
        data_sample(
            'img_1',
            [quad(0, 0, 30, 10),
             quad(50, 0, 80, 10),
             quad(100, 0, 130, 10)], [False, False, True], [
                 quad(0, 0, 30, 10),
                 quad(51, 0, 81, 10),
                 quad(100, 0, 130, 10),
                 quad(200, 0, 230, 10)
             ], [0.95, 0.45, 0.9, 0.35]),
        data_sample(
            'img_2', [quad(0, 0, 30, 10)], [False],
            [quad(9, 0, 39, 10), quad(10, 0, 40, 10)], [0.65, 0.99]),
        data_sample('img_3', [quad(0, 0, 30, 10)], [False], [], []),
    ]
    # score >= 0.5: img_1 1 care det (the 0.9 one is on ###), img_2 2 dets
    #   of which 9..39 (IoU 0.538) matches; 10..40 has IoU 0.5 exactly
    #   -> dets 3, matched 2, gts 4
    # score >= 0.4: + img_1 51..81 (IoU 29/31) -> dets 4, matched 3
    # score >= 0.3: + the 0.35 false positive -> dets 5, matched 3


def run_metric(metric, samples):
    metric.process([], samples)
    return metric.compute_metrics(metric.results)


def test_fixed_threshold_and_sweep_hand_computed():
    metric = METRICS.build(dict(type='ExtHmeanIOUMetric', score_thr=0.5))
    res = run_metric(metric, toy_samples())
    assert res['precision'] == pytest.approx(2 / 3)
    assert res['recall'] == pytest.approx(2 / 4)
    assert res['hmean'] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert res['score_thr'] == 0.5
    # sweep 0.3..0.9: 0.3 -> hmean 2/3, 0.4 -> P = R = 3/4 (best),
    # 0.5 -> 0.571, 0.7 keeps the 0.95 and 0.99 dets: P 1/2, R 1/4
    assert res['best_hmean'] == pytest.approx(0.75)
    assert res['best_precision'] == pytest.approx(0.75)
    assert res['best_recall'] == pytest.approx(0.75)
    assert res['best_score_thr'] == pytest.approx(0.4)


def test_best_agrees_with_mmocr_and_structures_accepted():
    ours = run_metric(
        METRICS.build(dict(type='ExtHmeanIOUMetric')), toy_samples())
    theirs = run_metric(HmeanIOUMetric(), toy_samples())
    assert theirs['hmean'] == pytest.approx(0.75)
    assert ours['best_hmean'] == pytest.approx(theirs['hmean'], abs=1e-12)
    # real data samples (not dicts) work as well
    samples = []
    for s in toy_samples():
        ds = TextDetDataSample(metainfo=dict(img_path=s['img_path']))
        ds.gt_instances = InstanceData(**s['gt_instances'])
        ds.pred_instances = InstanceData(**s['pred_instances'])
        samples.append(ds)
    again = run_metric(METRICS.build(dict(type='ExtHmeanIOUMetric')), samples)
    assert again == ours


@pytest.mark.parametrize('fmt', ['icdar2015', 'polygon'])
def test_agrees_exactly_with_offline_tool(tmp_path, fmt):
    rng = np.random.default_rng(0)
    samples = []
    for i in range(1, 21):
        gts, dets, scores = [], [], []
        for _ in range(rng.integers(0, 6)):
            x, y = rng.integers(0, 500, 2)
            w, h = rng.integers(10, 80), rng.integers(5, 30)
            gts.append(quad(x, y, x + w, y + h))
            if rng.random() < 0.8:
                jit = rng.integers(-4, 5, 8)
                if fmt == 'polygon':
                    jit = jit + rng.random(8)  # lossless float coordinates
                dets.append((gts[-1] + jit).astype(np.float32))
                scores.append(rng.random())
        ignored = rng.random(len(gts)) < 0.2
        samples.append(data_sample(f'img_{i}', gts, ignored, dets, scores))
    online = run_metric(
        METRICS.build(dict(type='ExtHmeanIOUMetric', score_thr=0.4)), samples)
    # the same predictions through make_submission and eval_hmean
    gt_dir = write_files(
        tmp_path / 'gt', {
            f'gt_img_{i}.txt': [
                ','.join(str(int(v)) for v in p) + (',###' if ign else ',word')
                for p, ign in zip(s['gt_instances']['polygons'],
                                  s['gt_instances']['ignored'])
            ]
            for i, s in enumerate(samples, 1)
        })
    pkl = tmp_path / 'preds.pkl'
    pkl.write_bytes(pickle.dumps(samples))
    env = tool_env()
    subprocess.run([
        sys.executable, 'tools/make_submission.py',
        str(pkl), '--format', fmt, '--out',
        str(tmp_path / 'sub.zip'), '--score-thr', '0.4'
    ],
                   cwd=REPO,
                   env=env,
                   check=True)
    proc = subprocess.run([
        sys.executable, 'tools/eval_hmean.py', '--format', fmt, '--gt', gt_dir,
        '--pred',
        str(tmp_path / 'sub.zip')
    ],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          check=True)
    offline = json.loads(proc.stdout)
    assert offline['num_matched'] > 10
    for key in ('precision', 'recall', 'hmean'):
        assert online[key] == offline[key]
