# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/benchmark_instructocr.py`` end to end on the toy model, and the
instruction builder of ``tools/misc/instructocr_learning_check.py``."""
import importlib.util
import json
import math
import os.path as osp

import numpy as np
import pytest

from mmocr_ext.datasets.instructions import select_instances

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _load(path: str, name: str):
    spec = importlib.util.spec_from_file_location(name, osp.join(REPO, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _positive(value) -> bool:
    return isinstance(value, float) and math.isfinite(value) and value > 0


@pytest.mark.parametrize('recompute', ['sampled', 'full'])
def test_benchmark_instructocr_toy(tmp_path, recompute):
    tool = _load('tools/benchmark_instructocr.py', 'benchmark_instructocr')
    out = tmp_path / 'bench.json'
    assert tool.main([
        '--model', 'toy', '--instances', '1', '3', '--image-size', '64',
        '--num-images', '4', '--batch-size', '2', '--repeats', '1',
        '--throughput-instances', '1', '--recompute', recompute, '--out',
        str(out)
    ]) == 0
    report = json.loads(out.read_text())
    assert report['recompute_mode'] == recompute
    # the toy decoder: 2 + 12 slots per instance, EOS disabled
    for n in (1, 3):
        row = report['kv_cache'][str(n)]
        assert row['tokens'] == 14 * n + 1
        assert row['estimated'] == (recompute == 'sampled')
        assert _positive(row['cached_s']) and _positive(row['recompute_s'])
        assert row['speedup'] == pytest.approx(row['recompute_s'] /
                                               row['cached_s'])
        if recompute == 'sampled':
            lengths = row['sampled_lengths']
            assert lengths[0] == 1 and lengths[-1] == 14 * n + 1
            assert len(row['sampled_step_s']) == len(lengths)
    assert report['kv_cache_target']['instances'] == 3
    thr = report['throughput']
    ratio = thr['batch_2']['images_per_s'] / thr['batch_1']['images_per_s']
    assert thr['ratio'] == pytest.approx(ratio)
    for key in ('batch_1', 'batch_2'):
        assert thr[key]['images_per_s'] == pytest.approx(4 /
                                                         thr[key]['median_s'])
    assert report['peak_rss_mib'] > 0
    assert set(report['memory']) == {'kv_cache', 'throughput'}


def test_learning_check_instructions_select_from_the_image_words():
    tool = _load('tools/misc/instructocr_learning_check.py', 'learning_check')
    rng = np.random.default_rng(0)
    texts = ['Stop', 'road', '2026']
    for template in ('starts', 'ends', 'longer', 'number', 'char'):
        instr = tool.make_instruction(template, texts, rng)
        mask = select_instances(instr, texts)
        assert mask is not None and any(mask), (template, instr)
    assert select_instances(
        tool.make_instruction('number', texts, rng),
        texts) == [False, False, True]
    with pytest.raises(ValueError):
        tool.make_instruction('nonsense', texts, rng)
