# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/benchmark_hmean.py`` on a few synthetic images (our timings
only): three sets, their densities, results in the JSON."""
import json

import numpy as np

from eval_test_utils import load_tool


def test_benchmark_sets_and_json(tmp_path):
    bench = load_tool('benchmark_hmean')
    out = tmp_path / 'hmean.json'
    assert bench.main([
        '--num-images', '12', '--repeat', '1', '--no-mmocr', '--out',
        str(out)
    ]) == 0
    report = json.loads(out.read_text())
    sets = report['sets']
    assert list(sets) == ['icdar2015', 'polygon', 'polygon_ctw1500_density']
    for res in sets.values():
        assert res['num_images'] == 12
        assert res['gt_per_image'] == res['num_gt'] / 12
        assert 0 < res['result']['hmean'] <= 1
        assert res['ours_files']['best_s'] > 0
    assert sets['polygon']['num_gt'] == sets['icdar2015']['num_gt']
    assert sets['polygon_ctw1500_density']['num_gt'] < sets['polygon'][
        'num_gt']


def test_ctw1500_density_subset():
    bench = load_tool('benchmark_hmean')
    rng = np.random.default_rng(0)
    lines = bench.synthetic_ic15_gt(200, rng)
    gt, det = bench.build_sparse_curved(lines, np.random.default_rng(1), 8.)
    per_image = sum(len(t.splitlines()) for t in gt.values()) / len(gt)
    assert 5 < per_image < 8  # capped by the boxes an image has
    assert len(det) == len(gt) == 200
    first = next(iter(gt.values())).splitlines()[0].split(',')
    assert len(first) == 29  # 14 points and a label
