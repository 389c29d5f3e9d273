# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The TCM/FastTCM configs carry the official hyperparameters (spec B4/B5)."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from conftest import REPO

CFG_DIR = osp.join(REPO, 'configs', 'textdet', 'tcm')
LEAVES = sorted(
    osp.basename(p) for p in glob.glob(osp.join(CFG_DIR, '*.py'))
    if not osp.basename(p).startswith('_'))

# dataset -> (test scale, repr, mask_thr, min_text_score, min_text_width,
#             unclip_ratio, epsilon_ratio, max_candidates, optimizer, lr, wd,
#             val_interval, learnable tokens)
OFFICIAL = {
    'icdar2015': ((4068, 1024), 'quad', 0.28, 0.2, 2, 1.6, 0.001, 3000,
                  'Adam', 1e-4, 1e-4, 5, 4),
    'msra-td500': ((4068, 736), 'quad', 0.08, 0.17, 3, 1.9, 0.0, 1000,
                   'Ranger', 1e-3, 0.0, 2, 4),
    'ctw1500': ((4068, 1024), 'poly', 0.08, 0.3, 3, 2.0, 0.0001, 3000,
                'AdamW', 1e-4, 1e-4, 15, 32),
    'totaltext': ((2944, 800), 'poly', 0.347, 0.3, 5, 1.95, 0.004, 3000,
                  'AdamW', 1e-4, 1e-4, 10, 32),
}


def load(name):
    return Config.fromfile(osp.join(CFG_DIR, name))


def test_expected_leaves_exist():
    for dataset in OFFICIAL:
        assert any(n.startswith('tcm_') and n.endswith(f'_{dataset}.py')
                   for n in LEAVES), dataset
        assert any(n.startswith('fasttcm_') and n.endswith(f'_{dataset}.py')
                   for n in LEAVES), dataset
    assert 'tcm_clip-r50_fpnc_20e_synthtext-real3.py' in LEAVES
    assert 'tcm_clip-r50-slim_fpnc_toy.py' in LEAVES


@pytest.mark.parametrize('name', LEAVES)
def test_common_recipe(name):
    cfg = load(name)
    model = cfg.model
    assert model.type in ('TCM', 'FastTCM')
    assert cfg.custom_imports.imports == ['mmocr_ext']
    assert model.det_head.type == 'DBHead'
    assert model.det_head.module_loss.type == 'TCMModuleLoss'
    assert model.neck.type == 'FPNC'
    # C5 channels + one score-map channel per prompt.
    assert model.neck.in_channels[-1] == model.backbone.width * 32 + 1
    keys = cfg.optim_wrapper.paramwise_cfg.custom_keys
    assert keys['backbone'].lr_mult == 0.1
    assert keys['text_encoder'].lr_mult == 0.0
    assert keys['norm'].decay_mult == 0.0
    assert cfg.param_scheduler[0].type == 'PolyLR'
    assert cfg.param_scheduler[0].power == 0.9
    assert cfg.model.data_preprocessor.mean == [
        122.67891434, 116.66876762, 104.00698793
    ]
    if 'toy' not in name:
        assert model.neck.in_channels == [256, 512, 1024, 2049]
        assert model.backbone.layers == (3, 4, 6, 3)
        assert model.text_encoder.transformer_layers in (12, 3)
        assert model.text_encoder.context_length == (
            14 + model.num_learnable_tokens)
        ckpt = model.backbone.init_cfg.checkpoint
        assert ckpt == model.text_encoder.init_cfg.checkpoint
        assert f'ctx{model.text_encoder.context_length}' in ckpt
    else:
        assert model.backbone.init_cfg is None  # no download, random init
        assert model.text_encoder.init_cfg is None


@pytest.mark.parametrize('dataset', sorted(OFFICIAL))
@pytest.mark.parametrize('algo', ['tcm', 'fasttcm'])
def test_dataset_hyperparameters(algo, dataset):
    (scale, repr_type, mask_thr, min_score, min_width, unclip, eps, max_cand,
     optim, lr, wd, val_interval, tokens) = OFFICIAL[dataset]
    name, = [
        n for n in LEAVES
        if n.startswith(f'{algo}_') and n.endswith(f'_1200e_{dataset}.py')
    ]
    cfg = load(name)
    post = cfg.model.det_head.postprocessor
    assert (post.text_repr_type, post.mask_thr, post.min_text_score,
            post.min_text_width, post.unclip_ratio, post.epsilon_ratio,
            post.max_candidates) == (repr_type, mask_thr, min_score,
                                     min_width, unclip, eps, max_cand)
    resize, = [
        t for t in cfg.test_dataloader.dataset.pipeline if t.type == 'Resize'
    ]
    assert tuple(resize.scale) == scale and resize.keep_ratio
    opt = cfg.optim_wrapper.optimizer
    assert (opt.type, opt.lr, opt.weight_decay) == (optim, lr, wd)
    assert cfg.train_cfg.max_epochs == 1200
    assert cfg.train_cfg.val_interval == val_interval
    assert cfg.model.num_learnable_tokens == tokens
    assert cfg.model.type == ('FastTCM' if algo == 'fasttcm' else 'TCM')
    assert cfg.default_hooks.checkpoint.save_best == 'icdar/hmean'
    data_root = cfg.train_dataloader.dataset.data_root
    assert data_root.endswith('data/' + dataset.replace('-', '_'))


def test_pretraining_configs():
    cfg = load('tcm_clip-r50_fpnc_20e_synthtext-real3.py')
    assert cfg.optim_wrapper.optimizer.type == 'Ranger'
    assert cfg.optim_wrapper.optimizer.lr == 1e-3
    assert cfg.train_cfg.max_epochs == 20
    assert cfg.train_dataloader.batch_size == 20
    roots = [d.data_root for d in cfg.train_dataloader.dataset.datasets]
    assert [r.rsplit('/', 1)[-1] for r in roots] == [
        'synthtext', 'icdar2015', 'ctw1500', 'totaltext'
    ]
    cfg32 = load('tcm_clip-r50-ctx32_fpnc_20e_synthtext-real3.py')
    assert cfg32.model.num_learnable_tokens == 32
    assert cfg32.model.text_encoder.context_length == 46
