# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""PatchSplit inverts PatchMerging's sub-pixel placement (spec §1.5)."""
import pytest
import torch
import torch.nn as nn
from timm.models.swin_transformer_v2 import PatchMerging

from mmocr_ext.models.pixel.upocr import UPOCRPatchSplit


def test_split_of_merge_puts_every_pixel_back():
    C = 3
    x = torch.randn(2, 4, 6, C)
    merge = PatchMerging(C, 4 * C)  # identity reduction, no norm
    merge.norm = nn.Identity()
    split = UPOCRPatchSplit(4 * C)  # upsample = [I; 0], no norm
    split.norm = nn.Identity()
    with torch.no_grad():
        merge.reduction.weight.copy_(torch.eye(4 * C))
        split.upsample.weight.zero_()
        split.upsample.weight[:C].copy_(torch.eye(C))
        merged = merge(x)
        out = split(merged)
    assert merged.shape == (2, 2, 3, 4 * C)
    assert out.shape == (2, 4, 6, 2 * C)
    assert torch.equal(out[..., :C], x)
    assert not out[..., C:].any()


def test_groups_go_to_the_official_sub_pixels():
    # one token, channel groups g0..g3 of one channel each
    split = UPOCRPatchSplit(4)
    split.norm = nn.Identity()
    with torch.no_grad():
        split.upsample.weight.copy_(torch.tensor([[1.], [0.]]))
        out = split(torch.tensor([[[[10., 11., 12., 13.]]]]))[0, ..., 0]
    # g0 (0, 0), g1 (1, 0), g2 (0, 1), g3 (1, 1)  (row, column)
    assert out.tolist() == [[10., 12.], [11., 13.]]


def test_shapes_keys_and_bad_channels():
    split = UPOCRPatchSplit(48)
    assert sorted(
        split.state_dict()) == ['norm.bias', 'norm.weight', 'upsample.weight']
    assert split.upsample.weight.shape == (24, 12)
    assert split(torch.randn(1, 5, 7, 48)).shape == (1, 10, 14, 24)
    with pytest.raises(ValueError, match='% 4'):
        UPOCRPatchSplit(6)
