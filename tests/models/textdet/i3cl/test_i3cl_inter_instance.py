# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""I3CL's inter-instance module (spec A2.3) and the parameter counts of the
official detector's parts (spec D)."""
import pytest
import torch
from mmdet.registry import MODELS
from mmengine.registry import DefaultScope

from mmocr_ext.models.textdet.i3cl import I3CLInterInstance


def _params(module):
    return sum(p.numel() for p in module.parameters())


def _tiny(**kwargs):
    torch.manual_seed(0)
    cfg = dict(channels=16, token_channels=8, num_layers=2, ffn_channels=32)
    cfg.update(kwargs)
    return I3CLInterInstance(**cfg).eval()


def _feats(batch, channels=16, seed=1):
    gen = torch.Generator().manual_seed(seed)
    return [
        torch.randn(batch, channels, s, s + 2, generator=gen)
        for s in (16, 8, 4, 2)
    ]


def test_parameter_counts_match_the_spec():
    inter = MODELS.build(dict(type='mmdet.I3CLInterInstance'))
    assert _params(inter.transformer_encoder_instance) == 4548192
    assert _params(inter.global_context_extract_module) == 262144
    assert _params(inter) == 5483136
    # Official names (checkpoint keys) of the transformer.
    keys = set(inter.state_dict())
    assert ('transformer_encoder_instance.layers.2.self_attn.in_proj_weight'
            in keys)
    assert 'global_context_extract_module.conv1x1_list.3.weight' in keys
    # I3CL-specific total: 5 intra-instance blocks + this module.
    intra = 5 * 497024
    assert intra + _params(inter) == 7968256


def test_official_heads_with_63_classes_match_the_spec():
    # mmdet parts build their task utilities in the mmdet scope (an
    # earlier test may have made mmocr the default scope).
    with DefaultScope.overwrite_default_scope('mmdet'):
        rpn = MODELS.build(
            dict(
                type='mmdet.I3CLRPNHead',
                in_channels=256,
                feat_channels=256,
                anchor_generator=dict(
                    type='AnchorGenerator',
                    scales=[8],
                    ratios=[0.5, 1.0, 2.0],
                    strides=[4, 8, 16, 32, 64]),
                bbox_coder=dict(type='DeltaXYWHBBoxCoder')))
        box = MODELS.build(
            dict(
                type='mmdet.I3CLBBoxHead',
                in_channels=256,
                fc_out_channels=1024,
                roi_feat_size=7,
                num_classes=63))
        mask = MODELS.build(
            dict(type='mmdet.FCNMaskHead', num_convs=4, num_classes=63))
        assert (_params(rpn), _params(box),
                _params(mask)) == (593935, 14219580, 2638911)


def test_fusion_and_global_context_by_hand():
    """With the transformer branch zeroed and identity convolutions the
    output is ReLU(BN(roi + g)), g the per-image sum of the padded GAPs."""
    inter = _tiny()
    channels = 16
    with torch.no_grad():
        inter.conv1x1_return_channel.weight.zero_()
        inter.conv1x1_return_channel.bias.zero_()
        inter.conv3x3_out.weight.zero_()
        inter.conv3x3_out.weight[:, :, 1, 1] = torch.eye(channels)
        inter.conv1x1_out.weight.copy_(torch.eye(channels)[..., None, None])
        inter.conv1x1_out.bias.zero_()
        for conv in inter.global_context_extract_module.conv1x1_list:
            conv.weight.copy_(torch.eye(channels)[..., None, None])
    feats = _feats(2)
    rois = torch.randn(5, channels, 7, 7)
    out = inter(feats, rois, [2, 3])
    # 1x1 conv with padding=1: the mean runs over (h + 2) x (w + 2).
    g = sum(
        f.sum((2, 3)) / ((f.shape[2] + 2) * (f.shape[3] + 2))
        for f in feats)  # (2, C)
    g_of_roi = g[[0, 0, 1, 1, 1], :, None, None]
    expected = torch.relu((rois + g_of_roi) / (1 + inter.bn.eps)**0.5)
    torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-5)


def test_permutation_equivariant_over_instances():
    inter = _tiny()
    feats = _feats(1)
    rois = torch.randn(6, 16, 14, 14)
    perm = torch.tensor([3, 0, 5, 1, 4, 2])
    with torch.no_grad():
        out = inter(feats, rois, [6])
        out_perm = inter(feats, rois[perm], [6])
    torch.testing.assert_close(out_perm, out[perm], rtol=1e-5, atol=1e-5)
    # ... and not a per-instance map: the other instances matter.
    with torch.no_grad():
        alone = inter(feats, rois[:1], [1])
    assert not torch.allclose(alone, out[:1], atol=1e-4)


def test_images_are_independent_and_empty_images_are_skipped():
    inter = _tiny()
    feats = _feats(3)
    rois = torch.randn(8, 16, 14, 14)
    with torch.no_grad():
        out = inter(feats, rois, [3, 0, 5])
        first = inter([f[:1] for f in feats], rois[:3], [3])
        last = inter([f[2:] for f in feats], rois[3:], [5])
    assert out.shape == rois.shape
    torch.testing.assert_close(out[:3], first, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(out[3:], last, rtol=1e-5, atol=1e-5)
    empty = torch.zeros(0, 16, 14, 14)
    assert inter(feats, empty, [0, 0, 0]) is empty


def test_training_mode_backward_and_count_mismatch():
    inter = _tiny().train()
    rois = torch.randn(4, 16, 14, 14, requires_grad=True)
    inter(_feats(2), rois, [1, 3]).sum().backward()
    assert rois.grad is not None and rois.grad.abs().sum() > 0
    assert all(p.grad is not None for p in inter.parameters())
    with pytest.raises(
            ValueError,
            match=r'3 RoIs counted per image \(\[1, 2\]\) but 4 given'):
        inter(_feats(2), rois, [1, 2])
