# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's mirrored SwinV2 decoder with patch splitting and laterals."""
from typing import List, Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from torch import Tensor

from .upocr_swinv2_block import init_swinv2_weights
from .upocr_swinv2_layer import UPOCRSwinV2Layer


def _lateral(in_channels: int, out_channels: int) -> nn.Sequential:
    """The official 4-conv linear skip connection (no norm/activation)."""
    return nn.Sequential(
        nn.Conv2d(in_channels, in_channels, 1),
        nn.Conv2d(in_channels, 2 * in_channels, 3, padding=1),
        nn.Conv2d(2 * in_channels, 2 * in_channels, 3, padding=1),
        nn.Conv2d(2 * in_channels, out_channels, 1))


@MODELS.register_module()
class UPOCRSwinV2Decoder(BaseModule):
    """SwinV2 decoder of UPOCR (spec §1.1, §1.5).

    Layer i (``layers.{i}``) has ``embed_dim / 2**i`` channels and ends in a
    :class:`UPOCRPatchSplit` (spatial x2, channels / 2). After the split of
    layers 0, 1 and 2 the encoder taps 3, 2, 1 (``skips[-i - 2]``) go
    through ``lateral_connection_list.{i}`` (Conv1x1 C->C, Conv3x3 C->2C,
    Conv3x3 2C->2C, Conv1x1 2C->C) and are added. The outputs are read
    after the last three layers: ``intermediate_convs.{0,1}`` and
    ``output_conv`` (Conv3x3 to 3 channels) on ``norm{L-3..L-1}`` (L = the
    number of layers; ``norm2/3/4`` for the official 5). Outputs are raw
    (no sigmoid); every head is shared by the tasks.

    Init (spec §1.5): trunc-normal linears, unit LayerNorms, zeroed
    ``norm1``/``norm2`` in every block, PyTorch-default convolutions.

    Args:
        embed_dim (int): Channels of the bottleneck (the encoder's last
            tap). Defaults to 768.
        depths (Sequence[int]): Blocks per layer. Defaults to
            (2, 18, 2, 2, 2).
        num_heads (Sequence[int]): Heads per layer. Defaults to
            (24, 12, 6, 3, 2).
        window_size (int): Window side. Defaults to 8.
        pretrained_window_size (int): CPB scaling window. Defaults to 8.
        drop_path_rate (float): Maximum stochastic depth, rising linearly
            over all decoder blocks. Defaults to 0.3.
        num_laterals (int): Layers followed by a lateral connection (the
            encoder taps but the last). Defaults to 3.
        out_channels (int): Output channels. Defaults to 3.
        with_cp (bool): Gradient checkpointing. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 embed_dim: int = 768,
                 depths: Sequence[int] = (2, 18, 2, 2, 2),
                 num_heads: Sequence[int] = (24, 12, 6, 3, 2),
                 window_size: int = 8,
                 pretrained_window_size: int = 8,
                 drop_path_rate: float = 0.3,
                 num_laterals: int = 3,
                 out_channels: int = 3,
                 with_cp: bool = False,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        num_layers = len(depths)
        if len(num_heads) != num_layers:
            raise ValueError(f'{num_layers} depths but {len(num_heads)} '
                             'head counts')
        if num_layers < 3 or num_laterals > num_layers:
            raise ValueError(f'need >= 3 layers and <= {num_layers} '
                             f'laterals, got {num_layers} / {num_laterals}')
        if embed_dim % 2**(num_layers + 1):
            raise ValueError(f'embed_dim {embed_dim} must be divisible by '
                             f'2**{num_layers + 1}')
        dims = [embed_dim // 2**i for i in range(num_layers)]
        rates = torch.linspace(
            0, drop_path_rate, sum(depths), device='cpu').tolist()
        self.layers = nn.ModuleList()
        for i, depth in enumerate(depths):
            start = sum(depths[:i])
            self.layers.append(
                UPOCRSwinV2Layer(
                    dim=dims[i],
                    depth=depth,
                    num_heads=num_heads[i],
                    window_size=window_size,
                    pretrained_window_size=pretrained_window_size,
                    drop_path=rates[start:start + depth],
                    resample='up',
                    with_cp=with_cp))
        self.lateral_connection_list = nn.ModuleList([
            _lateral(dims[i] // 2, dims[i] // 2) for i in range(num_laterals)
        ])
        #: Layers whose (split) output feeds ``norm{i}`` and a head.
        self.out_layers = list(range(num_layers - 3, num_layers))
        for i in self.out_layers:
            self.add_module(f'norm{i}', nn.LayerNorm(dims[i] // 2))
        self.intermediate_convs = nn.ModuleList([
            nn.Conv2d(dims[i] // 2, out_channels, 3, padding=1)
            for i in self.out_layers[:-1]
        ])
        self.output_conv = nn.Conv2d(dims[-1] // 2, out_channels, 3, padding=1)
        init_swinv2_weights(self)

    def forward(self, x: Tensor, skips: Sequence[Tensor]) -> List[Tensor]:
        """Decode the prompted bottleneck.

        Args:
            x (Tensor): (B, C, h, w), the projected last tap plus the
                prompt.
            skips (Sequence[Tensor]): The encoder taps (B, C_i, H_i, W_i);
                ``skips[-i - 2]`` must match layer i's split output.

        Returns:
            list[Tensor]: 3 outputs (B, out_channels, ...) at
            ``2**(L - 2)``, ``2**(L - 1)`` and ``2**L`` times h, w (1/4,
            1/2, 1/1 of the input for the official 5 layers).
        """
        x = x.permute(0, 2, 3, 1)  # (B, h, w, C)
        heads = list(self.intermediate_convs) + [self.output_conv]
        outs = []
        for i, layer in enumerate(self.layers):
            _, x = layer(x)
            if i < len(self.lateral_connection_list):
                skip = self.lateral_connection_list[i](skips[-i - 2])
                x = x + skip.permute(0, 2, 3, 1)
            if i in self.out_layers:
                y = getattr(self, f'norm{i}')(x).permute(0, 3, 1, 2)
                outs.append(heads[self.out_layers.index(i)](y.contiguous()))
        return outs
