# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Global multi-head self-attention of ViTAEv2 (stages 3-4)."""
from typing import Optional, Tuple

from torch import Tensor, nn


class ViTAETokenAttention(nn.Module):
    """Global multi-head self-attention, optionally changing the width.

    Used by the normal cells of the global stages (``in_dim == out_dim``,
    no shortcut: a plain ViT attention) and by the token-transformer of the
    reduction cells (T2T-style: ``q, k, v`` projected to ``out_dim``, ``v``
    added to the output as the skip connection, the scale computed from the
    *input* width, ``head_dim = in_dim // num_heads``).

    Args:
        in_dim (int): Input channels ``C_in``.
        out_dim (int, optional): Output channels ``C_out``. Defaults to
            ``in_dim``.
        num_heads (int): Attention heads. Defaults to 1.
        qkv_bias (bool): Bias of the qkv projection. Defaults to False.
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
                 qkv_bias: bool = False,
                 qk_scale: Optional[float] = None,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.,
                 v_shortcut: bool = False) -> None:
        super().__init__()
        out_dim = out_dim or in_dim
        if out_dim % num_heads:
            raise ValueError(f'{out_dim} channels for {num_heads} heads')
        self.out_dim = out_dim
        self.num_heads = num_heads
        self.scale = qk_scale or (in_dim // num_heads)**-0.5
        self.v_shortcut = v_shortcut
        self.qkv = nn.Linear(in_dim, out_dim * 3, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(out_dim, out_dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self,
                x: Tensor,
                hw: Optional[Tuple[int, int]] = None) -> Tensor:
        """Attention over all tokens.

        Args:
            x (Tensor): ``(B, N, C_in)`` tokens (already normalised).
            hw (tuple(int, int), optional): Unused; the same call signature
                as :class:`ViTAEWindowAttention`.

        Returns:
            Tensor: ``(B, N, C_out)``.
        """
        b, n, _ = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.num_heads,
                                  self.out_dim // self.num_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)  # each (B, heads, N, d)
        attn = (q * self.scale) @ k.transpose(-2, -1)
        attn = self.attn_drop(attn.softmax(dim=-1))
        out = (attn @ v).transpose(1, 2).reshape(b, n, self.out_dim)
        out = self.proj_drop(self.proj(out))
        if self.v_shortcut:
            out = out + v.transpose(1, 2).reshape(b, n, self.out_dim)
        return out
