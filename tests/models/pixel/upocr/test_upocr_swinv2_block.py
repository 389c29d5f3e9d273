# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's SwinV2 block against timm's (spec §1.2)."""
import math

import pytest
import torch
import torch.nn.functional as F
from timm.models.swin_transformer_v2 import SwinTransformerV2Block

from mmocr_ext.models.pixel.upocr import UPOCRSwinV2Block, init_swinv2_weights


def _block(shift, window=4, dim=16, heads=2, seed=0):
    torch.manual_seed(seed)
    block = UPOCRSwinV2Block(dim, heads, window, shift=shift).eval()
    with torch.no_grad():  # non-zero res-post-norms, random q/v biases
        for name, p in block.named_parameters():
            if name.startswith(('norm', 'attn.q_bias', 'attn.v_bias')):
                p.normal_(0.3, 0.2)
    return block


def _timm_block(ours, always_partition, resolution):
    window = ours.window_size[0]
    timm_block = SwinTransformerV2Block(
        ours.dim,
        resolution,
        ours.num_heads,
        window_size=window,
        shift_size=ours.shift_size[0],
        always_partition=always_partition,
        dynamic_mask=True).eval()
    timm_block.load_state_dict(ours.state_dict(), strict=False)
    return timm_block


def test_odd_blocks_shift_even_when_the_map_is_one_window():
    block = _block(shift=True)
    assert block.window_size == (4, 4) and block.shift_size == (2, 2)
    x = torch.randn(2, 4, 4, 16)
    # timm (default) drops the shift at resolution <= window: the outputs
    # differ, so the shifted window and its mask are really applied
    timm_clamped = _timm_block(block, False, (4, 4))
    assert timm_clamped.shift_size == (0, 0)
    with torch.no_grad():
        ours, clamped = block(x), timm_clamped(x)
    assert not torch.allclose(ours, clamped, atol=1e-4)
    # ... and equal timm's block told to always partition
    with torch.no_grad():
        assert torch.allclose(
            ours, _timm_block(block, True, (4, 4))(x), atol=1e-5)
    # the mask splits the single window into 4 regions (-100 across them)
    mask = block.get_attn_mask(F.pad(x, (0, 0)))
    assert mask.shape == (1, 16, 16)
    assert set(mask.unique().tolist()) == {0., -100.}
    assert int((mask[0] == 0).sum()) == 4 * 4 * 4  # 4 regions of 4 tokens


@pytest.mark.parametrize('shift', [False, True])
def test_padding_comes_before_the_shift(shift):
    """Official order: pad to a window multiple, roll the padded map, mask
    on the padded size, roll back, crop = timm's block run on the padded
    map and cropped (attention sees the same zero tokens, the MLP is per
    token)."""
    block = _block(shift=shift)
    x = torch.randn(1, 6, 7, 16)  # 6 x 7 -> padded 8 x 8
    ref_block = _timm_block(block, True, (8, 8))
    with torch.no_grad():
        ours = block(x)
        ref = ref_block(F.pad(x, (0, 0, 0, 1, 0, 2)))[:, :6, :7]
        timm_order = ref_block(x)  # timm: roll, then pad
    assert ours.shape == x.shape
    assert torch.allclose(ours, ref, atol=1e-5)
    if shift:
        assert not torch.allclose(ours, timm_order, atol=1e-4)
    else:  # without a shift both orders agree
        assert torch.allclose(ours, timm_order, atol=1e-5)


def test_any_size_and_multiples_agree_with_timm():
    block = _block(shift=True)
    x = torch.randn(2, 8, 12, 16)  # window multiples: timm order == ours
    with torch.no_grad():
        assert torch.allclose(
            block(x), _timm_block(block, True, (8, 12))(x), atol=1e-5)
        for h, w in ((5, 9), (3, 3), (13, 4)):  # mask rebuilt per size
            assert block(torch.randn(1, h, w, 16)).shape == (1, h, w, 16)


def test_persistent_tables_and_official_attention_constants():
    block = UPOCRSwinV2Block(32, 4, 8, pretrained_window_size=16)
    keys = block.state_dict().keys()
    assert 'attn.relative_coords_table' in keys
    assert 'attn.relative_position_index' in keys
    assert 'attn.k_bias' not in keys and 'attn_mask' not in keys
    table = block.attn.relative_coords_table
    assert table.shape == (1, 15, 15, 2)
    # offset 7 scaled by the pretrained window (16 - 1), x8, signed log2/3
    expected = math.log2(7 / 15 * 8 + 1) / 3
    assert table[0, -1, -1, 0].item() == pytest.approx(expected, rel=1e-6)
    assert block.attn.logit_scale.shape == (4, 1, 1)
    assert torch.allclose(block.attn.logit_scale, torch.tensor(math.log(10)))
    assert [m.bias is None for m in block.attn.cpb_mlp[::2]] == [False, True]
    assert block.attn.qkv.bias is None


def test_official_init_zeroes_the_res_post_norms():
    block = UPOCRSwinV2Block(16, 2, 4)
    init_swinv2_weights(block)
    for norm in (block.norm1, block.norm2):
        assert not norm.weight.any() and not norm.bias.any()
    assert not block.mlp.fc1.bias.any()
    assert block.mlp.fc1.weight.std().item() == pytest.approx(0.02, rel=0.2)
    x = torch.randn(1, 4, 4, 16)
    assert torch.equal(block(x), x)  # identity at init
