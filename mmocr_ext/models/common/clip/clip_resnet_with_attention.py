# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIP's ModifiedResNet image encoder with a dense attention-pool output."""
from typing import Sequence, Tuple

import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from open_clip.modified_resnet import Bottleneck
from torch import Tensor

from .dense_attention_pool2d import DenseAttentionPool2d


@MODELS.register_module()
class CLIPResNetWithAttention(BaseModule):
    """CLIP's ResNet image encoder with a dense attention-pool output.

    The "ModifiedResNet" of CLIP (Radford et al., ICML 2021, Sec. 2.4) with
    the dense output of DenseCLIP (Rao et al., CVPR 2022), for dense
    prediction:

    - a 3-conv stem (3 -> width/2 stride 2 -> width/2 -> width, each
      BN + ReLU) followed by ``AvgPool2d(2)``;
    - four stages of anti-aliased bottlenecks (open_clip's ``Bottleneck``:
      no strided conv, an ``AvgPool(stride)`` after conv2 and in front of
      the 1x1 downsample conv);
    - a QKV attention pool (:class:`DenseAttentionPool2d`) over the last
      stage that returns CLIP's global embedding *and* the dense per-pixel
      embedding; its positional embedding has
      ``(input_resolution / 32) ** 2 + 1`` rows and is bilinearly resized
      at run time to the input's ``H/32 x W/32`` grid.

    Parameter names are those of OpenAI CLIP's ``visual.*`` without the
    prefix (``conv1``, ``bn1``, ``layer1.0.downsample.0``, ``attnpool.*``),
    so CLIP weights load through :func:`convert_clip_state_dict` with no
    missing or unexpected keys. BN layers are plain ``nn.BatchNorm2d``
    (trainable, not frozen); learning-rate multipliers are the model
    config's business.

    Random initialisation follows CLIP (normal attention-pool projections
    with std ``embed_dim ** -0.5``, zero ``bn3`` weights) and is done in the
    constructor; ``init_cfg`` (e.g. ``dict(type='Pretrained',
    checkpoint='clip_rn50.pth', prefix='backbone.')``) is applied on
    top by :meth:`init_weights`.

    Args:
        layers (Sequence[int]): Bottlenecks per stage (4 stages). Defaults
            to (3, 4, 6, 3) (RN50).
        width (int): Stem width; stage ``i`` has ``4 * width * 2 ** i``
            output channels. Defaults to 64.
        output_dim (int): Channels of the attention-pool outputs (CLIP's
            embedding size). Defaults to 1024.
        heads (int): Attention-pool heads. Defaults to 32.
        input_resolution (int): Training resolution that sizes the
            positional embedding (a multiple of 32). Defaults to 640.
        out_indices (Sequence[int]): Stages (0..3) whose maps are returned.
            Defaults to (0, 1, 2, 3).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 layers: Sequence[int] = (3, 4, 6, 3),
                 width: int = 64,
                 output_dim: int = 1024,
                 heads: int = 32,
                 input_resolution: int = 640,
                 out_indices: Sequence[int] = (0, 1, 2, 3),
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(layers) != 4:
            raise ValueError(f'expected 4 stages, got layers={layers}')
        if input_resolution % 32 != 0:
            raise ValueError('input_resolution must be a multiple of 32, got '
                             f'{input_resolution}')
        if not set(out_indices) <= {0, 1, 2, 3}:
            raise ValueError(f'out_indices must lie in 0..3: {out_indices}')
        self.out_indices = tuple(out_indices)
        self.input_resolution = input_resolution
        self.output_dim = output_dim

        # The 3-conv stem.
        self.conv1 = nn.Conv2d(
            3, width // 2, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width // 2)
        self.conv2 = nn.Conv2d(
            width // 2, width // 2, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width // 2)
        self.conv3 = nn.Conv2d(
            width // 2, width, kernel_size=3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.avgpool = nn.AvgPool2d(2)

        # Residual stages, named layer1..layer4 as in CLIP.
        inplanes = width
        for i, num_blocks in enumerate(layers):
            planes = width * 2**i
            blocks = [Bottleneck(inplanes, planes, stride=1 if i == 0 else 2)]
            inplanes = planes * Bottleneck.expansion
            blocks += [
                Bottleneck(inplanes, planes) for _ in range(1, num_blocks)
            ]
            self.add_module(f'layer{i + 1}', nn.Sequential(*blocks))

        embed_dim = width * 32  # channels of the last stage
        self.attnpool = DenseAttentionPool2d(input_resolution // 32, embed_dim,
                                             heads, output_dim)
        self._init_clip_weights()

    def _init_clip_weights(self) -> None:
        """CLIP's random initialisation (``ModifiedResNet`` in CLIP)."""
        std = self.attnpool.c_proj.in_features**-0.5
        for proj in (self.attnpool.q_proj, self.attnpool.k_proj,
                     self.attnpool.v_proj, self.attnpool.c_proj):
            nn.init.normal_(proj.weight, std=std)
        for i in range(1, 5):
            for name, param in getattr(self, f'layer{i}').named_parameters():
                if name.endswith('bn3.weight'):
                    nn.init.zeros_(param)

    def stem(self, x: Tensor) -> Tensor:
        """The 3-conv stem and the average pool.

        Args:
            x (Tensor): Images of shape (B, 3, H, W).

        Returns:
            Tensor: Features of shape (B, width, H/4, W/4).
        """
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.relu(self.bn2(self.conv2(x)))
        x = self.relu(self.bn3(self.conv3(x)))
        return self.avgpool(x)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Extract the stage maps and the attention-pool outputs.

        Args:
            x (Tensor): Images of shape (B, 3, H, W), H and W multiples of
                32.

        Returns:
            tuple: The maps of the stages in ``out_indices`` followed by
            the pair ``(global_feat, dense_feat)``. For RN50 and the
            default ``out_indices``: ``c2`` (B, 256, H/4, W/4), ``c3``
            (B, 512, H/8, W/8), ``c4`` (B, 1024, H/16, W/16), ``c5``
            (B, 2048, H/32, W/32), then ``global_feat`` (B, output_dim)
            and ``dense_feat`` (B, output_dim, H/32, W/32).
        """
        x = self.stem(x)
        outs = []
        for i in range(4):
            x = getattr(self, f'layer{i + 1}')(x)
            if i in self.out_indices:
                outs.append(x)
        outs.append(self.attnpool(x))
        return tuple(outs)
