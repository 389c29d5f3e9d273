# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR configs: pipelines whose geometry agrees with the targets
and the metric, and the official stage settings."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
LEAVES = sorted(
    p for p in glob.glob(
        osp.join(REPO, 'configs', 'textspot', 'instructocr', '*.py'))
    if not osp.basename(p).startswith('_'))
RESIZES = ('Resize', 'RandomChoiceResize', 'RandomCrop', 'RandomRotate',
           'RandomApply')


def _types(pipeline):
    return [t['type'] for t in pipeline]


def _pipeline(loader):
    ds = loader['dataset']
    return ds.get('pipeline') or ds['datasets'][0]['pipeline']


@pytest.mark.parametrize('path', LEAVES, ids=osp.basename)
def test_train_targets_and_test_metric_share_the_image_frame(path):
    """Training: annotations are loaded BEFORE any geometric transform (the
    targets' points are relative to the network input). Test: AFTER the
    resize (the metric compares original-pixel predictions with
    original-size ground truth)."""
    cfg = Config.fromfile(path)
    train = _types(_pipeline(cfg.train_dataloader))
    load = train.index('LoadOCRAnnotations')
    assert all(i > load for i, t in enumerate(train) if t in RESIZES), train
    assert train[-2:] == ['GenerateInstruction', 'PackTextDetInputs']
    test = _types(_pipeline(cfg.test_dataloader))
    assert test.index('LoadOCRAnnotations') > test.index('Resize'), test
    gen = [
        t for t in _pipeline(cfg.test_dataloader)
        if t['type'] == 'GenerateInstruction'
    ]
    assert gen[0]['stage'] == 'test'
    pack = _pipeline(cfg.test_dataloader)[-1]
    assert 'instruction' in pack['meta_keys']


def test_official_stages():
    cfgs = {
        osp.basename(p).split('_', 2)[2][:-3]: Config.fromfile(p)
        for p in LEAVES
    }
    stage = {
        name: [
            t['stage'] for t in _pipeline(c.train_dataloader)
            if t['type'] == 'GenerateInstruction'
        ][0]
        for name, c in cfgs.items()
    }
    assert stage['200e_pretrain1'] == stage['40e_pretrain2'] == 'pretrain'
    assert stage['50e_instruction'] == stage['140e_icdar2015'] == \
        'instruction'
    lrs = {n: c.optim_wrapper.optimizer.lr for n, c in cfgs.items()}
    assert (lrs['200e_pretrain1'], lrs['40e_pretrain2'],
            lrs['50e_instruction'], lrs['140e_icdar2015'],
            lrs['140e_totaltext']) == (4.4e-4, 1e-4, 1e-4, 1e-5, 1e-5)
    for c in cfgs.values():
        assert c.optim_wrapper.clip_grad.max_norm == 0.1
        assert c.optim_wrapper.optimizer.weight_decay == 1e-4
    scales = {
        n: [
            t for t in _pipeline(c.train_dataloader)
            if t['type'] == 'RandomChoiceResize'
        ]
        for n, c in cfgs.items()
    }
    assert scales['200e_pretrain1'][0]['scales'][-1] == (1024, 1024)
    assert scales['40e_pretrain2'][0]['scales'][-1] == (1600, 1600)
    assert scales['140e_icdar2015'][0]['scales'][0] == (1920, 704)
    assert [
        t['scale'] for t in _pipeline(cfgs['140e_totaltext'].test_dataloader)
        if t['type'] == 'Resize'
    ] == [(1600, 1024)]
