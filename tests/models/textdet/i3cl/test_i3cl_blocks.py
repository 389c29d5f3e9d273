# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""I3CL's intra-instance block and global context module (spec A2.1-A2.2)."""
import pytest
import torch
from mmdet.registry import MODELS

from mmocr_ext.models.textdet.i3cl import (I3CLGlobalContext, I3CLIntraBlock,
                                           intra_blocks)


def _params(module):
    return sum(p.numel() for p in module.parameters())


def test_parameter_counts_match_the_spec():
    # 1x1 256->64 (16,448) + 7-stage 258,240 + 5-stage 143,552 + 3-stage
    # 61,632 + 1x1 64->256 (16,640) + BN 512 = 497,024 per block.
    assert _params(I3CLIntraBlock()) == 497024
    assert _params(intra_blocks()) == 5 * 497024 == 2485120
    assert _params(I3CLGlobalContext()) == 4 * 256 * 256 == 262144


def test_registered_in_mmdet_and_official_names():
    # In the mmdet scope, as mmocr's MMDetWrapper builds its detector.
    block = MODELS.build(dict(type='mmdet.I3CLIntraBlock'))
    names = {n.split('.')[0] for n, _ in block.named_parameters()}
    assert names == {
        'conv1x1_reduce_channel', 'conv1x1_return_channel', 'bn',
        'c_layer_7x7', 'v_layer_7x1', 'q_layer_1x7', 'c_layer_5x5',
        'v_layer_5x1', 'q_layer_1x5', 'c_layer_3x3', 'v_layer_3x1',
        'q_layer_1x3'
    }
    gcm = MODELS.build(dict(type='mmdet.I3CLGlobalContext'))
    assert [n for n, _ in gcm.named_parameters()
            ] == [f'conv1x1_list.{i}.weight' for i in range(4)]


def test_intra_block_is_the_cascade_plus_residual():
    torch.manual_seed(0)
    block = I3CLIntraBlock(channels=8, reduced=4).eval()
    x = torch.randn(2, 8, 9, 11)
    y = block(x)
    assert y.shape == x.shape
    # By hand: cascade without activations, then BN (eval) + ReLU, + x.
    s = block.conv1x1_reduce_channel(x)
    for k in (7, 5, 3):
        s = sum(
            torch.nn.functional.conv2d(
                s, conv.weight, conv.bias, padding=conv.padding)
            for conv in (getattr(block, f'c_layer_{k}x{k}'),
                         getattr(block, f'v_layer_{k}x1'),
                         getattr(block, f'q_layer_1x{k}')))
    ref = x + torch.relu(block.bn(block.conv1x1_return_channel(s)))
    torch.testing.assert_close(y, ref)
    # A zero update (return conv zeroed, BN bias 0) leaves the input.
    torch.nn.init.zeros_(block.conv1x1_return_channel.weight)
    torch.nn.init.zeros_(block.conv1x1_return_channel.bias)
    torch.nn.init.zeros_(block.bn.bias)
    torch.testing.assert_close(block(x), x)


def test_global_context_averages_over_the_zero_border():
    gcm = I3CLGlobalContext(channels=2, num_levels=2)
    with torch.no_grad():
        for conv in gcm.conv1x1_list:
            conv.weight.copy_(torch.eye(2).view(2, 2, 1, 1))
    # A constant map of ones, 4x6: the padded 1x1 conv gives 6x8 with a zero
    # border, so the mean is 24/48 = 0.5, not 1. Level 2 is 2x2 of twos:
    # 8/16 = 0.5. Summed: 1.0 in both channels.
    feats = [torch.ones(3, 2, 4, 6), torch.full((3, 2, 2, 2), 2.)]
    out = gcm(feats)
    assert out.shape == (3, 2, 1, 1)
    torch.testing.assert_close(out, torch.ones(3, 2, 1, 1))
    with pytest.raises(ValueError, match='expected 2 levels'):
        gcm(feats[:1])


def test_even_kernel_is_refused():
    with pytest.raises(ValueError, match='odd'):
        I3CLIntraBlock(kernel_sizes=(7, 4, 3))
