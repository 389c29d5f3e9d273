# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The TCM/FastTCM configs carry the released hyperparameters (docs/tcm.md)."""
import glob
import os.path as osp

import numpy as np
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
    'icdar2015': ((4068, 1024), 'quad', 0.28, 0.2, 2, 1.6, 0.001, 3000, 'Adam',
                  1e-4, 1e-4, 5, 4),
    'msra-td500': ((4068, 736), 'quad', 0.08, 0.17, 3, 1.9, 0.0, 1000,
                   'Ranger', 1e-3, 0.0, 2, 4),
    'ctw1500': ((4068, 1024), 'poly', 0.08, 0.3, 3, 2.0, 0.0001, 3000, 'AdamW',
                1e-4, 1e-4, 15, 32),
    'totaltext': ((2944, 800), 'poly', 0.347, 0.3, 5, 1.95, 0.004, 3000,
                  'AdamW', 1e-4, 1e-4, 10, 32),
}


def load(name):
    return Config.fromfile(osp.join(CFG_DIR, name))


def test_expected_leaves_exist():
    for dataset in OFFICIAL:
        assert any(
            n.startswith('tcm_') and n.endswith(f'_{dataset}.py')
            for n in LEAVES), dataset
        assert any(
            n.startswith('fasttcm_') and n.endswith(f'_{dataset}.py')
            for n in LEAVES), dataset
    assert 'tcm_clip-r50_fpnc_20e_synthtext-real3.py' in LEAVES
    assert 'tcm_clip-r50-slim_fpnc_toy.py' in LEAVES


@pytest.mark.parametrize('name', LEAVES)
def test_common_recipe(name):
    cfg = load(name)
    model = cfg.model
    assert model.type in ('TCM', 'FastTCM')
    assert cfg.custom_imports.imports == ['mmocr_ext.registration']
    assert model.det_head.type == 'DBHead'
    assert model.det_head.module_loss.type == 'TCMModuleLoss'
    assert model.neck.type == 'FPNC'
    # C5 channels + one score-map channel per prompt.
    assert model.neck.in_channels[-1] == model.backbone.width * 32 + 1
    assert len(model.class_names) == 1
    keys = cfg.optim_wrapper.paramwise_cfg.custom_keys
    # From random init (the synthetic main job) the image encoder learns at
    # the full rate; TCM's 0.1 protects pretrained CLIP features.
    from_scratch = name.endswith('_synth.py')
    assert keys['backbone'].lr_mult == (1.0 if from_scratch else 0.1)
    assert keys['text_encoder'].lr_mult == 0.0
    assert keys['norm'].decay_mult == 0.0
    assert cfg.param_scheduler[0].type == 'PolyLR'
    assert cfg.param_scheduler[0].power == 0.9
    assert cfg.param_scheduler[0].end == cfg.train_cfg.max_epochs
    assert cfg.model.data_preprocessor.mean == [
        122.67891434, 116.66876762, 104.00698793
    ]
    if 'slim' not in name:
        assert model.neck.in_channels == [256, 512, 1024, 2049]
        assert model.backbone.layers == (3, 4, 6, 3)
        assert model.text_encoder.transformer_layers in (12, 3)
        assert model.text_encoder.context_length == (
            14 + model.num_learnable_tokens)
        ckpt = model.backbone.init_cfg.checkpoint
        assert ckpt == model.text_encoder.init_cfg.checkpoint
        assert f'ctx{model.text_encoder.context_length}.pth' in ckpt
        assert osp.normpath(ckpt).startswith(osp.join(REPO, 'checkpoints'))
    else:
        assert model.backbone.init_cfg is None  # no download, random init
        assert model.text_encoder.init_cfg is None


@pytest.mark.parametrize('name', LEAVES)
def test_widths_agree(name):
    """The CLIP joint embedding, text width and C5 channels, wherever used."""
    model = load(name).model
    embed = model.text_encoder.embed_dim
    width = model.text_encoder.transformer_width
    assert model.backbone.output_dim == embed
    assert model.visual_prompt_generator.visual_dim == embed
    assert model.context_decoder.visual_dim == embed
    assert (model.prompt_generator.visual_dim,
            model.prompt_generator.text_dim) == (embed, width)
    train_set = load(name).train_dataloader.dataset
    pads = [t.size[0] for t in train_set.pipeline if t.type == 'Pad']
    # Padded crops, or images rendered at their training size.
    size = max(pads) if pads else train_set.renderer.height
    assert model.backbone.input_resolution == size
    if 'slim' not in name:
        assert (embed, width) == (1024, 512)
        # CLIP's heads: one per 64 channels (C5 = 32 x stem width).
        assert model.backbone.heads == model.backbone.width * 32 // 64 == 32
        assert model.text_encoder.transformer_heads == width // 64 == 8


@pytest.mark.parametrize('name', LEAVES)
def test_metric_counts_what_the_model_outputs(name):
    """``icdar/hmean`` is at the post-processor's own score threshold."""
    cfg = load(name)
    thr = cfg.model.det_head.postprocessor.min_text_score
    for evaluator in (cfg.val_evaluator, cfg.test_evaluator):
        assert evaluator.type == 'ExtHmeanIOUMetric'
        assert evaluator.score_thr == thr
    # DBPostprocessor keeps scores >= thr and stores them as float32; the
    # metric compares in float64. No kept score may round below ``thr``.
    assert float(np.float32(thr)) >= thr


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
            post.max_candidates) == (repr_type, mask_thr, min_score, min_width,
                                     unclip, eps, max_cand)
    assert cfg.val_evaluator.score_thr == min_score
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
    checkpoint = cfg.default_hooks.checkpoint
    assert checkpoint.save_best == 'icdar/hmean'
    assert checkpoint.rule == 'greater'
    assert checkpoint.interval == 300
    data_root = cfg.train_dataloader.dataset.data_root
    assert data_root.endswith('data/' + dataset.replace('-', '_'))
    assert osp.normpath(data_root) == osp.join(REPO, 'data',
                                               dataset.replace('-', '_'))
    assert cfg.train_dataloader.batch_size == 16
    # Curved-text sets drop degenerate polygons right after loading them.
    for loader in (cfg.train_dataloader, cfg.test_dataloader):
        types = [t.type for t in loader.dataset.pipeline]
        if tokens == 32:
            i = types.index('LoadOCRAnnotations')
            assert types[i + 1] == 'FixInvalidPolygon'
        else:
            assert 'FixInvalidPolygon' not in types


def test_pretraining_configs():
    cfg = load('tcm_clip-r50_fpnc_20e_synthtext-real3.py')
    assert cfg.optim_wrapper.optimizer.type == 'Ranger'
    assert cfg.optim_wrapper.optimizer.lr == 1e-3
    assert cfg.train_cfg.max_epochs == 20
    assert cfg.train_dataloader.batch_size == 20
    roots = [d.data_root for d in cfg.train_dataloader.dataset.datasets]
    assert [r.rsplit('/', 1)[-1] for r in roots
            ] == ['synthtext', 'icdar2015', 'ctw1500', 'totaltext']
    types = [t.type for t in cfg.train_dataloader.dataset.pipeline]
    assert types[types.index('LoadOCRAnnotations') + 1] == 'FixInvalidPolygon'
    # Finetuning starts from the last epoch: a checkpoint every epoch and no
    # "best" one picked on the test set.
    assert cfg.default_hooks.checkpoint.interval == 1
    assert cfg.default_hooks.checkpoint.save_best is None
    assert cfg.auto_scale_lr.base_batch_size == 160
    cfg32 = load('tcm_clip-r50-ctx32_fpnc_20e_synthtext-real3.py')
    assert cfg32.model.num_learnable_tokens == 32
    assert cfg32.model.text_encoder.context_length == 46
    assert cfg32.model.backbone.init_cfg.checkpoint.endswith('ctx46.pth')


def test_synth_config():
    """The main job's config: slim TCM on synthetic text, held out."""
    cfg = load('tcm_clip-r50-slim_fpnc_synth.py')
    train = cfg.train_dataloader.dataset
    val = cfg.val_dataloader.dataset
    assert train.type == val.type == 'SynthRenderDataset'
    assert train.renderer == val.renderer
    assert train.seed != val.seed
    assert [t.type for t in train.pipeline][0] == 'LoadImageFromNDArray'
    test = cfg.test_dataloader.dataset
    assert osp.normpath(test.data_root) == osp.join(REPO, 'data', 'synth')
    # No resize at test: the synthetic test images have the training size.
    resize, = [t for t in test.pipeline if t.type == 'Resize']
    assert resize.scale is None and resize.scale_factor == 1.0
    assert cfg.model.det_head.postprocessor.text_repr_type == 'poly'
    assert cfg.model.backbone.layers == (1, 1, 1, 1)


def test_toy_config():
    cfg = load('tcm_clip-r50-slim_fpnc_toy.py')
    assert cfg.train_cfg.max_epochs == cfg.train_cfg.val_interval == 40
    assert cfg.default_hooks.checkpoint.interval == 40
    resize, = [
        t for t in cfg.test_dataloader.dataset.pipeline if t.type == 'Resize'
    ]
    assert tuple(resize.scale) == (1280, 736)
    assert cfg.train_dataloader.dataset.data_root.endswith(
        'data/icdar2015_toy')
