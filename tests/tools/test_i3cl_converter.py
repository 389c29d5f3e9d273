# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Official I3CL checkpoints -> ours: ``i3cl_checkpoint_filter_fn`` and
``tools/model_converters/i3cl_official_to_mmocr_ext.py``.

No official checkpoint is available offline, so a randomly initialised toy
I3CL with the official 63-class heads is saved in the official mmdet-2.x /
mmcv-1.x layout (``{meta, state_dict, optimizer}``, bare detector keys:
``backbone.*``, ``neck.*``, ``intra_cl_module.{i}.*``, ``rpn_head.*``,
``roi_head.{bbox_head,mask_head,inter_cl_module}.*``), converted, and
compared output for output with the 1-class model it is loaded into.
"""
import copy
import os.path as osp
import sys

import pytest
import torch
from mmdet.structures.bbox import bbox2roi
from mmocr.registry import MODELS

from mmocr_ext.compat import load_checkpoint_safely
from mmocr_ext.models.textdet.i3cl import i3cl_checkpoint_filter_fn
from conftest import REPO, run

sys.path.insert(0, osp.join(REPO, 'tests', 'models', 'textdet', 'i3cl'))
from i3cl_tiny import TOY_CFG, images, toy_model_cfg  # noqa: E402

CONVERTER = osp.join(REPO, 'tools', 'model_converters',
                     'i3cl_official_to_mmocr_ext.py')


def _official_detector():
    """The toy detector with the official 63-class heads, random init."""
    cfg = toy_model_cfg()
    cfg.cfg.roi_head.bbox_head.num_classes = 63
    cfg.cfg.roi_head.mask_head.num_classes = 63
    torch.manual_seed(0)
    return MODELS.build(cfg).eval()


def _outputs(model):
    """RPN maps, box-head and mask-head outputs on fixed inputs/RoIs."""
    det = model.wrapped_model
    inputs = model.data_preprocessor(dict(inputs=list(images(2))))['inputs']
    rois = bbox2roi([
        torch.tensor([[5., 8., 60., 30.], [40., 50., 120., 90.]]),
        torch.tensor([[0., 0., 30., 30.]])
    ])
    with torch.no_grad():
        x = det.extract_feat(inputs)
        rpn = det.rpn_head(x)
        box = det.roi_head._bbox_forward(x, rois)
        mask = det.roi_head._mask_forward(x, rois)
    return rpn, box['cls_score'], box['bbox_pred'], mask['mask_preds']


@pytest.fixture(scope='module')
def official_ckpt(tmp_path_factory):
    model = _official_detector()
    state = {
        k[len('wrapped_model.'):]: v
        for k, v in model.state_dict().items()
    }
    path = tmp_path_factory.mktemp('i3cl') / 'vitae_epoch_12.pth'
    torch.save(
        dict(
            meta=dict(epoch=12, CLASSES=['text'] + ['x'] * 62),
            state_dict=state,
            optimizer=dict(state={}, param_groups=[])), path)
    return str(path), model


def test_layout_is_the_official_one(official_ckpt):
    ckpt = load_checkpoint_safely(official_ckpt[0], map_location='cpu')
    keys = set(ckpt['state_dict'])
    assert 'intra_cl_module.0.c_layer_7x7.weight' in keys
    assert ('roi_head.inter_cl_module.transformer_encoder_instance.layers.0.'
            'linear1.weight' in keys)
    assert ckpt['state_dict']['roi_head.bbox_head.fc_cls.weight'].shape[0] \
        == 64


def test_cli_converts_to_one_class_with_identical_text_outputs(
        official_ckpt, tmp_path):
    src, official = official_ckpt
    dst = tmp_path / 'i3cl_text.pth'
    out = run([sys.executable, CONVERTER, src,
               str(dst), '--config', TOY_CFG]).stdout
    assert 'dropped: optimizer state' in out
    assert 'sliced: roi_head.bbox_head.fc_cls.weight rows [0, 63]' in out
    assert 'sliced: roi_head.mask_head.conv_logits.weight channel 0' in out
    state = load_checkpoint_safely(str(dst), map_location='cpu')['state_dict']
    model = MODELS.build(toy_model_cfg()).eval()
    result = model.load_state_dict(state, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    rpn, cls, reg, mask = _outputs(model)
    rpn63, cls63, reg63, mask63 = _outputs(official)
    for a, b in zip(rpn, rpn63):
        for level_a, level_b in zip(a, b):
            torch.testing.assert_close(level_a, level_b, rtol=0, atol=0)
    # Text and background logits, the text box deltas and mask: the same
    # up to float rounding (a 2-row matmul sums in another order than a
    # 64-row one; differences ~1e-8).
    tol = dict(rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(cls, cls63[:, [0, 63]], **tol)
    torch.testing.assert_close(reg, reg63[:, :4], **tol)
    torch.testing.assert_close(mask, mask63[:, :1], **tol)


def test_keeping_63_classes_and_ddp_prefix(official_ckpt):
    _, official = official_ckpt
    state = {
        'module.' + k[len('wrapped_model.'):]: v
        for k, v in official.state_dict().items()
    }
    converted, report = i3cl_checkpoint_filter_fn(
        dict(state_dict=state), num_classes=63)
    assert report == []
    model = copy.deepcopy(official)
    for p in model.parameters():
        p.data.zero_()
    model.load_state_dict(converted, strict=True)
    for a, b in zip(_outputs(model)[1:], _outputs(official)[1:]):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    with pytest.raises(ValueError, match='cannot map 63 classes to 5'):
        i3cl_checkpoint_filter_fn(dict(state_dict=state), num_classes=5)


def test_wrong_architecture_is_refused_with_the_missing_keys(tmp_path):
    import torchvision
    path = tmp_path / 'resnet18.pth'
    torch.save(torchvision.models.resnet18().state_dict(), path)
    res = run(
        [sys.executable, CONVERTER,
         str(path),
         str(tmp_path / 'out.pth')],
        check=False)
    assert res.returncode == 2
    assert 'not an I3CL (Mask R-CNN) checkpoint' in res.stdout
    assert "'roi_head.bbox_head.fc_cls.weight'" in res.stdout
    assert not (tmp_path / 'out.pth').exists()
    with pytest.raises(ValueError, match='inconsistent heads'):
        i3cl_checkpoint_filter_fn({
            'backbone.conv1.weight':
            torch.zeros(1),
            'neck.lateral_convs.0.conv.weight':
            torch.zeros(1),
            'rpn_head.rpn_cls.weight':
            torch.zeros(1),
            'roi_head.bbox_head.fc_cls.weight':
            torch.zeros(64, 8),
            'roi_head.bbox_head.fc_reg.weight':
            torch.zeros(4, 8),
            'roi_head.mask_head.conv_logits.weight':
            torch.zeros(63, 8),
        })
