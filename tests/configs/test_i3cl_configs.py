# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The I3CL configs carry the official recipe (spec A4, A5, A9, A10): they
parse, their models build, their training pipelines run on a real image,
and each stage has the switches, data and schedule of the table."""
import copy
import functools
import glob
import json
import os.path as osp

import mmcv
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from conftest import REPO

CFG_DIR = osp.join(REPO, 'configs', 'textdet', 'i3cl')
ALL_FILES = sorted(
    osp.basename(p) for p in glob.glob(osp.join(CFG_DIR, '*.py')))
LEAVES = [n for n in ALL_FILES if not n.startswith('_')]
# The official recipes (the CPU configs, *-slim_*, have their own sizes).
RECIPES = [n for n in LEAVES if 'slim' not in n]
TOY_ROOT = osp.join(REPO, 'data', 'icdar2015_toy')
VITAE = 'i3cl_vitaev2-s_fpn_12e_art.py'

# config -> (I3CL modules on, optimizer, lr, milestones, epochs,
#            imgs per GPU, load_from (work_dirs/<config>/<epoch>), SSL)
RECIPE = {
    VITAE: (True, 'AdamW', 1e-4, [8], 12, 1, None, False),
    'i3cl_resnet50_fpn_20e_synthtext150k.py': (False, 'SGD', 1e-2, [4, 10, 16],
                                               20, 2, None, False),
    'i3cl_resnet50_fpn_10e_mixtrain.py':
    (False, 'SGD', 1e-3, [4, 8], 10, 1,
     'i3cl_resnet50_fpn_20e_synthtext150k/epoch_20.pth', False),
    'i3cl_resnet50_fpn_8e_finetune.py':
    (True, 'SGD', 5e-4, [4, 6], 8, 1,
     'i3cl_resnet50_fpn_10e_mixtrain/epoch_10.pth', False),
    'i3cl_resnet50_fpn_10e_ssl.py':
    (False, 'SGD', 5e-4, [4, 8], 10, 1,
     'i3cl_resnet50_fpn_10e_mixtrain/epoch_10.pth', True),
    'i3cl_resnet50_fpn_6e_ssl-finetune.py':
    (True, 'SGD', 5e-4, [2, 5], 6, 1, 'i3cl_resnet50_fpn_10e_ssl/epoch_10.pth',
     True),
    # Our finetuning schedule (the paper gives none).
    'i3cl_resnet50_fpn_40e_totaltext.py':
    (True, 'SGD', 1e-3, [30], 40, 1,
     'i3cl_resnet50_fpn_6e_ssl-finetune/epoch_6.pth', False),
    'i3cl_resnet50_fpn_40e_ctw1500.py':
    (True, 'SGD', 1e-3, [30], 40, 1,
     'i3cl_resnet50_fpn_6e_ssl-finetune/epoch_6.pth', False),
}
# config -> training sets (data folder, annotation file)
DATA = {
    VITAE: [('lsvt', 'textdet_train.json'), ('mlt19', 'textdet_train.json'),
            ('art', 'textdet_train.json')],
    'i3cl_resnet50_fpn_20e_synthtext150k.py':
    [('synthtext150k', 'textdet_train.json')],
    'i3cl_resnet50_fpn_10e_mixtrain.py': [('lsvt', 'textdet_train.json'),
                                          ('mlt19', 'textdet_train.json'),
                                          ('rctw', 'textdet_train.json'),
                                          ('rects', 'textdet_train.json'),
                                          ('art', 'textdet_train.json')],
    'i3cl_resnet50_fpn_8e_finetune.py': [('lsvt', 'textdet_train.json'),
                                         ('mlt19', 'textdet_train.json'),
                                         ('art', 'textdet_train.json')],
    'i3cl_resnet50_fpn_10e_ssl.py':
    [('art', 'textdet_train_lossweight.json'),
     ('lsvt', 'textdet_train_lossweight.json'),
     ('lsvt', 'textdet_test_lossweight.json'),
     ('mlt19', 'textdet_train_lossweight.json')],
    'i3cl_resnet50_fpn_40e_totaltext.py':
    [('totaltext', 'textdet_train.json')],
    'i3cl_resnet50_fpn_40e_ctw1500.py': [('ctw1500', 'textdet_train.json')],
}
DATA['i3cl_resnet50_fpn_6e_ssl-finetune.py'] = DATA[
    'i3cl_resnet50_fpn_10e_ssl.py']
# (long side max, short side) per training stage (spec A5).
VITAE_SCALES = [
    (1333, s) for s in (480, 512, 544, 576, 608, 640, 704, 732, 768)
] + [(1600, s) for s in (800, 832, 864, 896)]
PRETRAIN_SCALES = [(1200, s) for s in (800, 900, 1000, 1100)]
SCALES = [(1800, s) for s in (800, 1000, 1200, 1400, 1600)]


@functools.lru_cache(maxsize=None)
def load(name):
    """The parsed config (cached: chained leaves parse slowly; callers
    copy before changing it)."""
    return Config.fromfile(osp.join(CFG_DIR, name))


def _types(pipeline):
    return [t['type'] for t in pipeline]


def _inner(pipeline):
    """The steps of a pipeline with KeepInstancesAligned unwrapped."""
    steps = []
    for t in pipeline:
        if t['type'] == 'KeepInstancesAligned':
            steps += _inner(t['transforms'])
        else:
            steps.append(t)
    return steps


def _step(pipeline, type_):
    found = [t for t in _inner(pipeline) if t['type'] == type_]
    assert len(found) == 1, (type_, _types(_inner(pipeline)))
    return found[0]


def _no_init(model_cfg):
    """The model config without pretrained weights (nothing is loaded)."""
    model_cfg = copy.deepcopy(model_cfg)
    model_cfg.cfg.backbone.init_cfg = None
    return model_cfg


def test_expected_configs_exist():
    assert set(RECIPE) <= set(LEAVES)
    for base in ('_base_i3cl_resnet50_fpn.py', '_base_i3cl_vitaev2-s_fpn.py',
                 '_base_i3cl_pipelines.py'):
        assert base in ALL_FILES


@pytest.mark.parametrize('name', ALL_FILES)
def test_parses(name):
    cfg = load(name)
    if not name.startswith('_'):
        assert cfg.model.type == 'I3CLWrapper'
        assert cfg.custom_imports.imports == ['mmocr_ext.registration']


@pytest.mark.parametrize('name', sorted(RECIPE))
def test_stage_recipe(name):
    (modules_on, optim, lr, milestones, epochs, batch, load_from,
     ssl) = RECIPE[name]
    cfg = load(name)
    det = cfg.model.cfg
    # The official switches (spec A10.3).
    assert det.intracl_on is modules_on
    assert det.roi_head.intercl_on is modules_on
    assert det.roi_head.bbox_head.num_classes == 1
    assert det.test_cfg.rcnn.nms.iou_threshold == 0.35
    if load_from is None:
        assert cfg.get('load_from') is None
    else:
        assert cfg.load_from == f'work_dirs/{load_from}'
        # The checkpoint is the last epoch of the config it names.
        stage = load(load_from.split('/')[0] + '.py')
        assert load_from.endswith(f'epoch_{stage.train_cfg.max_epochs}.pth')
    opt = cfg.optim_wrapper.optimizer
    assert (opt.type, opt.lr) == (optim, lr)
    if optim == 'SGD':
        assert (opt.momentum, opt.weight_decay) == (0.9, 1e-4)
    assert cfg.optim_wrapper.get('clip_grad') is None
    warmup, step = cfg.param_scheduler
    assert (warmup.type, warmup.start_factor, warmup.by_epoch,
            warmup.end) == ('LinearLR', 1e-3, False, 1000)
    assert (step.type, step.milestones, step.gamma,
            step.by_epoch) == ('MultiStepLR', milestones, 0.1, True)
    assert step.end == cfg.train_cfg.max_epochs == epochs
    assert cfg.find_unused_parameters is True
    assert cfg.train_dataloader.batch_size == batch
    # Batch x 4 GPUs (spec A5).
    assert cfg.auto_scale_lr.base_batch_size == batch * 4
    if name not in ('i3cl_resnet50_fpn_40e_totaltext.py',
                    'i3cl_resnet50_fpn_40e_ctw1500.py'):
        assert cfg.default_hooks.checkpoint.interval == 1
    # Training data.
    dataset = cfg.train_dataloader.dataset
    sources = dataset.get('datasets', [dataset])
    assert [(osp.basename(osp.normpath(d.data_root)), d.ann_file)
            for d in sources] == DATA[name]
    pipeline = dataset.pipeline
    assert ('LoadInstanceLossWeights' in _types(pipeline)) is ssl
    pack = 'PackDetInputsWithLossWeights' if ssl else 'mmdet.PackDetInputs'
    assert _types(pipeline)[-1] == pack


@pytest.mark.parametrize('name', sorted(RECIPE))
def test_train_pipeline_translation(name):
    """Always-flip, the AutoAugment policies and the scales of spec A5."""
    pipeline = load(name).train_dataloader.dataset.pipeline
    assert pipeline[0] == dict(
        type='LoadImageFromFile', color_type='color_ignore_orientation')
    assert _step(pipeline, 'LoadOCRAnnotations') == dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True)
    # Polygon masks: mmdet cannot resize or rotate MMOCR2MMDet's bool
    # bitmaps.
    assert _step(pipeline, 'MMOCR2MMDet').poly2mask is False
    flip = _step(pipeline, 'mmdet.RandomFlip')
    assert flip.prob == [0.5, 0.5]  # no "no flip" left (spec A10.2)
    assert flip.direction == ['horizontal', 'vertical']
    steps = _types(_inner(pipeline))
    assert steps.index('mmdet.RandomFlip') < steps.index('mmdet.AutoAugment')
    policies = _step(pipeline, 'mmdet.AutoAugment').policies
    if name == VITAE:
        scales = VITAE_SCALES
    elif 'synthtext150k' in name:
        scales = PRETRAIN_SCALES
    else:
        scales = SCALES
    colour = ['mmdet.Color', 'mmdet.Brightness', 'mmdet.Contrast']
    expected = [['mmdet.Rotate'], colour, colour + ['mmdet.Rotate']]
    if name == VITAE:
        expected = [[]] + expected  # the extra resize-only policy
    assert [_types(p)[:-1] for p in policies] == expected
    for policy in policies:
        resize = policy[-1]
        assert resize.type == 'mmdet.RandomChoiceResize'
        assert resize.resize_type == 'mmdet.Resize'  # resizes the masks
        assert resize.keep_ratio is True
        assert [tuple(s) for s in resize.scales] == scales
        for t in policy[:-1]:
            assert t.prob == 0.5
            if t.type == 'mmdet.Rotate':
                assert (t.level, t.min_mag) == (10, 0.)
            else:
                assert t.level == 8
    assert policies[-3][0].max_mag == 10.
    assert policies[-1][3].max_mag == 15.


@pytest.mark.parametrize('name', RECIPES)
def test_test_pipeline(name):
    cfg = load(name)
    for loader in (cfg.val_dataloader, cfg.test_dataloader):
        pipeline = loader.dataset.pipeline
        assert loader.batch_size == 1
        assert _step(pipeline, 'Resize') == dict(
            type='Resize', scale=(1950, 1185), keep_ratio=True)
        assert _types(pipeline)[-1] == 'PackTextDetInputs'
    # One simplified polygon per mask above 0.45 (spec A4), and the metric
    # counts exactly those.
    post = cfg.model.postprocessor
    assert (post.type, post.score_thr) == ('I3CLMaskPostprocessor', 0.45)
    assert cfg.val_evaluator.score_thr == cfg.test_evaluator.score_thr == 0.45
    dataset = cfg.test_dataloader.dataset
    folder = osp.basename(osp.normpath(dataset.data_root))
    if name.endswith(('_totaltext.py', '_ctw1500.py')):
        assert (folder, dataset.ann_file) == (name[:-3].split('_')[-1],
                                              'textdet_test.json')
    else:  # ArT has no public test labels: its training set, test mode
        assert (folder, dataset.ann_file) == ('art', 'textdet_train.json')
        assert dataset.test_mode is True


def test_vitae_model_and_optimizer():
    """The ViTAE model builds (once: 47M parameters); AdamW leaves position
    tables and norms without weight decay."""
    from mmengine.optim import build_optim_wrapper
    from mmocr.registry import MODELS
    init_default_scope('mmocr')
    cfg = load(VITAE)
    backbone = cfg.model.cfg.backbone
    assert backbone.type == 'ViTAEv2WindowNoShift'
    assert backbone.drop_path_rate == 0.3
    assert backbone.init_cfg.type == 'Pretrained'
    assert backbone.init_cfg.checkpoint.endswith(
        'checkpoints/vitaev2-s_imagenet.pth')
    assert cfg.model.cfg.neck.in_channels == [64, 128, 256, 512]
    opt = cfg.optim_wrapper
    assert (opt.optimizer.type, opt.optimizer.lr, opt.optimizer.betas,
            opt.optimizer.weight_decay) == ('AdamW', 1e-4, (0.9, 0.999), 0.05)
    assert opt.paramwise_cfg.custom_keys == {
        k: dict(decay_mult=0.)
        for k in ('absolute_pos_embed', 'relative_position_bias_table', 'norm')
    }
    model = MODELS.build(_no_init(cfg.model))
    det = model.wrapped_model
    assert det.intracl_on and det.roi_head.intercl_on
    assert [o.shape[1] for o in det.backbone(torch.zeros(1, 3, 64, 64))
            ] == [64, 128, 256, 512]
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    decay = {}
    names = {id(p): n for n, p in model.named_parameters()}
    for group in optim_wrapper.optimizer.param_groups:
        for p in group['params']:
            decay[names[id(p)]] = group['weight_decay']
    tables = [n for n in decay if 'relative_position_bias_table' in n]
    norms = [n for n in decay if 'norm' in n]
    assert tables and norms
    assert all(decay[n] == 0 for n in tables + norms)
    qkv = [n for n in decay if n.endswith('qkv.weight')]
    assert qkv and all(decay[n] == 0.05 for n in qkv)


@pytest.mark.parametrize('name',
                         [n for n in LEAVES if n != VITAE and 'slim' not in n])
def test_r50_model_builds(name):
    from mmocr.registry import MODELS
    init_default_scope('mmocr')
    cfg = load(name)
    assert cfg.model.cfg.backbone.init_cfg.checkpoint.endswith(
        'checkpoints/resnet50-0676ba61.pth')
    model = MODELS.build(_no_init(cfg.model))
    det = model.wrapped_model
    assert det.intracl_on is cfg.model.cfg.intracl_on
    assert det.roi_head.intercl_on is cfg.model.cfg.roi_head.intercl_on
    assert model.postprocessor.score_thr == 0.45


@pytest.fixture(scope='module')
def weighted_ann(tmp_path_factory):
    """The toy training annotations with a distinct ``lossweight`` per
    instance (its index in the whole file / 100)."""
    with open(osp.join(TOY_ROOT, 'textdet_train.json')) as f:
        ann = json.load(f)
    count = 0
    for info in ann['data_list']:
        for inst in info['instances']:
            inst['lossweight'] = count / 100
            count += 1
    path = tmp_path_factory.mktemp('i3cl') / 'textdet_train_lossweight.json'
    path.write_text(json.dumps(ann))
    return str(path)


@pytest.mark.parametrize('name', sorted(RECIPE))
def test_train_pipeline_runs(name, weighted_ann):
    """The training pipeline on a real ICDAR2015 image: always flipped,
    resized to one of the scales, masks packed (and loss weights, SSL)."""
    from mmdet.structures import DetDataSample
    from mmdet.structures.mask import PolygonMasks
    from mmocr.registry import DATASETS
    init_default_scope('mmocr')
    np.random.seed(0)
    cfg = load(name)
    ssl = RECIPE[name][-1]
    dataset = DATASETS.build(
        dict(
            type='CheckedOCRDataset',
            data_root=TOY_ROOT,
            ann_file=weighted_ann if ssl else 'textdet_train.json',
            pipeline=cfg.train_dataloader.dataset.pipeline))
    info = dataset.get_data_info(0)
    sample = dataset[0]
    data = sample['data_samples']
    assert isinstance(data, DetDataSample)
    assert data.flip is True
    assert data.flip_direction in ('horizontal', 'vertical')
    h, w = data.img_shape
    assert sample['inputs'].shape == (3, h, w)
    scales = [
        tuple(s) for s in _step(cfg.train_dataloader.dataset.pipeline,
                                'mmdet.AutoAugment').policies[0][-1].scales
    ]
    assert (w, h) in [
        mmcv.rescale_size((info['width'], info['height']), s) for s in scales
    ]
    gt = data.gt_instances
    num = len(info['instances'])
    assert 0 < len(gt) + len(data.ignored_instances) <= num
    assert isinstance(gt.masks, PolygonMasks)
    assert (gt.masks.height, gt.masks.width) == (h, w)
    # The masks moved with the boxes (flip, rotation, resize): each mask,
    # clipped to the image, lies in its box (a rotated box is the hull of
    # the rotated corners, so larger than the rotated polygon).
    boxes = torch.as_tensor(gt.bboxes).float()
    mask_boxes = gt.masks.get_bboxes('hbox').tensor
    mask_boxes[:, 0::2] = mask_boxes[:, 0::2].clamp(0, w)
    mask_boxes[:, 1::2] = mask_boxes[:, 1::2].clamp(0, h)
    assert (mask_boxes[:, :2] >= boxes[:, :2] - 1).all()
    assert (mask_boxes[:, 2:] <= boxes[:, 2:] + 1).all()
    assert len(gt.masks) == len(gt.bboxes) == len(gt.labels)
    assert (gt.labels == 0).all()
    if ssl:
        weights = torch.cat(
            [gt.loss_weights, data.ignored_instances.loss_weights])
        expected = [inst['lossweight'] for inst in info['instances']]
        assert len(weights) == len(gt) + len(data.ignored_instances)
        assert set(np.round(weights.numpy(),
                            4)) <= set(np.round(np.float32(expected), 4))
    else:
        assert 'loss_weights' not in gt
