# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The config tree: mmocr's layout, one definition of the shared runtime.

``configs/_base_/default_runtime.py`` holds what every mmocr_ext config
shares; ``configs/<task>/_base_/default_runtime.py`` applies it to each
task's runtime (mmocr's where mmocr has one). Leaves change pipelines by
step type, never by list position.
"""
import ast
import glob
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.utils import get_installed_path

from conftest import REPO

CONFIGS = osp.join(REPO, 'configs')
TASKS = ('textdet', 'textrecog', 'textspot', 'pixel')
ALL_FILES = sorted(glob.glob(osp.join(CONFIGS, '**', '*.py'), recursive=True))
LEAVES = [p for p in ALL_FILES if '_base_' not in p]


def _load(path: str) -> Config:
    # Parsing only: the registration module is imported by the tests'
    # conftest already.
    return Config.fromfile(path, import_custom_modules=False)


def _mmocr(path: str) -> Config:
    """The installed mmocr's config that ``mmocr::<path>`` names."""
    return _load(
        osp.join(get_installed_path('mmocr'), '.mim', 'configs', path))


def _unscoped(value):
    """``value`` without the ``_scope_`` keys mmengine adds to what an
    ``mmocr::`` base defines."""
    if isinstance(value, dict):
        return {k: _unscoped(v) for k, v in value.items() if k != '_scope_'}
    if isinstance(value, (list, tuple)):
        return type(value)(_unscoped(v) for v in value)
    return value


def _at(cfg: Config, key: str):
    """The value at a dotted ``key``, as in ``--cfg-options``."""
    for part in key.split('.'):
        cfg = cfg[part]
    return cfg


def _rel(path: str) -> str:
    return osp.relpath(path, REPO)


SHARED = _load(osp.join(CONFIGS, '_base_', 'default_runtime.py'))


def test_shared_runtime_values():
    assert SHARED.custom_imports == dict(
        imports=['mmocr_ext.registration'], allow_failed_imports=False)
    shared = SHARED.mmocr_ext_runtime
    assert shared.default_scope == 'mmocr'
    assert shared.env_cfg.dist_cfg.backend == 'auto'
    assert shared.randomness.seed == 0
    assert shared.checkpoint_hook.type == 'CheckpointHook'
    # No key that an mmocr task runtime also defines (mmengine refuses
    # duplicate keys among sibling bases).
    mmocr_runtime = _mmocr('textdet/_base_/default_runtime.py')
    assert not set(SHARED) & set(mmocr_runtime)


@pytest.mark.parametrize('task', TASKS)
def test_task_runtime_applies_the_shared_settings(task):
    path = osp.join(CONFIGS, task, '_base_', 'default_runtime.py')
    cfg = _load(path)
    shared = SHARED.mmocr_ext_runtime
    assert cfg.custom_imports == SHARED.custom_imports
    assert cfg.default_scope == shared.default_scope
    assert cfg.env_cfg.dist_cfg == shared.env_cfg.dist_cfg
    assert cfg.randomness == shared.randomness
    checkpoint = cfg.default_hooks.checkpoint
    assert {
        k: checkpoint[k]
        for k in shared.checkpoint_hook
    } == shared.checkpoint_hook
    assert checkpoint.interval >= 1  # saves on its own schedule
    assert cfg.vis_backends == shared.vis_backends
    assert cfg.visualizer.vis_backends == shared.vis_backends
    assert cfg.visualizer.name == 'visualizer'


def test_task_runtimes_inherit_mmocrs_where_mmocr_has_one():
    for task in ('textdet', 'textrecog'):
        ours = _load(osp.join(CONFIGS, task, '_base_', 'default_runtime.py'))
        mmocr = _mmocr(f'{task}/_base_/default_runtime.py')
        # mmocr's settings that we do not override arrive unchanged.
        for key in ('env_cfg.mp_cfg', 'default_hooks.logger',
                    'default_hooks.checkpoint.interval', 'log_processor'):
            assert _unscoped(_at(ours, key)) == _at(mmocr, key), key
    det = _load(osp.join(CONFIGS, 'textdet', '_base_', 'default_runtime.py'))
    assert det.val_evaluator.type == det.test_evaluator.type == (
        'ExtHmeanIOUMetric')
    assert det.visualizer.type == 'TextDetAllRanksVisualizer'
    recog = _load(
        osp.join(CONFIGS, 'textrecog', '_base_', 'default_runtime.py'))
    assert recog.val_evaluator.type == 'MultiDatasetsEvaluator'
    assert recog.visualizer.type == 'TextRecogLocalVisualizer'
    assert recog.tta_model.type == 'EncoderDecoderRecognizerTTAModel'


@pytest.mark.parametrize('task', TASKS)
def test_task_runtime_types_are_registered(task):
    from mmocr.registry import EVALUATOR, HOOKS, METRICS, VISUALIZERS
    cfg = _load(osp.join(CONFIGS, task, '_base_', 'default_runtime.py'))
    assert VISUALIZERS.get(cfg.visualizer.type) is not None
    for hook in cfg.default_hooks.values():
        assert HOOKS.get(hook.type) is not None, hook.type
    evaluator = cfg.get('val_evaluator')
    if evaluator is not None and 'metrics' in evaluator:
        assert EVALUATOR.get(evaluator.type) is not None, evaluator.type
    if evaluator is not None:
        metrics = evaluator.get('metrics', [evaluator])
        for metric in metrics:
            assert METRICS.get(metric.type) is not None, metric.type


def test_layout():
    for task in TASKS:
        assert osp.isfile(
            osp.join(CONFIGS, task, '_base_', 'default_runtime.py')), task
    # Only the shared runtime lives at the top; data and schedules are per
    # task, as in mmocr.
    top = [
        _rel(p) for p in glob.glob(osp.join(CONFIGS, '_base_', '*'))
        if not p.endswith('__pycache__')
    ]
    assert top == [osp.join('configs', '_base_', 'default_runtime.py')]
    datasets = glob.glob(
        osp.join(CONFIGS, 'textdet', '_base_', 'datasets', '*.py'))
    assert len(datasets) >= 6
    for path in datasets:
        name = osp.splitext(osp.basename(path))[0]
        cfg = _load(path)
        root = cfg[f'{name}_textdet_data_root']
        assert osp.normpath(root) == osp.join(REPO, 'data', name)
        assert f'{name}_textdet_train' in cfg


@pytest.mark.parametrize(
    'path', [
        p for p in ALL_FILES if f'{osp.sep}schedules{osp.sep}' in p
        or f'{osp.sep}datasets{osp.sep}' in p
    ],
    ids=_rel)
def test_schedules_and_datasets_are_separate(path):
    own = set(_load(path)) - set(
        _load(osp.join(CONFIGS, 'textdet', '_base_', 'default_runtime.py')))
    loaders = {'train_dataloader', 'val_dataloader', 'test_dataloader'}
    schedule = {'optim_wrapper', 'train_cfg', 'param_scheduler'}
    if f'{osp.sep}schedules{osp.sep}' in path:
        assert not own & loaders and schedule <= own
    else:
        assert not own & (loaders | schedule)


@pytest.mark.parametrize('path', LEAVES, ids=_rel)
def test_leaf_gets_the_shared_settings(path):
    cfg = _load(path)
    assert cfg.custom_imports == SHARED.custom_imports
    assert cfg.mmocr_ext_runtime == SHARED.mmocr_ext_runtime
    assert cfg.env_cfg.dist_cfg.backend == 'auto'
    assert cfg.randomness.seed == 0
    assert cfg.default_hooks.checkpoint.max_keep_ckpts == 3


def model_postprocessor(model) -> str:
    """Type of an ``I3CLWrapper``'s post-processor, else ''."""
    return (model.get('postprocessor') or {}).get('type', '')


def _deployment_threshold(model) -> float:
    """The lowest score a deployed text detector outputs: the DB-style
    post-processor's ``min_text_score``; for mmdet detectors wrapped by
    ``I3CLWrapper``, its post-processor's ``score_thr`` or, with mmocr's
    default conversion, the R-CNN test ``score_thr``."""
    if 'det_head' in model:
        return model.det_head.postprocessor.min_text_score
    if model.get('postprocessor'):
        return model.postprocessor.score_thr
    return model.cfg.test_cfg.rcnn.score_thr


@pytest.mark.parametrize(
    'path', [p for p in LEAVES if f'{osp.sep}textdet{osp.sep}' in p], ids=_rel)
def test_textdet_metric_is_at_the_deployment_threshold(path):
    cfg = _load(path)
    thr = _deployment_threshold(cfg.model)
    for evaluator in (cfg.val_evaluator, cfg.test_evaluator):
        assert evaluator.type == 'ExtHmeanIOUMetric'
        assert evaluator.score_thr == thr
    # A DB-style post-processor keeps float32 scores >= thr: they must never
    # round below ``thr``. I3CLMaskPostprocessor keeps scores > thr only, so
    # every polygon it outputs is counted whatever the rounding.
    if model_postprocessor(cfg.model) != 'I3CLMaskPostprocessor':
        assert float(np.float32(thr)) >= thr
    checkpoint = cfg.default_hooks.checkpoint
    assert checkpoint.get('save_best') in (None, 'icdar/hmean')


def _pipeline_edits_by_position(tree: ast.AST) -> list:
    """Integer subscripts of, and list edits on, any ``*pipeline*`` name."""

    def name(node: ast.AST) -> str:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            return name(node.value) + '.' + node.attr
        return ''

    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Subscript) and 'pipeline' in name(node.value)
                and not (isinstance(node.slice, ast.Constant)
                         and isinstance(node.slice.value, str))):
            found.append(f'line {node.lineno}: {name(node.value)}[...]')
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr
                in ('insert', 'append', 'extend', 'pop', 'remove')
                and 'pipeline' in name(node.func.value)):
            found.append(f'line {node.lineno}: {name(node.func)}()')
    return found


@pytest.mark.parametrize('path', ALL_FILES, ids=_rel)
def test_pipelines_are_changed_by_key(path):
    with open(path) as f:
        tree = ast.parse(f.read())
    assert not _pipeline_edits_by_position(tree)


def test_position_edits_are_detected():
    code = ('a = _base_.test_pipeline[1]\n'
            '_base_.train_pipeline.insert(2, dict())\n'
            'test_pipeline[1]["scale"] = (1, 2)\n'
            'b = [dict(t, scale=1) if t.type == "Resize" else t\n'
            '     for t in _base_.test_pipeline]\n')
    assert len(_pipeline_edits_by_position(ast.parse(code))) == 3
