# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Non-shifted window attention of ViTAEv2 (``ViTAE_Window_NoShift``)."""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from timm.layers import trunc_normal_
from torch import Tensor, nn

from .vitae_token_attention import ViTAETokenAttention


def relative_position_index(window_size: int) -> Tensor:
    """Swin's index into a ``((2w-1)^2, heads)`` relative-position table.

    Args:
        window_size (int): Window side ``w``.

    Returns:
        Tensor: ``(w*w, w*w)`` int64 indices in ``[0, (2w-1)^2)``.
    """
    coords = torch.stack(
        torch.meshgrid(
            torch.arange(window_size),
            torch.arange(window_size),
            indexing='ij')).flatten(1)  # (2, w*w)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0)
    rel = rel + (window_size - 1)
    return rel[..., 0] * (2 * window_size - 1) + rel[..., 1]


class ViTAEWindowAttention(ViTAETokenAttention):
    """Multi-head self-attention inside non-overlapping windows, no shift.

    The token map is zero-padded to a multiple of the window size with the
    padding split evenly between the two sides (``top = pad // 2``, the rest
    at the bottom; likewise left/right), cut into ``w x w`` windows, attended
    per window and cropped back (spec section D: centred padding, and the
    padded zero tokens take part in the attention without a mask).

    The module owns Swin's ``relative_position_bias_table`` and
    ``relative_position_index`` so that official checkpoints load, but, as in
    the official forward, the bias is **not** added to the attention logits,
    so the table never receives a gradient (spec section D).

    With ``in_dim != out_dim`` (the reduction cell of stages 1-2) ``q, k, v``
    are projected to ``out_dim`` and, with ``v_shortcut``, ``v`` is added to
    the output as in the token-transformer of the reduction cell.

    Args:
        in_dim (int): Input channels ``C_in``.
        out_dim (int, optional): Output channels ``C_out``. Defaults to
            ``in_dim``.
        num_heads (int): Attention heads. Defaults to 1.
        window_size (int): Window side. Defaults to 7.
        qkv_bias (bool): Bias of the qkv projection. Defaults to True.
        qk_scale (float, optional): Overrides ``head_dim ** -0.5``.
        attn_drop (float): Dropout on the attention weights. Defaults to 0.
        proj_drop (float): Dropout after the projection. Defaults to 0.
        v_shortcut (bool): Add ``v`` (merged heads) to the output.
            Defaults to False.
    """

    def __init__(self,
                 in_dim: int,
                 out_dim: Optional[int] = None,
                 num_heads: int = 1,
                 window_size: int = 7,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.,
                 v_shortcut: bool = False) -> None:
        out_dim = out_dim or in_dim
        if out_dim % num_heads:
            raise ValueError(f'{out_dim} channels for {num_heads} heads')
        # The scale comes from the output width here (the token attention
        # of the global stages uses the input width).
        super().__init__(in_dim, out_dim, num_heads, qkv_bias, qk_scale
                         or (out_dim // num_heads)**-0.5, attn_drop, proj_drop,
                         v_shortcut)
        self.in_dim = in_dim
        self.window_size = window_size
        # Kept for checkpoint compatibility only: never added (see above).
        self.relative_position_bias_table = nn.Parameter(
            torch.zeros((2 * window_size - 1)**2, num_heads))
        self.register_buffer('relative_position_index',
                             relative_position_index(window_size))
        trunc_normal_(self.relative_position_bias_table, std=.02)

    def attend(self, windows: Tensor) -> Tensor:
        """Attention within each window.

        Args:
            windows (Tensor): ``(B*nW, w*w, C_in)``.

        Returns:
            Tensor: ``(B*nW, w*w, C_out)``.
        """
        return super().forward(windows)

    @staticmethod
    def centred_padding(size: int, window_size: int) -> Tuple[int, int]:
        """``(before, after)`` zero padding of one side to a window multiple.

        Args:
            size (int): Length of the side.
            window_size (int): Window side.

        Returns:
            tuple(int, int): Padding before and after, ``before = pad // 2``.
        """
        pad = (window_size - size % window_size) % window_size
        return pad // 2, pad - pad // 2

    def forward(self, x: Tensor, hw: Tuple[int, int]) -> Tensor:
        """Window attention over a token map.

        Args:
            x (Tensor): ``(B, H*W, C_in)`` tokens (already normalised).
            hw (tuple(int, int)): ``(H, W)``.

        Returns:
            Tensor: ``(B, H*W, C_out)``.
        """
        b, n, c = x.shape
        h, w = hw
        assert n == h * w, f'{n} tokens for a {h}x{w} map'
        ws = self.window_size
        top, bottom = self.centred_padding(h, ws)
        left, right = self.centred_padding(w, ws)
        x = F.pad(x.view(b, h, w, c), (0, 0, left, right, top, bottom))
        hp, wp = h + top + bottom, w + left + right
        windows = x.view(b, hp // ws, ws, wp // ws, ws,
                         c).permute(0, 1, 3, 2, 4, 5).reshape(-1, ws * ws, c)
        out = self.attend(windows)
        out = out.view(b, hp // ws, wp // ws, ws, ws, self.out_dim).permute(
            0, 1, 3, 2, 4, 5).reshape(b, hp, wp, self.out_dim)
        out = out[:, top:top + h, left:left + w]
        return out.reshape(b, n, self.out_dim)
