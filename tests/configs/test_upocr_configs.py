# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's configs: the official schedule and batch composition, pipelines
that keep the evaluation ground truth, datasets where data/README says."""
import os.path as osp

import pytest
from mmengine.config import Config

from conftest import REPO

UPOCR = osp.join(REPO, 'configs', 'pixel', 'upocr')
JOINT = osp.join(UPOCR, 'upocr_swinv2-s_80k_joint.py')
TESTS = {
    'upocr_swinv2-s_80k_scut-enstext.py':
    ('SCUTEnsTextDataset', 'TextRemovalMetric', 'scut_enstext'),
    'upocr_swinv2-s_80k_textseg.py':
    ('TextSegDataset', 'TextSegMetric', 'textseg'),
    'upocr_swinv2-s_80k_tampered-ic13.py':
    ('TamperedIC13Dataset', 'TamperedTextMetric', 'tampered_ic13'),
}
TASK_OF = dict(
    SCUTEnsTextDataset='text_removal',
    TamperedIC13Dataset='tamper_detection',
    TextSegDataset='text_segmentation')


def _load(path):
    return Config.fromfile(path, import_custom_modules=False)


def _types(pipeline):
    return [t['type'] for t in pipeline]


def test_joint_training_is_the_official_recipe():
    cfg = _load(JOINT)
    assert cfg.model.task_list == [
        'text_removal', 'tamper_detection', 'text_segmentation'
    ]
    loader = cfg.train_dataloader
    k = loader.sampler.samples_per_task
    assert k == 8 and loader.sampler.type == 'MultiTaskGroupedSampler'
    assert loader.batch_size == loader.sampler.batch_size == 3 * k
    # Batch order = prompt order = the official data-config order.
    tasks = [TASK_OF[d.type] for d in loader.dataset.datasets]
    assert tasks == cfg.model.task_list
    assert cfg.train_cfg.type == 'IterBasedTrainLoop'
    assert cfg.train_cfg.max_iters == 80000
    optim = cfg.optim_wrapper
    assert optim.optimizer.type == 'AdamW' and optim.optimizer.lr == 5e-4
    assert optim.optimizer.weight_decay == 1e-4
    assert optim.clip_grad.max_norm == 0.1
    assert optim.paramwise_cfg.custom_keys.encoder.lr_mult == 0.1
    sched, = cfg.param_scheduler
    assert sched.type == 'UPOCRStaircaseLR'
    assert sched.iters_per_epoch * sched.total_epochs == 80000
    assert cfg.default_hooks.checkpoint.interval == 2000
    # Every training pipeline ends at the official 512x512.
    for dataset in loader.dataset.datasets:
        resize = [t for t in dataset.pipeline if t.type == 'PixelResize']
        assert [t.scale for t in resize] == [(512, 512)]
        assert _types(dataset.pipeline)[-1] == 'PackPixelOCRInputs'
    # The textseg training set is train + val (UPOCR's choice).
    seg = loader.dataset.datasets[2]
    assert tuple(seg.splits) == ('train', 'val')


@pytest.mark.parametrize('name', sorted(TESTS))
def test_one_test_config_per_task(name):
    dataset_type, metric, root = TESTS[name]
    cfg = _load(osp.join(UPOCR, name))
    dataset = cfg.test_dataloader.dataset
    assert dataset.type == dataset_type and dataset.test_mode
    assert osp.normpath(dataset.data_root).startswith(
        osp.join(REPO, 'data', root))
    assert cfg.test_evaluator.type == metric
    types = _types(dataset.pipeline)
    assert types[0] == 'LoadRGBImagePIL'
    resize, = [t for t in dataset.pipeline if t.type == 'PixelResize']
    assert resize.scale == (512, 512)
    if metric != 'TextRemovalMetric':
        # Segmentation / tamper metrics score at the original size: the
        # ground truth is loaded and kept before the resize.
        assert resize.keep_ori_target_for_eval
        load = 'LoadTextSegLabel' if 'seg' in name else 'RenderTamperedBoxMap'
        assert types.index(load) < types.index('PixelResize')


def test_toy_and_small_configs_score_every_task():
    for name in ('upocr_swinv2-tiny_toy.py', 'upocr_swinv2-small_synth.py'):
        cfg = _load(osp.join(UPOCR, name))
        metrics = {m.type for m in cfg.test_evaluator}
        assert metrics == {
            'TextRemovalMetric', 'TextSegMetric', 'TamperedTextMetric'
        }
        tasks = {d.task for d in cfg.test_dataloader.dataset.datasets}
        assert tasks == set(cfg.model.task_list)
        sampler = cfg.train_dataloader.sampler
        assert cfg.train_dataloader.batch_size == (
            sampler.samples_per_task * len(cfg.model.task_list))
