# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STR building blocks: shapes, masking, zero gates, the LM wrapping."""

import pytest
import torch

from mmocr_ext.models.textrecog.e2str import (E2STRViT,
                                              GatedCrossAttentionBlock,
                                              PerceiverResampler)
from e2str_tiny import build_toy, images


def test_vit_returns_patch_tokens_and_freezes_final_norm():
    vit = E2STRViT(embed_dim=32, depth=1, num_heads=2).eval()
    out = vit(images(3))
    assert out.shape == (3, 256, 32)  # 8 x 32 patches of 4x4, CLS dropped
    assert vit.num_patches == 256
    assert not any(p.requires_grad for p in vit.norm.parameters())
    assert vit.patch_embed.proj.bias is not None  # MAE/official conv bias
    vit2 = E2STRViT(embed_dim=32, depth=1, num_heads=2, patch_size=(4, 8))
    assert vit2(images(1)).shape == (1, 128, 32)


def test_perceiver_shapes_and_per_image_independence():
    perceiver = PerceiverResampler(
        dim=32, depth=2, dim_head=8, heads=2, num_latents=5).eval()
    x = torch.randn(2, 3, 10, 32)
    out = perceiver(x)
    assert out.shape == (2, 3, 5, 32)
    y = x.clone()
    y[1, 2] = torch.randn(10, 32)  # another image of another sample
    out2 = perceiver(y)
    torch.testing.assert_close(out2[0], out[0], rtol=0, atol=0)
    torch.testing.assert_close(out2[1, :2], out[1, :2], rtol=0, atol=0)
    assert not torch.allclose(out2[1, 2], out[1, 2])


def test_gated_block_is_identity_at_init_and_masks_by_media_time():
    block = GatedCrossAttentionBlock(16, 8, dim_head=4, heads=2).eval()
    x = torch.randn(1, 5, 16)
    media = torch.randn(1, 2, 3, 8)
    time = torch.tensor([[0, 1, 1, 2, 2]])
    assert torch.equal(block(x, media, time), x)  # tanh(0) = 0
    block.attn_gate.data.fill_(1.)
    attn = block.attn(x, media, time)
    assert torch.equal(attn[0, 0], torch.zeros(16))  # before any image
    changed = media.clone()
    changed[0, 1] = torch.randn(3, 8)  # image 2: only tokens 3, 4 see it
    attn2 = block.attn(x, changed, time)
    torch.testing.assert_close(attn2[0, :3], attn[0, :3], rtol=0, atol=0)
    assert not torch.allclose(attn2[0, 3:], attn[0, 3:])


def test_zero_gates_give_plain_lm_logits():
    """With fresh (0) gates the wrapped LM equals the same OPT unwrapped."""
    from transformers import OPTConfig, OPTForCausalLM
    model = build_toy(gates=0.)
    lm = model.language_model
    plain = OPTForCausalLM(OPTConfig(**lm.lm.config.to_dict())).eval()
    state = {
        k.replace('.decoder_layer.', '.'): v
        for k, v in lm.lm.state_dict().items()
        if 'gated_cross_attn_layer' not in k
    }
    plain.load_state_dict(state, strict=True)
    enc = lm.tokenize(['<image>hello<|endofchunk|><image>ab', '<image>x'],
                      torch.device('cpu'))
    media = model.extract_feat(images(4)).view(2, 2, 8, 64)
    with torch.no_grad():
        ours, _ = lm(enc['input_ids'], enc['attention_mask'], media)
        ref = plain(
            input_ids=enc['input_ids'],
            attention_mask=enc['attention_mask']).logits
    assert torch.equal(ours, ref)


def test_labels_mask_pads_images_and_bos():
    lm = build_toy().language_model
    tok = lm.tokenizer
    enc = lm.tokenize(['<image>ab<|endofchunk|>', '<image>a<|endofchunk|>'],
                      torch.device('cpu'))
    labels = lm.labels(enc['input_ids'], enc['attention_mask'])
    a, b = tok.convert_tokens_to_ids(['a', 'b'])
    eoc = lm.chunk_token_id
    assert labels[0].tolist() == [-100, -100, a, b, eoc]
    assert labels[1].tolist() == [-100, -100, -100, a, eoc]  # pad, BOS, img


def test_non_identity_gates_make_the_image_matter():
    model = build_toy(gates=0.5)
    lm = model.language_model
    enc = lm.tokenize(['<image>ab'], torch.device('cpu'))
    with torch.no_grad():
        m1 = model.extract_feat(images(1, seed=1))[:, None]
        m2 = model.extract_feat(images(1, seed=2))[:, None]
        l1, _ = lm(enc['input_ids'], enc['attention_mask'], m1)
        l2, _ = lm(enc['input_ids'], enc['attention_mask'], m2)
    assert torch.equal(l1[0, 0], l2[0, 0])  # BOS: before the image
    assert not torch.allclose(l1[0, 1:], l2[0, 1:])


def test_language_model_sources(tmp_path):
    from mmocr.registry import MODELS
    lm_cfg = build_toy.__globals__['toy_model_cfg']()['language_model']
    with pytest.raises(ValueError, match='pretrained'):
        MODELS.build(dict(lm_cfg, config=None, pretrained=None))
    missing = str(tmp_path / 'nope')
    with pytest.raises(FileNotFoundError, match='nope'):  # no config.json
        MODELS.build(dict(lm_cfg, config=None, pretrained=missing))
    lm = MODELS.build(dict(lm_cfg, pretrained=missing))  # builds: config
    with pytest.raises(FileNotFoundError, match='nope'):
        lm.init_weights()  # weights are needed only here


@pytest.mark.parametrize('with_config', [True, False])
def test_pretrained_lm_weights_load_at_init_weights(tmp_path, with_config):
    """``pretrained`` (a saved HF folder, as OPT-125M) is loaded by
    ``init_weights`` into the wrapped layers; the blocks stay new."""
    from mmocr.registry import MODELS
    from transformers import OPTConfig, OPTForCausalLM
    lm_cfg = build_toy.__globals__['toy_model_cfg']()['language_model']
    ref_cfg = MODELS.build(lm_cfg).lm.config.to_dict()
    torch.manual_seed(3)
    hf = OPTForCausalLM(OPTConfig(**ref_cfg))
    hf.save_pretrained(str(tmp_path))
    cfg = dict(lm_cfg, pretrained=str(tmp_path))
    if not with_config:
        cfg['config'] = None
    lm = MODELS.build(cfg)
    lm.init_weights()
    ours = lm.lm.state_dict()
    for key, value in hf.state_dict().items():
        key = key.replace('decoder.layers.1.', 'decoder.layers.1.'
                          'decoder_layer.').replace(
                              'decoder.layers.0.',
                              'decoder.layers.0.decoder_layer.')
        assert torch.equal(ours[key], value), key
    gate = lm.xattn_layers[0].gated_cross_attn_layer.attn_gate
    assert gate.item() == 0.
