# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's SwinV2 block: timm's block with the official padding/shift order.

The block of UPOCR (spec §1.2) is timm's
:class:`timm.models.swin_transformer_v2.SwinTransformerV2Block` (cosine
window attention with ``logit_scale`` clamped at ``ln(100)`` as a Python
float, continuous position bias ``cpb_mlp`` with the pretrained-window
scaling, ``q_bias``/``v_bias`` with a zero k bias, res-post-norm, GELU MLP)
with three differences, all made in :class:`UPOCRSwinV2Block`:

1. **Window and shift are never clamped.** timm shrinks the window to the
   feature size and drops the shift when the resolution is <= the window;
   the official block always partitions and odd blocks always roll and
   mask (encoder stage 4 at 16x16 with window 16). Built with
   ``always_partition=True`` (timm's own option) and the shift fixed at
   ``window // 2`` for odd blocks.
2. **Padding comes before the cyclic shift** (:meth:`_attn` is overridden).
   timm rolls, then pads, then crops, then rolls back; the official block
   zero-pads right/bottom to a window multiple, rolls the *padded* map,
   builds the shifted-window mask on the padded size (regions
   ``[0, Hp-w), [Hp-w, Hp-s), [Hp-s, Hp)``), rolls back and only then
   crops. Both agree when H and W are window multiples (every map of a
   512x512 input) and differ otherwise. The padding is not masked. The mask
   is recomputed every forward (timm's ``dynamic_mask=True`` path,
   :meth:`get_attn_mask` on the padded map), so any input size works.
3. **The position tables are persistent buffers.** timm registers
   ``attn.relative_coords_table`` and ``attn.relative_position_index`` as
   non-persistent; the official checkpoints contain them (spec §7.3), so
   they are re-registered persistent and appear in ``state_dict``.

Everything else (the attention itself, the MLP ``mlp.fc1``/``mlp.fc2``,
``norm1``/``norm2``, DropPath) is timm's code, unchanged.
"""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from timm.layers import trunc_normal_
from timm.models.swin_transformer_v2 import (SwinTransformerV2Block,
                                             window_partition, window_reverse)
from torch import Tensor

#: Buffers of ``attn`` saved in the official checkpoints.
PERSISTENT_ATTN_BUFFERS = ('relative_coords_table', 'relative_position_index')


class UPOCRSwinV2Block(SwinTransformerV2Block):
    """One SwinV2 block of UPOCR's encoder or decoder (spec §1.2).

    Input and output are channel-last maps ``(B, H, W, C)`` of any size.

    Args:
        dim (int): Channels C.
        num_heads (int): Attention heads.
        window_size (int): Window side w.
        shift (bool): Odd block: roll by ``-(w // 2)`` and mask. Defaults to
            False.
        pretrained_window_size (int): The CPB table is scaled by
            ``pretrained_window_size - 1`` when > 0, else by ``w - 1``.
            Defaults to 0.
        mlp_ratio (float): MLP hidden / C. Defaults to 4.
        drop_path (float): Stochastic depth rate. Defaults to 0.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 window_size: int,
                 shift: bool = False,
                 pretrained_window_size: int = 0,
                 mlp_ratio: float = 4.,
                 drop_path: float = 0.) -> None:
        super().__init__(
            dim=dim,
            input_resolution=window_size,  # unused with always_partition
            num_heads=num_heads,
            window_size=window_size,
            shift_size=window_size // 2 if shift else 0,
            always_partition=True,
            dynamic_mask=True,
            mlp_ratio=mlp_ratio,
            qkv_bias=True,
            drop_path=drop_path,
            pretrained_window_size=pretrained_window_size)
        for name in PERSISTENT_ATTN_BUFFERS:
            self.attn.register_buffer(
                name, getattr(self.attn, name), persistent=True)

    def _attn(self, x: Tensor) -> Tensor:
        """Pad, shift, window attention, unshift, crop (spec §1.2 order).

        Args:
            x (Tensor): (B, H, W, C).

        Returns:
            Tensor: (B, H, W, C).
        """
        _, H, W, C = x.shape
        win_h, win_w = self.window_size
        pad_h = (win_h - H % win_h) % win_h
        pad_w = (win_w - W % win_w) % win_w
        x = F.pad(x, (0, 0, 0, pad_w, 0, pad_h))
        Hp, Wp = H + pad_h, W + pad_w
        shift: Tuple[int, int] = self.shift_size
        has_shift = any(shift)
        if has_shift:
            x = torch.roll(x, shifts=(-shift[0], -shift[1]), dims=(1, 2))
            mask = self.get_attn_mask(x)  # built on the padded size
        else:
            mask = None
        windows = window_partition(x, self.window_size)
        windows = windows.view(-1, self.window_area, C)
        windows = self.attn(windows, mask=mask)
        windows = windows.view(-1, win_h, win_w, C)
        x = window_reverse(windows, self.window_size, (Hp, Wp))
        if has_shift:
            x = torch.roll(x, shifts=shift, dims=(1, 2))
        return x[:, :H, :W, :].contiguous()


def init_swinv2_weights(module: nn.Module) -> None:
    """The official SwinV2 init (spec §1.5), in place.

    Every ``nn.Linear`` (attention, CPB MLP, MLP, merging/splitting):
    trunc-normal weight (std 0.02), zero bias; every ``nn.LayerNorm``:
    weight 1, bias 0; then ``norm1`` and ``norm2`` of every
    :class:`UPOCRSwinV2Block` are zeroed (res-post-norm: each block starts
    as the identity). Convolutions keep PyTorch's default init.

    Args:
        module (nn.Module): An encoder backbone or a decoder.
    """
    for m in module.modules():
        if isinstance(m, nn.Linear):
            trunc_normal_(m.weight, std=.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
    for m in module.modules():
        if isinstance(m, UPOCRSwinV2Block):
            for norm in (m.norm1, m.norm2):
                nn.init.zeros_(norm.weight)
                nn.init.zeros_(norm.bias)
