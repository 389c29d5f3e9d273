# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Reduction cell (RC) of ViTAEv2: the downsampling head of each stage."""
from typing import Optional, Sequence, Tuple

import torch.nn.functional as F
from torch import Tensor, nn

from .vitae_pyramid_reduction import ViTAEPyramidReduction
from .vitae_token_transformer import ViTAETokenTransformer


def pcm_strides(downsample_ratio: int) -> Tuple[int, int, int]:
    """Strides of the three PCM convolutions (product = the ratio).

    Args:
        downsample_ratio (int): 1, 2, 4 or 8.

    Returns:
        tuple(int, int, int): e.g. ``(2, 2, 1)`` for 4.
    """
    strides, residual = [], downsample_ratio // 2
    for _ in range(3):
        strides.append(2 if residual > 0 else 1)
        residual //= 2
    if residual or 2**sum(s == 2 for s in strides) != downsample_ratio:
        raise ValueError(f'unsupported downsample ratio {downsample_ratio}')
    return tuple(strides)


class ViTAEReductionCell(nn.Module):
    """Downsample by ``downsample_ratio`` with a local and a global path.

    Spec A2.4 (ViTAE/ViTAEv2 "RC")::

        tokens = PRM(x)                        # dilated convs, (B, hw, E*D)
        y = attn.attn(attn.norm1(tokens))      # window/global, -> token_dim
        y = y + PCM(x)                         # 3 group convs, same stride
        y = y + attn.mlp(attn.norm2(y))

    ``PCM`` is ``conv-BN-SiLU-conv-BN-SiLU-conv`` (keys ``PCM.{0,1,3,4,6}``).
    The input is zero-padded on the right/bottom to a multiple of
    ``downsample_ratio`` first, so that the PRM and PCM maps agree for any
    size; for sizes where the official code runs (e.g. multiples of 32) the
    padding changes no output value.

    Args:
        in_channels (int): Input channels.
        embed_dim (int): Channels per PRM branch and inside the PCM.
        token_dim (int): Output channels.
        downsample_ratio (int): Stride of the cell.
        kernel_size (int): PRM kernel.
        num_heads (int): Attention heads.
        dilations (Sequence[int]): PRM dilations.
        group (int): Groups of the PCM convolutions. Defaults to 1.
        window_size (int, optional): Window attention; None for global
            attention. Defaults to None.
        mlp_ratio (float): MLP ratio. Defaults to 1 (the official RC is
            built without passing the stage's ``mlp_ratio``).
        qkv_bias (bool): qkv bias. Defaults to True.
        qk_scale (float, optional): Overrides the attention scale.
        drop (float): Dropout. Defaults to 0.
        attn_drop (float): Attention dropout. Defaults to 0.
        drop_path (float): Stochastic depth. Defaults to 0 (as official).
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-5.
    """

    def __init__(self,
                 in_channels: int,
                 embed_dim: int,
                 token_dim: int,
                 downsample_ratio: int,
                 kernel_size: int,
                 num_heads: int,
                 dilations: Sequence[int],
                 group: int = 1,
                 window_size: Optional[int] = None,
                 mlp_ratio: float = 1.,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop: float = 0.,
                 attn_drop: float = 0.,
                 drop_path: float = 0.,
                 norm_eps: float = 1e-5) -> None:
        super().__init__()
        self.downsample_ratio = downsample_ratio
        s1, s2, s3 = pcm_strides(downsample_ratio)
        self.PCM = nn.Sequential(
            nn.Conv2d(in_channels, embed_dim, 3, s1, 1, groups=group),
            nn.BatchNorm2d(embed_dim), nn.SiLU(inplace=True),
            nn.Conv2d(embed_dim, embed_dim, 3, s2, 1, groups=group),
            nn.BatchNorm2d(embed_dim), nn.SiLU(inplace=True),
            nn.Conv2d(embed_dim, token_dim, 3, s3, 1, groups=group))
        self.PRM = ViTAEPyramidReduction(in_channels, embed_dim, kernel_size,
                                         downsample_ratio, dilations)
        self.attn = ViTAETokenTransformer(
            self.PRM.out_channels,
            token_dim,
            num_heads,
            window_size=window_size,
            mlp_ratio=mlp_ratio,
            qkv_bias=qkv_bias,
            qk_scale=qk_scale,
            drop=drop,
            attn_drop=attn_drop,
            drop_path=drop_path,
            norm_eps=norm_eps)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tuple[int, int]]:
        """Reduce a feature map to tokens.

        Args:
            x (Tensor): ``(B, C_in, H, W)``.

        Returns:
            tuple: ``(B, h*w, token_dim)`` tokens and ``(h, w)``,
            ``h = ceil(H / downsample_ratio)``.
        """
        r = self.downsample_ratio
        pad_h, pad_w = -x.shape[-2] % r, -x.shape[-1] % r
        if pad_h or pad_w:
            x = F.pad(x, (0, pad_w, 0, pad_h))
        tokens, hw = self.PRM(x)
        conv = self.PCM(x).flatten(2).transpose(1, 2)
        return self.attn(tokens, hw, conv), hw
