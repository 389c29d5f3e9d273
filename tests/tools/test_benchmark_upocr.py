# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/benchmark_upocr.py`` on the toy model: the JSON it writes."""
import importlib.util
import json
import os.path as osp

import pytest

from conftest import REPO

SCRIPT = osp.join(REPO, 'tools', 'benchmark_upocr.py')


def _script():
    spec = importlib.util.spec_from_file_location('benchmark_upocr', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_writes_speed_split_memory_and_reference(tmp_path):
    out = tmp_path / 'bench.json'
    assert _script().main([
        '--model', 'toy', '--image-size', '64', '--batch-sizes', '2',
        '--repeats', '1', '--threads', '1', '--out',
        str(out)
    ]) == 0
    report = json.loads(out.read_text())
    result, = report['results']
    assert result['batch_size'] == 2
    assert result['params'] == 931140  # the spec §8 tiny model (~0.93 M)
    up = result['upocr']
    assert up['images_per_s'] == pytest.approx(2 / up['seconds_per_batch'])
    split = result['split']
    assert split['encoder_s'] == result['encoder']['seconds_per_batch']
    assert split['encoder_share'] + split['decoder_share'] == pytest.approx(1)
    assert result['memory']['peak_rss_mib'] > 100
    ref = result['reference']
    # timm's SwinV2-S classifier, measured in its own process.
    assert ref['params'] > 40e6
    assert ref['memory']['peak_rss_mib'] > 100
    assert result['upocr_vs_timm_time_ratio'] == pytest.approx(
        up['seconds_per_batch'] / ref['swinv2_s_timm']['seconds_per_batch'])


def test_failing_worker_is_reported(tmp_path, capsys):
    assert _script().main([
        '--model', 'toy', '--device', 'nope', '--batch-sizes', '1',
        '--skip-reference', '--out',
        str(tmp_path / 'x.json')
    ]) == 1
    assert 'worker failed' in capsys.readouterr().err
