# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIP's ModifiedResNet trunk (stem + 4 stages, no attention pool)."""
import os.path as osp
from typing import Dict, Optional, Sequence, Tuple

import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from open_clip.modified_resnet import Bottleneck
from torch import Tensor

from .clip_weights import load_clip_state_dict


def clip_visual_trunk_state_dict(
        state_dict: Dict[str, Tensor]) -> Dict[str, Tensor]:
    """The ``visual.*`` weights of a CLIP ResNet minus the attention pool.

    Args:
        state_dict (dict[str, Tensor]): A flat CLIP state dict (from
            :func:`load_clip_state_dict`).

    Returns:
        dict[str, Tensor]: ``visual.<name>`` -> ``<name>`` for every key
        but ``visual.attnpool.*``; loads strictly into a
        :class:`CLIPModifiedResNet` of the same architecture.

    Raises:
        ValueError: If the dict has no ``visual.conv1.weight`` (not a CLIP
            ResNet).
    """
    if 'visual.conv1.weight' not in state_dict:
        raise ValueError('no visual.conv1.weight: not a CLIP ResNet '
                         '(ModifiedResNet) state dict')
    return {
        key[len('visual.'):]: value
        for key, value in state_dict.items()
        if key.startswith('visual.') and not key.startswith('visual.attnpool.')
    }


@MODELS.register_module()
class CLIPModifiedResNet(BaseModule):
    """CLIP's ResNet image trunk without the attention pool.

    The "ModifiedResNet" of CLIP (Radford et al., ICML 2021, Sec. 2.4) up to
    its last stage, as used by InstructOCR's image encoder:

    - a 3-conv stem (3 -> width/2 stride 2 -> width/2 -> width, each
      BN + ReLU) followed by ``AvgPool2d(2)``;
    - four stages (``layer1`` .. ``layer4``) of anti-aliased bottlenecks
      (open_clip's ``Bottleneck``: no strided conv, an ``AvgPool(stride)``
      after conv2 and in front of the 1x1 downsample conv), expansion 4.

    Parameter names are those of OpenAI CLIP's ``visual.*`` without the
    prefix and without ``attnpool.*`` (``conv1``, ``bn1``,
    ``layer1.0.downsample.0``, ...), which are also InstructOCR's
    ``visual.*`` checkpoint keys. BN layers are plain trainable
    ``nn.BatchNorm2d`` (not frozen). Random initialisation follows CLIP
    (zero ``bn3`` weights in every bottleneck) and is done in the
    constructor.

    Weights are never needed at build time. :meth:`init_weights` applies
    ``init_cfg`` and then, if ``clip_checkpoint`` is given, loads the
    ``visual.*`` weights of an OpenAI (``RN50.pt``, TorchScript) or
    open_clip CLIP ResNet file minus ``visual.attnpool.*`` (strict load).
    CLIP weights expect CLIP's pixel normalisation (mean
    ``(0.4815, 0.4578, 0.4082)``, std ``(0.2686, 0.2613, 0.2758)`` on
    [0, 1] RGB); that is the data preprocessor's business.

    Args:
        layers (Sequence[int]): Bottlenecks per stage (4 stages). Defaults
            to (3, 4, 6, 3) (RN50).
        width (int): Stem width; stage ``i`` has ``4 * width * 2 ** i``
            output channels. Defaults to 64.
        out_indices (Sequence[int]): Stages (0..3) whose maps are returned.
            Defaults to (3, ) (C5 only).
        clip_checkpoint (str, optional): CLIP ResNet weights loaded by
            :meth:`init_weights`. Defaults to None.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 layers: Sequence[int] = (3, 4, 6, 3),
                 width: int = 64,
                 out_indices: Sequence[int] = (3, ),
                 clip_checkpoint: Optional[str] = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(layers) != 4:
            raise ValueError(f'expected 4 stages, got layers={layers}')
        if not set(out_indices) <= {0, 1, 2, 3}:
            raise ValueError(f'out_indices must lie in 0..3: {out_indices}')
        self.out_indices = tuple(out_indices)
        self.clip_checkpoint = clip_checkpoint

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
        #: Channels of the last stage (2048 for RN50).
        self.out_channels = inplanes
        for i in range(1, 5):
            for name, param in getattr(self, f'layer{i}').named_parameters():
                if name.endswith('bn3.weight'):
                    nn.init.zeros_(param)

    def init_weights(self) -> None:
        """Apply ``init_cfg``, then load ``clip_checkpoint`` if given.

        Raises:
            FileNotFoundError: If ``clip_checkpoint`` does not exist.
        """
        super().init_weights()
        if self.clip_checkpoint is None:
            return
        if not osp.isfile(self.clip_checkpoint):
            raise FileNotFoundError(
                f'CLIP checkpoint not found: {self.clip_checkpoint}')
        state_dict = clip_visual_trunk_state_dict(
            load_clip_state_dict(self.clip_checkpoint))
        self.load_state_dict(state_dict, strict=True)
        MMLogger.get_current_instance().info(
            f'{type(self).__name__}: loaded {len(state_dict)} CLIP visual '
            f'tensors (no attnpool) from {self.clip_checkpoint}')

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

    def forward_stages(self, x: Tensor) -> Tuple[Tuple[Tensor, ...], Tensor]:
        """Run the stem and the 4 stages.

        Args:
            x (Tensor): Images of shape (B, 3, H, W).

        Returns:
            tuple: The maps of the stages in ``out_indices`` (a tuple) and
            the last stage's map (B, 32 * width, H/32, W/32).
        """
        x = self.stem(x)
        outs = []
        for i in range(4):
            x = getattr(self, f'layer{i + 1}')(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs), x

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Extract the stage maps.

        Args:
            x (Tensor): Images of shape (B, 3, H, W), H and W multiples of
                32 (other sizes are floored stage by stage).

        Returns:
            tuple[Tensor]: The maps of the stages in ``out_indices``. For
            RN50: stage 0 ``c2`` (B, 256, H/4, W/4), 1 ``c3`` (B, 512, H/8,
            W/8), 2 ``c4`` (B, 1024, H/16, W/16), 3 ``c5`` (B, 2048, H/32,
            W/32).
        """
        return self.forward_stages(x)[0]
