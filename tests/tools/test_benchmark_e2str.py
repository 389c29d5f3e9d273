# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/benchmark_e2str.py`` end to end on the toy model (tiny sizes)."""
import importlib.util
import json
import math
import os.path as osp
import statistics

import pytest
import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO, 'tools', 'benchmark_e2str.py')


def _load_tool():
    spec = importlib.util.spec_from_file_location('benchmark_e2str', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) \
        and value > 0


def _check_timing(cell: dict, repeats: int, images: int) -> None:
    assert len(cell['times_s']) == repeats
    assert all(_positive(t) for t in cell['times_s'])
    assert cell['median_s'] == pytest.approx(
        statistics.median(cell['times_s']))
    assert cell['images_per_s'] == pytest.approx(images / cell['median_s'])


def test_benchmark_e2str_toy(tmp_path):
    tool = _load_tool()
    threads = torch.get_num_threads()
    out = tmp_path / 'bench.json'
    try:
        assert tool.main([
            '--model', 'toy', '--pool-size', '100', '--icl-pool-size', '8',
            '--num-images', '4', '--batch-size', '2', '--repeats', '1',
            '--warmup', '0', '--new-tokens', '3', '--threads', '1', '--out',
            str(out)
        ]) == 0
    finally:
        torch.set_num_threads(threads)
    report = json.loads(out.read_text())
    assert {
        'machine', 'torch', 'threads', 'settings', 'memory', 'notes',
        'peak_rss_mib', 'retrieval', 'icl_recognition', 'kv_cache'
    } <= set(report)
    assert report['threads'] == 1 and report['settings']['model'] == 'toy'
    assert _positive(report['settings']['params'])
    assert set(report['memory']) == {
        'model', 'retrieval', 'icl_recognition', 'kv_cache'
    }
    for mem in report['memory'].values():
        assert _positive(mem['rss_mib']) and _positive(mem['peak_rss_mib'])
    assert report['peak_rss_mib'] == report['memory']['kv_cache'][
        'peak_rss_mib']

    retrieval = report['retrieval']
    assert retrieval['pool_size'] == 100 and retrieval['dim'] == 64
    assert set(retrieval['batches']) == {'1', '2', '32'}
    for batch, cell in retrieval['batches'].items():
        assert len(cell['times_s']) == 10
        assert all(_positive(t) for t in cell['times_s'])
        assert cell['ms_per_query'] == pytest.approx(1000 * cell['median_s'] /
                                                     int(batch))

    rec = report['icl_recognition']
    for label, beams in (('beam3', 3), ('greedy', 1)):
        res = rec[label]
        assert res['num_beams'] == beams
        for path in ('batched', 'single'):
            _check_timing(res[path], 1, 4)
        # the same, fixed decode length on both paths: 3 beams run the
        # prompt + 2 steps, greedy the prompt + 3 steps (the last unused)
        calls = 3 if beams == 3 else 4
        assert res['batched']['lm_calls_per_predict'] == [calls]
        assert res['single']['lm_calls_per_predict'] == [calls]
        assert res['batched_vs_single'] == pytest.approx(
            res['batched']['images_per_s'] / res['single']['images_per_s'])
        assert 0 <= res['same_predictions'] <= 1

    kv = report['kv_cache']
    for path in ('cache', 'no_cache'):
        _check_timing(kv[path], 1, 4)
        assert kv[path]['lm_calls_per_predict'] == [3]
    assert kv['cache_vs_no_cache'] == pytest.approx(
        kv['cache']['images_per_s'] / kv['no_cache']['images_per_s'])
