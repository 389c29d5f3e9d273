# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Token-transformer block of the ViTAEv2 reduction cell."""
from typing import Optional, Tuple

from timm.layers import DropPath, Mlp
from torch import Tensor, nn

from .vitae_token_attention import ViTAETokenAttention
from .vitae_window_attention import ViTAEWindowAttention


class ViTAETokenTransformer(nn.Module):
    """Width-changing transformer block: ``norm1, attn, norm2, mlp``.

    The attention of the reduction cell (the official ``SwinTransformerBlock``
    with ``in_dim -> out_dim`` for window stages, ``Token_transformer`` for
    global stages): ``x = attn(norm1(x))`` (with the ``v`` shortcut), then
    ``x = x + drop_path(conv)`` with the reduction cell's convolution branch,
    then ``x = x + drop_path(mlp(norm2(x)))``.

    Args:
        in_dim (int): Input channels ``C_in`` (the PRM width).
        out_dim (int): Output channels ``C_out`` (the stage's token width).
        num_heads (int): Attention heads.
        window_size (int, optional): Window attention with this window;
            None for global attention. Defaults to None.
        mlp_ratio (float): MLP hidden width / ``C_out``. Defaults to 1.
        qkv_bias (bool): Bias of the qkv projection. Defaults to True.
        qk_scale (float, optional): Overrides the attention scale.
        drop (float): Dropout after projections. Defaults to 0.
        attn_drop (float): Attention dropout. Defaults to 0.
        drop_path (float): Stochastic depth rate. Defaults to 0.
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-5.
    """

    def __init__(self,
                 in_dim: int,
                 out_dim: int,
                 num_heads: int,
                 window_size: Optional[int] = None,
                 mlp_ratio: float = 1.,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop: float = 0.,
                 attn_drop: float = 0.,
                 drop_path: float = 0.,
                 norm_eps: float = 1e-5) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(in_dim, eps=norm_eps)
        attn_kwargs = dict(
            in_dim=in_dim,
            out_dim=out_dim,
            num_heads=num_heads,
            qkv_bias=qkv_bias,
            qk_scale=qk_scale,
            attn_drop=attn_drop,
            proj_drop=drop,
            v_shortcut=True)
        if window_size is None:
            self.attn = ViTAETokenAttention(**attn_kwargs)
        else:
            self.attn = ViTAEWindowAttention(
                window_size=window_size, **attn_kwargs)
        self.drop_path = DropPath(drop_path) if drop_path > 0 else \
            nn.Identity()
        self.norm2 = nn.LayerNorm(out_dim, eps=norm_eps)
        self.mlp = Mlp(
            in_features=out_dim,
            hidden_features=int(out_dim * mlp_ratio),
            act_layer=nn.GELU,
            drop=drop)

    def forward(self,
                x: Tensor,
                hw: Tuple[int, int],
                conv: Optional[Tensor] = None) -> Tensor:
        """Attention, optional convolution branch, MLP.

        Args:
            x (Tensor): ``(B, H*W, C_in)`` tokens.
            hw (tuple(int, int)): ``(H, W)``.
            conv (Tensor, optional): ``(B, H*W, C_out)`` added after the
                attention.

        Returns:
            Tensor: ``(B, H*W, C_out)``.
        """
        x = self.attn(self.norm1(x), hw)
        if conv is not None:
            x = x + self.drop_path(conv)
        return x + self.drop_path(self.mlp(self.norm2(x)))
