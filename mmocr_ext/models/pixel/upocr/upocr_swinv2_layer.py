# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""One stage of UPOCR's SwinV2 encoder or decoder."""
from typing import Optional, Sequence, Tuple, Union

import torch.nn as nn
from timm.models.swin_transformer_v2 import PatchMerging
from torch import Tensor
from torch.utils.checkpoint import checkpoint

from .upocr_patch_split import UPOCRPatchSplit
from .upocr_swinv2_block import UPOCRSwinV2Block


class UPOCRSwinV2Layer(nn.Module):
    """``depth`` SwinV2 blocks (even: plain windows, odd: shifted), then an
    optional resampling (spec §1.3, §1.5).

    Sub-module names are the official ones: ``blocks.{j}`` and
    ``downsample.{reduction,norm}`` (encoder: timm's
    :class:`~timm.models.swin_transformer_v2.PatchMerging`, whose 2x2
    concatenation order and post-norm are the official ones; odd sizes are
    zero-padded) or ``upsample.{upsample,norm}`` (decoder:
    :class:`UPOCRPatchSplit`). Unlike timm's stage, the encoder's merging
    sits at the *end* of the stage, as in the official layout
    (``layers.0.downsample`` merges stage 1's output).

    Args:
        dim (int): Channels of the blocks.
        depth (int): Number of blocks.
        num_heads (int): Attention heads.
        window_size (int): Window side.
        pretrained_window_size (int): CPB scaling window (0: the window).
            Defaults to 0.
        drop_path (float or Sequence[float]): Per-block stochastic depth
            rates. Defaults to 0.
        resample (str, optional): ``'down'`` (PatchMerging to 2 * dim),
            ``'up'`` (PatchSplit to dim / 2) or None. Defaults to None.
        with_cp (bool): Gradient checkpointing of each block in training
            (the official ``use_checkpoint``). Defaults to False.
    """

    def __init__(self,
                 dim: int,
                 depth: int,
                 num_heads: int,
                 window_size: int,
                 pretrained_window_size: int = 0,
                 drop_path: Union[float, Sequence[float]] = 0.,
                 resample: Optional[str] = None,
                 with_cp: bool = False) -> None:
        super().__init__()
        if isinstance(drop_path, (int, float)):
            drop_path = [float(drop_path)] * depth
        if len(drop_path) != depth:
            raise ValueError(f'{len(drop_path)} drop-path rates for '
                             f'{depth} blocks')
        self.with_cp = with_cp
        self.blocks = nn.ModuleList([
            UPOCRSwinV2Block(
                dim=dim,
                num_heads=num_heads,
                window_size=window_size,
                shift=j % 2 == 1,
                pretrained_window_size=pretrained_window_size,
                drop_path=drop_path[j]) for j in range(depth)
        ])
        if resample == 'down':
            self.downsample = PatchMerging(dim, 2 * dim)
        elif resample == 'up':
            self.upsample = UPOCRPatchSplit(dim)
        elif resample is not None:
            raise ValueError(f'resample must be "down", "up" or None, got '
                             f'{resample!r}')
        self.resample = resample

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """Blocks, then the resampling.

        Args:
            x (Tensor): (B, H, W, C).

        Returns:
            tuple[Tensor, Tensor]: The blocks' output (B, H, W, C) and the
            resampled map ((B, H/2, W/2, 2C), (B, 2H, 2W, C/2), or the
            blocks' output itself without resampling).
        """
        for block in self.blocks:
            if self.with_cp and self.training and x.requires_grad:
                x = checkpoint(block, x, use_reentrant=False)
            else:
                x = block(x)
        if self.resample == 'down':
            return x, self.downsample(x)
        if self.resample == 'up':
            return x, self.upsample(x)
        return x, x
