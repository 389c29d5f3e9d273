# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Normal cell (NC) of ViTAEv2: a transformer block with a conv branch."""
from typing import Optional, Tuple

from timm.layers import DropPath, Mlp
from torch import Tensor, nn

from .vitae_token_attention import ViTAETokenAttention
from .vitae_window_attention import ViTAEWindowAttention


class ViTAENormalCell(nn.Module):
    """Pre-LN transformer block plus a parallel convolution branch (PCM).

    Spec A2.4 (ViTAE/ViTAEv2 "NC")::

        y = x + drop_path(attn(norm1(x))) + drop_path(PCM(x))
        y = y + drop_path(mlp(norm2(y)))

    ``attn`` is non-shifted window attention (window stages) or global
    attention; ``PCM`` is ``conv(C->4C)-BN-SiLU-conv(4C->C)-BN-SiLU-conv-
    SiLU`` with 3x3 group convolutions (keys ``PCM.{0,1,3,4,6}``), applied
    to the cell's input map.

    Args:
        dim (int): Channels ``C``.
        num_heads (int): Attention heads.
        mlp_ratio (float): MLP and PCM hidden ratio. Defaults to 4.
        qkv_bias (bool): qkv bias. Defaults to True.
        qk_scale (float, optional): Overrides the attention scale.
        drop (float): Dropout. Defaults to 0.
        attn_drop (float): Attention dropout. Defaults to 0.
        drop_path (float): Stochastic depth. Defaults to 0.
        group (int): Groups of the PCM convolutions. Defaults to 1.
        window_size (int, optional): Window attention; None for global
            attention. Defaults to None.
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-6.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop: float = 0.,
                 attn_drop: float = 0.,
                 drop_path: float = 0.,
                 group: int = 1,
                 window_size: Optional[int] = None,
                 norm_eps: float = 1e-6) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=norm_eps)
        attn_kwargs = dict(
            in_dim=dim,
            num_heads=num_heads,
            qkv_bias=qkv_bias,
            qk_scale=qk_scale,
            attn_drop=attn_drop,
            proj_drop=drop)
        if window_size is None:
            self.attn = ViTAETokenAttention(**attn_kwargs)
        else:
            self.attn = ViTAEWindowAttention(
                window_size=window_size, **attn_kwargs)
        hidden = int(dim * mlp_ratio)
        self.PCM = nn.Sequential(
            nn.Conv2d(dim, hidden, 3, 1, 1, groups=group),
            nn.BatchNorm2d(hidden), nn.SiLU(inplace=True),
            nn.Conv2d(hidden, dim, 3, 1, 1, groups=group), nn.BatchNorm2d(dim),
            nn.SiLU(inplace=True), nn.Conv2d(dim, dim, 3, 1, 1, groups=group),
            nn.SiLU(inplace=True))
        self.drop_path = DropPath(drop_path) if drop_path > 0 else \
            nn.Identity()
        self.norm2 = nn.LayerNorm(dim, eps=norm_eps)
        self.mlp = Mlp(
            in_features=dim,
            hidden_features=hidden,
            act_layer=nn.GELU,
            drop=drop)

    def forward(self, x: Tensor, hw: Tuple[int, int]) -> Tensor:
        """Transform tokens.

        Args:
            x (Tensor): ``(B, H*W, C)``.
            hw (tuple(int, int)): ``(H, W)``.

        Returns:
            Tensor: ``(B, H*W, C)``.
        """
        b, n, c = x.shape
        conv = self.PCM(x.transpose(1, 2).reshape(b, c, *hw))
        x = x + self.drop_path(self.attn(self.norm1(x), hw)) + \
            self.drop_path(conv.flatten(2).transpose(1, 2))
        return x + self.drop_path(self.mlp(self.norm2(x)))
