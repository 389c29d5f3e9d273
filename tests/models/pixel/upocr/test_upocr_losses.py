# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's losses on hand-computed tiny tensors (spec §4)."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import mmocr_ext.models.pixel.upocr.losses.multi_scale_masked_l1_loss as ml1
from mmocr_ext.models.pixel.upocr import (MultiScaleIgnoreSmoothL1Loss,
                                          MultiScaleMaskedL1Loss,
                                          VGG16FeatureExtractor,
                                          VGGPerceptualStyleLoss, gram_matrix)


def _preds(values, size=4):
    """Constant outputs at 1/4, 1/2, 1/1 of ``size``."""
    return [
        torch.full((1, 3, size // r, size // r), float(v), requires_grad=True)
        for r, v in zip((4, 2, 1), values)
    ]


def test_masked_l1_weights_and_nearest_masks():
    target = torch.zeros(1, 3, 4, 4)
    mask = torch.zeros(1, 1, 4, 4)
    mask[..., :2] = 1  # left half non-text, right half text
    preds = _preds((1., 2., 3.))
    loss = MultiScaleMaskedL1Loss()(preds, target, mask)['MSR_loss']
    # 1/1: text term mean = 3 * 0.5, non-text 3 * 0.5 -> 10*1.5 + 2*1.5
    # 1/2: nearest keeps columns 0 (non-text) and 2 (text) -> 6*1 + 1*1
    # 1/4: the one pixel is (0, 0), non-text -> 5*0 + 0.8*1
    assert loss.item() == pytest.approx(18 + 7 + 0.8)
    loss.backward()
    assert all(p.grad is not None for p in preds)


def test_resize_equals_the_official_scale_factor():
    x = torch.rand(2, 3, 64, 96)
    for s in (0.25, 0.5):
        ref = F.interpolate(x, scale_factor=s)
        assert torch.equal(ml1.resize_to(x, ref), ref)


def test_ignore_smooth_l1_values_and_logging_keys():
    target = torch.tensor([0, 255, 128, 0, 255, 128], dtype=torch.uint8)
    target = target.float().view(1, 1, 2, 3).expand(1, 3, 2, 3) / 255
    preds = [torch.full((1, 3, 2, 3), 2., requires_grad=True)] * 3
    out = MultiScaleIgnoreSmoothL1Loss()(preds, target)
    assert sorted(out) == ['l1_loss', 'neg_l1', 'pos_l1']
    # target 0: |2| -> 1.5; target 1: |1| -> 0.5; 128 ignored: mean 1.0
    assert out['l1_loss'].item() == pytest.approx(21 * 1.0)
    assert out['pos_l1'].item() == pytest.approx(21 * 0.5)
    assert out['neg_l1'].item() == pytest.approx(21 * 1.5)
    assert not out['pos_l1'].requires_grad
    # below beta: 0.5 d^2 (pred 0.5 vs 0 and 1 -> 0.125)
    half = [torch.full((1, 3, 2, 3), .5)] * 3
    assert MultiScaleIgnoreSmoothL1Loss(
        weights=(1, 0, 0),
        log_pos_neg=False)(half,
                           target)['l1_loss'].item() == pytest.approx(0.125)


def test_all_ignored_gives_zero_with_grad_not_nan():
    target = torch.full((2, 3, 8, 8), 128 / 255)
    preds = [torch.randn(2, 3, s, s, requires_grad=True) for s in (2, 4, 8)]
    out = MultiScaleIgnoreSmoothL1Loss()(preds, target)
    assert out['l1_loss'].item() == 0.
    out['l1_loss'].backward()
    assert all(torch.equal(p.grad, torch.zeros_like(p)) for p in preds)
    uint8 = torch.full((1, 3, 2, 2), 128, dtype=torch.uint8).float() / 255
    assert (uint8 == 128 / 255).all()  # the exact ignore value


def test_gram_matrix():
    feat = torch.tensor([[1., 2.], [3., 4.]]).view(1, 2, 1, 2)
    assert gram_matrix(feat)[0].tolist() == [[5 / 4, 11 / 4], [11 / 4, 25 / 4]]


class _Identity(nn.Module):

    def forward(self, x):
        return [x, x, x]


def test_perceptual_and_style_by_hand():
    loss = VGGPerceptualStyleLoss(layers=('pool1', ))
    object.__setattr__(loss, 'vgg', _Identity())  # phi = identity
    out = torch.full((1, 3, 1, 2), .5, requires_grad=True)
    target = torch.zeros(1, 3, 1, 2)
    img = torch.ones(1, 3, 1, 2)
    mask = torch.tensor([1., 0.]).view(1, 1, 1, 2)  # pixel 1 is text
    terms = loss([out], target, mask, img)
    # composite = [1 (input), 0.5 (output)] per channel
    # perceptual: mean|O| + mean|Ic| = 0.5 + 0.75
    assert terms['prc_loss'].item() == pytest.approx(0.01 * 1.25)
    # Gram / (C H W = 6): O -> 0.5 each, Ic -> 1.25 each; G(Y) = 0
    assert terms['style_loss'].item() == pytest.approx(120 * 1.75 / 6)
    sum(terms.values()).backward()
    assert out.grad.abs().sum() > 0


def test_vgg_is_frozen_unsaved_and_moves_with_the_module():
    loss = VGGPerceptualStyleLoss()
    vgg = loss.vgg
    assert sum(p.numel() for p in vgg.parameters()) == 1_735_488
    assert not any(p.requires_grad for p in vgg.parameters())
    assert len(loss.state_dict()) == 0 and len(list(loss.parameters())) == 0
    loss.train()
    assert loss.training and not vgg.training
    loss.to(torch.float64)
    assert vgg.enc_3[0].weight.dtype == torch.float64
    loss.to('meta')
    assert vgg.enc_1[0].weight.device.type == 'meta'


def test_vgg_weights_from_a_torchvision_layout_file(tmp_path):
    torch.manual_seed(0)
    ref = VGG16FeatureExtractor()
    convs = {
        0: ref.enc_1[0],
        2: ref.enc_1[2],
        5: ref.enc_2[0],
        7: ref.enc_2[2],
        10: ref.enc_3[0],
        12: ref.enc_3[2],
        14: ref.enc_3[4]
    }
    state = {
        'classifier.0.weight': torch.zeros(2, 2),
        'features.17.weight': torch.zeros(1)
    }
    for i, conv in convs.items():
        state[f'features.{i}.weight'] = conv.weight.detach().clone()
        state[f'features.{i}.bias'] = conv.bias.detach().clone()
    path = tmp_path / 'vgg16.pth'
    torch.save(state, path)
    loss = VGGPerceptualStyleLoss(vgg_pretrained=str(path))
    assert not torch.equal(loss.vgg.enc_3[4].weight, ref.enc_3[4].weight)
    loss.load_vgg()  # lazily, never at build time
    x = torch.rand(1, 3, 16, 16)
    for a, b in zip(loss.vgg(x), ref(x)):
        assert torch.equal(a, b)
    del state['features.14.bias']
    torch.save(state, path)
    with pytest.raises(KeyError, match='enc_3.4.bias'):
        VGG16FeatureExtractor().load_weights(str(path))
    with pytest.raises(FileNotFoundError, match='nowhere.pth'):
        VGGPerceptualStyleLoss(vgg_pretrained='nowhere.pth')([x], x, x[:, :1],
                                                             x)
