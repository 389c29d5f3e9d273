# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's encoder, decoder and task prompt on the spec §8 tiny sizes."""
import pytest
import torch

from mmocr_ext.models.pixel.upocr import (UPOCRSwinV2Decoder,
                                          UPOCRSwinV2Encoder, UPOCRTaskPrompt)

TINY_ENC = dict(
    embed_dim=16,
    depths=[1, 1, 1, 1],
    num_heads=[1, 2, 4, 8],
    window_size=4,
    pretrained_window_size=0,
    drop_path_rate=0.)
TINY_DEC = dict(
    embed_dim=128,
    depths=[1] * 5,
    num_heads=[8, 4, 2, 1, 1],
    window_size=4,
    pretrained_window_size=0)


def test_tiny_encoder_taps_and_decoder_outputs():
    torch.manual_seed(0)
    enc = UPOCRSwinV2Encoder(**TINY_ENC)
    dec = UPOCRSwinV2Decoder(**TINY_DEC)
    assert enc.num_channels == 128
    x = torch.rand(2, 3, 128, 128)
    with torch.no_grad():
        taps = enc(x)
        assert [tuple(t.shape)
                for t in taps] == [(2, 16, 32, 32), (2, 32, 16, 16),
                                   (2, 64, 8, 8), (2, 128, 4, 4)]
        outs = dec(taps[-1], taps)
    assert [tuple(o.shape) for o in outs] == [(2, 3, 32, 32), (2, 3, 64, 64),
                                              (2, 3, 128, 128)]
    assert [n for n, _ in dec.named_children()
            if n.startswith('norm')] == ['norm2', 'norm3', 'norm4']
    assert dec.norm4.normalized_shape == (4, )
    # stochastic depth rises linearly over the blocks of each network
    deep = UPOCRSwinV2Encoder(**dict(TINY_ENC, drop_path_rate=0.3))
    rates = [
        getattr(b.drop_path1, 'drop_prob', 0.)
        for layer in deep.backbone.layers for b in layer.blocks
    ]
    assert rates == pytest.approx([0., 0.1, 0.2, 0.3])


def test_frozen_encoder_and_bad_configs():
    enc = UPOCRSwinV2Encoder(**TINY_ENC, frozen=True)
    assert not any(p.requires_grad for p in enc.parameters())
    with pytest.raises(ValueError, match='head counts'):
        UPOCRSwinV2Decoder(**dict(TINY_DEC, num_heads=[8, 4]))


def test_task_prompt_rows_init_and_errors():
    torch.manual_seed(0)
    prompt = UPOCRTaskPrompt(['a', 'b', 'c'], embed_dim=768)
    std = prompt.task_embedding.weight.std().item()
    assert std == pytest.approx((2 / 768)**0.5, rel=0.1)  # kaiming, fan-in
    out = prompt(['c', 'a'], (2, 3))
    assert out.shape == (2, 768, 2, 3)
    weight = prompt.task_embedding.weight
    assert torch.equal(out[0, :, 1, 2], weight[2])
    assert torch.equal(out[1, :, 0, 0], weight[0])
    with pytest.raises(ValueError, match="'d'.*\\['a', 'b', 'c'\\]"):
        prompt(['d'], (1, 1))
    with pytest.raises(ValueError, match='unique'):
        UPOCRTaskPrompt(['a', 'a'])


def test_gradient_checkpointing_gives_the_same_gradients():
    x = torch.rand(1, 3, 64, 64)
    grads = []
    for with_cp in (False, True):
        torch.manual_seed(0)
        enc = UPOCRSwinV2Encoder(**TINY_ENC, with_cp=with_cp).train()
        with torch.no_grad():
            for name, p in enc.named_parameters():
                if '.norm1.' in name or '.norm2.' in name:
                    p.fill_(0.5)
        sum(t.square().mean() for t in enc(x)).backward()
        grads.append(enc.backbone.layers[0].blocks[0].attn.qkv.weight.grad)
    assert grads[0].abs().sum() > 0
    assert torch.allclose(grads[0], grads[1], atol=1e-6)
