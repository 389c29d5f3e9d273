# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Unit tests of TCMPromptGenerator, TCMContextDecoder and TCMModuleLoss."""
import pytest
import torch
import torch.nn.functional as F
from mmocr.models.textdet.module_losses import DBModuleLoss
from mmocr.registry import MODELS

from mmocr_ext.models.textdet.tcm.tcm_context_decoder import _Attention
from tcm_tiny import text_samples


def test_prompt_generator_shapes_keys_and_init():
    torch.manual_seed(0)
    gen = MODELS.build(
        dict(type='TCMPromptGenerator', visual_dim=1024, text_dim=512))
    assert gen(torch.randn(3, 1024)).shape == (3, 512)
    # Key layout of the official checkpoints (docs/tcm.md): 0, 1, 3, 4.
    assert sorted({k.split('.')[1]
                   for k in gen.state_dict()}) == ['0', '1', '3', '4']
    lin = gen.prompt_proj[1]
    # trunc_normal_(std=0.02) with absolute bounds +-2 (as timm's), i.e.
    # practically a plain N(0, 0.02).
    assert abs(lin.weight.std().item() - 0.02) < 0.002
    assert torch.count_nonzero(lin.bias) == 0
    assert torch.equal(gen.prompt_proj[0].weight, torch.ones(1024))


def test_context_decoder_shapes_and_memory_dependence():
    torch.manual_seed(0)
    dec = MODELS.build(
        dict(
            type='TCMContextDecoder',
            transformer_width=32,
            transformer_heads=4,
            transformer_layers=3,
            visual_dim=64)).eval()
    query, memory = torch.randn(2, 25, 64), torch.randn(2, 7, 64)
    out = dec(query, memory)
    assert out.shape == (2, 25, 64)
    # Deterministic in eval mode (dropout off), and memory matters.
    assert torch.equal(out, dec(query, memory))
    assert not torch.allclose(out, dec(query, torch.randn(2, 7, 64)))
    # Batch items are independent.
    torch.testing.assert_close(out[1:], dec(query[1:], memory[1:]))
    assert len(dec.decoder) == 3
    assert dec.decoder[0].mlp[0].out_features == 4 * 32


def test_attention_over_one_memory_token_is_query_independent():
    """With K=1 the cross-attention is a constant per image (one key)."""
    torch.manual_seed(0)
    attn = _Attention(16, 4, proj_drop=0.0)
    q = torch.randn(2, 9, 16)
    kv = torch.randn(2, 1, 16)
    out = attn(q, kv, kv)
    torch.testing.assert_close(out, out[:, :1].expand_as(out))
    # Separate q/k/v without bias, output projection with bias.
    assert attn.q_proj.bias is None and attn.proj.bias is not None


def test_context_decoder_parameter_count():
    """Width 256, 4 heads, 3 layers, visual_dim 1024 (docs/tcm.md)."""
    dec = MODELS.build(dict(type='TCMContextDecoder'))
    d, v = 256, 1024
    memory_proj = 2 * v + (v * d + d) + 2 * d
    text_proj = 2 * v + (v * d + d)
    attn = 4 * d * d + d  # q, k, v without bias, proj with bias
    mlp = (d * 4 * d + 4 * d) + (4 * d * d + d)
    layer = 2 * attn + 3 * 2 * d + mlp  # self + cross, 3 LayerNorms, MLP
    out_proj = 2 * d + (d * v + v)
    expected = memory_proj + text_proj + 3 * layer + out_proj
    assert expected == 3_948_800
    assert sum(p.numel() for p in dec.parameters()) == expected


def _preds(samples, size=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    prob = torch.randn(len(samples), size, size, generator=g)
    thr = torch.rand(len(samples), size, size, generator=g)
    binary = torch.rand(len(samples), size, size, generator=g)
    return prob, thr, binary


def test_module_loss_equals_db_loss_plus_pixel_term():
    samples = text_samples()
    tcm_loss = MODELS.build(dict(type='TCMModuleLoss'))
    db_loss = DBModuleLoss()
    preds = _preds(samples)
    score = torch.rand(2, 1, 2, 2) * 2 - 1
    # The DB terms equal mmocr's DBModuleLoss on the same inputs.
    ref = db_loss(preds, text_samples())
    out3 = tcm_loss(preds, text_samples())
    assert set(out3) == {'loss_prob', 'loss_thr', 'loss_db'}
    out4 = tcm_loss((*preds, score), text_samples())
    assert set(out4) == {'loss_prob', 'loss_thr', 'loss_db', 'loss_pix_cls'}
    for key in ref:
        torch.testing.assert_close(out3[key], ref[key])
        torch.testing.assert_close(out4[key], ref[key])
    # The pixel term: balanced BCE of up32(S / 0.07) vs the shrunk mask.
    gt_shrink, gt_mask, _, _ = db_loss.get_targets(text_samples())
    logits = F.interpolate(
        score / 0.07, size=(64, 64), mode='bilinear', align_corners=False)
    bce = MODELS.build(dict(type='MaskedBalancedBCEWithLogitsLoss'))
    torch.testing.assert_close(out4['loss_pix_cls'],
                               bce(logits[:, 0], gt_shrink, gt_mask))
    assert gt_shrink.sum() > 0  # the samples do have text pixels


def test_pixel_loss_prefers_score_maps_aligned_with_text():
    samples = text_samples()
    loss = MODELS.build(dict(type='TCMModuleLoss', weight_pix=2.0))
    gt_shrink, _, _, _ = loss.get_targets(text_samples())
    target = F.adaptive_avg_pool2d(gt_shrink[:, None], 8)  # (2, 1, 8, 8)
    aligned = target * 2 - 1  # +1 on text, -1 on background
    preds = _preds(samples)
    good = loss((*preds, aligned), text_samples())['loss_pix_cls']
    bad = loss((*preds, -aligned), text_samples())['loss_pix_cls']
    assert good < 0.5 * bad
    # weight_pix scales the term.
    one = MODELS.build(dict(type='TCMModuleLoss'))((*preds, aligned),
                                                   text_samples())
    torch.testing.assert_close(good, 2 * one['loss_pix_cls'])


def test_module_loss_multi_class_score_map():
    loss = MODELS.build(dict(type='TCMModuleLoss'))
    samples = text_samples()
    score = torch.rand(2, 1, 2, 2)
    single = loss((*_preds(samples), score), text_samples())['loss_pix_cls']
    double = loss((*_preds(samples), score.repeat(1, 2, 1, 1)),
                  text_samples())['loss_pix_cls']
    # Two identical classes: same balanced loss (sums and counts double).
    torch.testing.assert_close(single, double, rtol=1e-4, atol=1e-6)
    with pytest.raises(AssertionError):
        loss(_preds(samples)[:2], text_samples())
