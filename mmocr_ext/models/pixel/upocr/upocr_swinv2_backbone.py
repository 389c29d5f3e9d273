# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The SwinV2 trunk of UPOCR's encoder (``encoder.backbone``)."""
from typing import List, Sequence

import torch
import torch.nn as nn
from timm.layers import PatchEmbed
from torch import Tensor

from .upocr_swinv2_block import init_swinv2_weights
from .upocr_swinv2_layer import UPOCRSwinV2Layer


class UPOCRSwinV2Backbone(nn.Module):
    """Hierarchical SwinV2 returning four taps (spec §1.1, §1.3).

    ``patch_embed`` (timm's :class:`~timm.layers.PatchEmbed`: Conv2d k=4
    s=4 then LayerNorm, right/bottom zero padding to a multiple of 4) ->
    ``layers.{0..3}`` (:class:`UPOCRSwinV2Layer`, PatchMerging at the end of
    stages 0-2) -> taps ``norm{i}`` = LayerNorm of stage i's pre-merge
    tokens. Stage i has ``embed_dim * 2**i`` channels at 1 / 2**(i + 2) of
    the input. There is no classification head and no final norm.

    Args:
        embed_dim (int): Stage-1 channels. Defaults to 96.
        depths (Sequence[int]): Blocks per stage. Defaults to (2, 2, 18, 2).
        num_heads (Sequence[int]): Heads per stage. Defaults to
            (3, 6, 12, 24).
        window_size (int): Window side. Defaults to 16.
        pretrained_window_size (int): CPB scaling window. Defaults to 16.
        drop_path_rate (float): Stochastic depth, rising linearly from 0
            over all blocks. Defaults to 0.3.
        patch_size (int): Patch side. Defaults to 4.
        in_channels (int): Input channels. Defaults to 3.
        with_cp (bool): Gradient checkpointing. Defaults to False.
    """

    def __init__(self,
                 embed_dim: int = 96,
                 depths: Sequence[int] = (2, 2, 18, 2),
                 num_heads: Sequence[int] = (3, 6, 12, 24),
                 window_size: int = 16,
                 pretrained_window_size: int = 16,
                 drop_path_rate: float = 0.3,
                 patch_size: int = 4,
                 in_channels: int = 3,
                 with_cp: bool = False) -> None:
        super().__init__()
        if len(depths) != len(num_heads):
            raise ValueError(f'{len(depths)} depths but {len(num_heads)} '
                             'head counts')
        self.num_stages = len(depths)
        self.embed_dims = [embed_dim * 2**i for i in range(self.num_stages)]
        self.patch_embed = PatchEmbed(
            img_size=None,
            patch_size=patch_size,
            in_chans=in_channels,
            embed_dim=embed_dim,
            norm_layer=nn.LayerNorm,
            output_fmt='NHWC',
            strict_img_size=False,
            dynamic_img_pad=True)
        rates = torch.linspace(
            0, drop_path_rate, sum(depths), device='cpu').tolist()
        self.layers = nn.ModuleList()
        for i, depth in enumerate(depths):
            start = sum(depths[:i])
            self.layers.append(
                UPOCRSwinV2Layer(
                    dim=self.embed_dims[i],
                    depth=depth,
                    num_heads=num_heads[i],
                    window_size=window_size,
                    pretrained_window_size=pretrained_window_size,
                    drop_path=rates[start:start + depth],
                    resample='down' if i < self.num_stages - 1 else None,
                    with_cp=with_cp))
        for i, dim in enumerate(self.embed_dims):
            self.add_module(f'norm{i}', nn.LayerNorm(dim))
        init_swinv2_weights(self)

    def forward(self, x: Tensor) -> List[Tensor]:
        """Encode.

        Args:
            x (Tensor): (B, 3, H, W).

        Returns:
            list[Tensor]: Taps i = 0..3, (B, embed_dim * 2**i,
            H / 2**(i + 2), W / 2**(i + 2)) (sizes rounded up).
        """
        x = self.patch_embed(x)  # (B, H/4, W/4, C)
        outs = []
        for i, layer in enumerate(self.layers):
            tap, x = layer(x)
            tap = getattr(self, f'norm{i}')(tap)
            outs.append(tap.permute(0, 3, 1, 2).contiguous())
        return outs
