# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""I3CL's global context module (the official code's ``GCGBlock``)."""
from typing import Sequence

from mmdet.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class I3CLGlobalContext(nn.Module):
    """One global vector per image from FPN levels P2-P5.

    Per level a bias-free 1x1 convolution **with padding=1**, then global
    average pooling, summed over the levels (spec A2.2). The padding of a
    1x1 convolution adds a zero border, so the average runs over
    ``(h + 2) x (w + 2)`` positions and shrinks slightly: kept, as in the
    official code, so that its weights give identical outputs.

    Args:
        channels (int): FPN width. Defaults to 256.
        num_levels (int): Levels summed. Defaults to 4.
    """

    def __init__(self, channels: int = 256, num_levels: int = 4) -> None:
        super().__init__()
        self.conv1x1_list = nn.ModuleList(
            nn.Conv2d(channels, channels, 1, padding=1, bias=False)
            for _ in range(num_levels))
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, feats: Sequence[Tensor]) -> Tensor:
        """``num_levels`` maps (B, C, h_l, w_l) -> (B, C, 1, 1)."""
        if len(feats) != len(self.conv1x1_list):
            raise ValueError(f'expected {len(self.conv1x1_list)} levels, '
                             f'got {len(feats)}')
        return sum(
            self.pool(conv(f)) for conv, f in zip(self.conv1x1_list, feats))
