# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The package: explicit registration, light imports, environment, configs."""
import ast
import glob
import importlib.metadata
import os.path as osp
import re
import sys
import tomllib

import pytest
from mmengine.config import Config

from conftest import REPO, run

CONFIGS = sorted(
    p for p in glob.glob(
        osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in p)


def test_register_all_modules_registers_into_mmocr():
    from mmocr.registry import DATASETS, METRICS, VISUALIZERS
    from mmocr.visualization import TextDetLocalVisualizer

    import mmocr_ext
    from mmocr_ext.compat import apply_compat_patches
    from mmocr_ext.datasets import CheckedOCRDataset
    from mmocr_ext.evaluation.metrics import ExtHmeanIOUMetric
    from mmocr_ext.visualization import TextDetAllRanksVisualizer
    mmocr_ext.register_all_modules()
    assert DATASETS.get('CheckedOCRDataset') is CheckedOCRDataset
    assert METRICS.get('ExtHmeanIOUMetric') is ExtHmeanIOUMetric
    vis = VISUALIZERS.get('TextDetAllRanksVisualizer')
    assert vis is TextDetAllRanksVisualizer
    assert issubclass(vis, TextDetLocalVisualizer)
    active = apply_compat_patches()
    assert active == {
        'dist': True,
        'ddp': True,
        'checkpoint': True,
        'strict_load': True,
        'atomic_save': True
    }


def _imported_modules(code: str) -> set:
    """Top-level modules a fresh interpreter imports to run ``code``.

    Read from ``python -X importtime`` (one stderr line per import).
    """
    proc = run([sys.executable, '-X', 'importtime', '-c', code])
    names = set()
    for line in proc.stdout.splitlines():
        if line.startswith('import time:') and '|' in line:
            name = line.rsplit('|', 1)[1].strip()
            names.add(name.split('.')[0])
    assert 'mmocr_ext' in names, proc.stdout[-2000:]
    return names


@pytest.mark.parametrize('module', [
    'mmocr_ext', 'mmocr_ext.evaluation.functional',
    'mmocr_ext.evaluation.functional.iou_protocol'
])
def test_light_imports_load_neither_torch_nor_mmocr(module):
    names = _imported_modules(f'import {module}')
    heavy = names & {'torch', 'mmocr', 'mmdet', 'mmengine', 'mmcv', 'cv2'}
    assert not heavy, f'import {module} loaded {sorted(heavy)}'
    if module != 'mmocr_ext':
        assert {'numpy', 'shapely'} <= names


def test_synthetic_text_generator_loads_neither_torch_nor_mmocr():
    """The generator and its CLI run in worker processes: no torch."""
    names = _imported_modules('import mmocr_ext.datasets.synth.generate')
    heavy = names & {'torch', 'mmocr', 'mmdet', 'mmcv'}
    assert not heavy, f'the generator loaded {sorted(heavy)}'
    assert {'numpy', 'cv2', 'PIL', 'fontTools'} <= names


def test_import_has_no_side_effects_config_import_registers():
    """``import mmocr_ext`` registers nothing and patches nothing; a config's
    ``custom_imports`` of ``mmocr_ext.registration`` does both."""
    cfg = osp.join(REPO, 'configs', 'textdet', 'dbnet',
                   'dbnet_resnet18_fpnc_toy.py')
    code = '\n'.join([
        'import sys, mmocr_ext',
        'from mmocr.registry import DATASETS',
        'import mmengine.dist.utils as du',
        'before = (DATASETS.get("CheckedOCRDataset"), du._init_dist_pytorch)',
        'from mmengine.config import Config',
        f'Config.fromfile({cfg!r})',
        'after = (DATASETS.get("CheckedOCRDataset"), du._init_dist_pytorch)',
        'print(before[0] is None, after[0] is not None,',
        '      before[1] is not after[1])',
    ])
    proc = run([sys.executable, '-c', code])
    assert proc.stdout.split()[-3:] == ['True', 'True', 'True'], proc.stdout


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


@pytest.mark.parametrize(
    'path', CONFIGS, ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_config_loads_and_builds(path):
    """Every leaf config resolves its bases (incl. ``mmocr::``) and builds."""
    from mmocr.registry import MODELS
    from mmocr.utils import register_all_modules
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmocr'
    assert 'mmocr_ext.registration' in cfg.custom_imports['imports']
    model = MODELS.build(cfg.model)
    assert sum(p.numel() for p in model.parameters()) > 0


def _requirement(line: str):
    """``(normalised name, specifier)`` of a requirement string."""
    m = re.match(r'\s*([A-Za-z0-9_.-]+)\s*(.*)', line)
    return m.group(1).lower().replace('_', '-'), m.group(2).strip()


def test_pyproject_lists_every_dependency_pinned_as_constraints():
    """pyproject's dependencies == constraints.txt's pins, and every
    third-party module the package imports is declared there."""
    with open(osp.join(REPO, 'pyproject.toml'), 'rb') as f:
        project = tomllib.load(f)['project']
    declared = dict(_requirement(d) for d in project['dependencies'])
    constraints = {}
    with open(osp.join(REPO, 'requirements', 'constraints.txt')) as f:
        for line in f:
            line = line.split('#')[0].strip()
            if line:
                name, spec = _requirement(line)
                constraints[name] = spec
    for name, spec in declared.items():
        assert constraints.get(name) == spec, (name, spec,
                                               constraints.get(name))
    with open(osp.join(REPO, 'requirements', 'runtime.txt')) as f:
        runtime = {
            _requirement(line)[0]
            for line in f if line.strip() and not line.startswith('#')
        }
    assert runtime <= set(declared), runtime - set(declared)

    # The optional extra "onnx" is pinned too, and only the deployment
    # package may import it.
    optional = dict(
        _requirement(d) for d in project['optional-dependencies']['onnx'])
    for name, spec in optional.items():
        assert constraints.get(name) == spec, (name, spec,
                                               constraints.get(name))

    # third-party top-level modules imported anywhere in the package
    dists = importlib.metadata.packages_distributions()
    stdlib = set(sys.stdlib_module_names)
    importers = {}
    for path in glob.glob(
            osp.join(REPO, 'mmocr_ext', '**', '*.py'), recursive=True):
        with open(path) as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name.split('.')[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module.split('.')[0]]
            for module in names:
                importers.setdefault(module, set()).add(path)
    third_party = set(importers) - stdlib - {'mmocr_ext'}
    assert {'torch', 'mmocr', 'numpy', 'shapely', 'scipy'} <= third_party
    deployment = osp.join(REPO, 'mmocr_ext', 'deployment', '')
    for module in sorted(third_party):
        names = {d.lower().replace('_', '-') for d in dists.get(module, [])}
        if names & set(optional) and not names & set(declared):
            outside = [
                p for p in importers[module] if not p.startswith(deployment)
            ]
            assert not outside, (f'{module} (optional extra "onnx") is '
                                 f'imported outside mmocr_ext/deployment: '
                                 f'{outside}')
            continue
        assert names & set(declared), (
            f'mmocr_ext imports {module} (distribution {sorted(names)}), '
            'which pyproject.toml does not declare')
