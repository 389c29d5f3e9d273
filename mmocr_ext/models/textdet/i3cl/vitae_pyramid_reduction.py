# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Pyramid reduction module (PRM) of the ViTAEv2 reduction cell."""
import math
from typing import Sequence, Tuple

import torch
from torch import Tensor, nn


class ViTAEPyramidReduction(nn.Module):
    """Parallel dilated strided convolutions, concatenated into tokens.

    One ``k x k`` convolution (stride = downsampling ratio) + GELU per
    dilation ``d``, padded with ``ceil(((k - 1) * d + 1 - stride) / 2)`` so
    that all branches give the same map size; the branch outputs are
    concatenated along channels in dilation order (``RC_op='cat'``) and
    flattened to tokens (ViTAE, "PRM").

    Args:
        in_channels (int): Input channels ``C_in``.
        embed_dim (int): Channels per branch ``E``.
        kernel_size (int): Convolution kernel ``k``.
        stride (int): Downsampling ratio.
        dilations (Sequence[int]): One branch per dilation.
    """

    def __init__(self, in_channels: int, embed_dim: int, kernel_size: int,
                 stride: int, dilations: Sequence[int]) -> None:
        super().__init__()
        self.out_channels = embed_dim * len(dilations)
        self.convs = nn.ModuleList()
        for d in dilations:
            padding = math.ceil(((kernel_size - 1) * d + 1 - stride) / 2)
            self.convs.append(
                nn.Sequential(
                    nn.Conv2d(
                        in_channels,
                        embed_dim,
                        kernel_size,
                        stride=stride,
                        padding=padding,
                        dilation=d), nn.GELU()))

    def forward(self, x: Tensor) -> Tuple[Tensor, Tuple[int, int]]:
        """Reduce and tokenise.

        Args:
            x (Tensor): ``(B, C_in, H, W)``.

        Returns:
            tuple: ``(B, h*w, E * len(dilations))`` tokens and ``(h, w)``.
        """
        y = torch.cat([conv(x) for conv in self.convs], dim=1)
        h, w = y.shape[-2:]
        return y.flatten(2).transpose(1, 2), (h, w)
