# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""tools/benchmark_ocr.py on the tiny models: a complete, consistent JSON
(speed itself is not asserted: that is what the benchmark measures)."""
import importlib.util
import json
import os.path as osp

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_benchmark_writes_pipeline_and_onnx_figures(tmp_path):
    spec = importlib.util.spec_from_file_location(
        'benchmark_ocr', osp.join(REPO, 'tools', 'benchmark_ocr.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = tmp_path / 'bench.json'
    tool.main([
        '--det', 'tcm-toy', '--rec', 'e2str-toy', '--erase', 'none',
        '--images',
        osp.join(REPO, 'data', 'icdar2015_toy', 'textdet_imgs', 'test'),
        '--num-images', '2', '--batch-sizes', '1', '2', '--onnx', 'toy',
        '--onnx-models', 'tcm', '--repeats', '1', '--threads', '1', '--out',
        str(out)
    ])
    report = json.loads(out.read_text())
    pipe = report['pipeline']
    assert pipe['random_weights'] == ['det', 'rec']
    assert len(pipe['images']) == 2
    for batch in (1, 2):
        run = pipe['runs'][f'batch_{batch}']
        stages = run['stage_seconds']
        assert set(stages) == {'det', 'crop', 'rec', 'erase', 'other'}
        assert stages['erase'] == 0 and stages['det'] > 0
        assert abs(sum(stages.values()) - run['seconds']) < 0.01
        assert abs(run['images_per_s'] - 2 / run['seconds']) < 1e-3
        assert run['crops_per_image'] == round(run['crops'] / 2, 2)
    graphs = report['onnx']['tcm']['graphs']
    assert list(report['onnx']) == ['tcm'] and list(graphs) == ['tcm']
    assert graphs['tcm']['max_abs_diff_export_checks'] <= 1e-3
    assert graphs['tcm']['max_abs_diff_these_inputs'] <= 1e-3
    assert graphs['tcm']['torch_ms'] > 0
    assert graphs['tcm']['onnxruntime_ms'] > 0
    assert report['machine']['threads'] == 1
