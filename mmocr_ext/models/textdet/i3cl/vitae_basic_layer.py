# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""One ViTAEv2 stage: a reduction cell and a stack of normal cells."""
from typing import Optional, Sequence

from torch import Tensor, nn

from .vitae_normal_cell import ViTAENormalCell
from .vitae_reduction_cell import ViTAEReductionCell


class ViTAEBasicLayer(nn.Module):
    """``RC`` (downsampling) followed by ``NC.0 ... NC.{depth-1}``.

    Args:
        in_channels (int): Input channels.
        embed_dim (int): PRM/PCM width of the reduction cell.
        token_dim (int): Output channels ``C``.
        downsample_ratio (int): Stride of the stage.
        kernel_size (int): PRM kernel.
        dilations (Sequence[int]): PRM dilations.
        rc_heads (int): Heads of the reduction cell.
        nc_heads (int): Heads of the normal cells.
        rc_group (int): PCM groups of the reduction cell.
        nc_group (int): PCM groups of the normal cells.
        drop_paths (Sequence[float]): One rate per normal cell (its length
            is the depth).
        window_size (int, optional): Window attention; None for global
            attention.
        mlp_ratio (float): Normal-cell MLP ratio. Defaults to 4.
        rc_mlp_ratio (float): Reduction-cell MLP ratio. Defaults to 1.
        qkv_bias (bool): Normal-cell qkv bias. Defaults to True.
        rc_qkv_bias (bool): Reduction-cell qkv bias. Defaults to True.
        qk_scale (float, optional): Overrides the attention scales.
        drop (float): Dropout. Defaults to 0.
        attn_drop (float): Attention dropout. Defaults to 0.
        nc_norm_eps (float): Normal-cell LayerNorm epsilon. Defaults to
            1e-6.
        rc_norm_eps (float): Reduction-cell LayerNorm epsilon. Defaults to
            1e-5.
    """

    def __init__(self,
                 in_channels: int,
                 embed_dim: int,
                 token_dim: int,
                 downsample_ratio: int,
                 kernel_size: int,
                 dilations: Sequence[int],
                 rc_heads: int,
                 nc_heads: int,
                 rc_group: int,
                 nc_group: int,
                 drop_paths: Sequence[float],
                 window_size: Optional[int] = None,
                 mlp_ratio: float = 4.,
                 rc_mlp_ratio: float = 1.,
                 qkv_bias: bool = True,
                 rc_qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop: float = 0.,
                 attn_drop: float = 0.,
                 nc_norm_eps: float = 1e-6,
                 rc_norm_eps: float = 1e-5) -> None:
        super().__init__()
        self.RC = ViTAEReductionCell(
            in_channels,
            embed_dim,
            token_dim,
            downsample_ratio,
            kernel_size,
            rc_heads,
            dilations,
            group=rc_group,
            window_size=window_size,
            mlp_ratio=rc_mlp_ratio,
            qkv_bias=rc_qkv_bias,
            qk_scale=qk_scale,
            drop=drop,
            attn_drop=attn_drop,
            norm_eps=rc_norm_eps)
        self.NC = nn.ModuleList([
            ViTAENormalCell(
                token_dim,
                nc_heads,
                mlp_ratio=mlp_ratio,
                qkv_bias=qkv_bias,
                qk_scale=qk_scale,
                drop=drop,
                attn_drop=attn_drop,
                drop_path=rate,
                group=nc_group,
                window_size=window_size,
                norm_eps=nc_norm_eps) for rate in drop_paths
        ])

    def forward(self, x: Tensor) -> Tensor:
        """Run the stage.

        Args:
            x (Tensor): ``(B, C_in, H, W)``.

        Returns:
            Tensor: ``(B, C, h, w)`` with ``h = ceil(H / downsample_ratio)``.
        """
        tokens, (h, w) = self.RC(x)
        for cell in self.NC:
            tokens = cell(tokens, (h, w))
        return tokens.transpose(1, 2).reshape(x.shape[0], -1, h, w)
