# Copyright (c) OpenMMLab. All rights reserved.
"""The package: registration on import, environment report, configs."""
import glob
import os.path as osp
import sys

import pytest
from mmengine.config import Config

from conftest import REPO, run

CONFIGS = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                         recursive=True) if '_base_' not in p)


def test_import_registers_into_mmocr():
    import mmocr_ext
    from mmocr.registry import DATASETS
    assert DATASETS.get('CheckedOCRDataset') is (
        mmocr_ext.datasets.CheckedOCRDataset)
    from mmocr.registry import VISUALIZERS
    from mmocr.visualization import TextDetLocalVisualizer
    vis = VISUALIZERS.get('TextDetAllRanksVisualizer')
    assert vis is mmocr_ext.visualization.TextDetAllRanksVisualizer
    assert issubclass(vis, TextDetLocalVisualizer)
    active = mmocr_ext.apply_compat_patches()
    assert active == {'dist': True, 'ddp': True, 'checkpoint': True}


def test_env_report():
    proc = run([sys.executable, '-m', 'mmocr_ext.env'])
    out = proc.stdout
    assert 'mmcv ops: compiled' in out, out
    for name in ('torch: 2.15.0', 'mmcv: 2.0.1', 'mmdet: 3.1.0',
                 'mmocr: 1.0.1', 'mmengine: 0.10.7', 'CUDA available:',
                 'CUDA device count:'):
        assert name in out, out


def test_mmcv_ops_run():
    """The compiled ops really execute (not just import)."""
    import torch
    from mmcv.ops import nms
    boxes = torch.tensor([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30]],
                         dtype=torch.float32)
    scores = torch.tensor([0.9, 0.8, 0.7])
    _, keep = nms(boxes, scores, iou_threshold=0.5)
    assert keep.tolist() == [0, 2]


@pytest.mark.parametrize('path', CONFIGS,
                         ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_config_loads_and_builds(path):
    """Every leaf config resolves its bases (incl. ``mmocr::``) and builds."""
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmocr'
    assert 'mmocr_ext' in cfg.custom_imports['imports']
    model = MODELS.build(cfg.model)
    assert sum(p.numel() for p in model.parameters()) > 0
