# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The first 17 layers of VGG-16 as three stages (UPOCR's loss network)."""
import os.path as osp
from typing import Dict, List

import torch
import torch.nn as nn
from torch import Tensor

#: torchvision ``vgg16().features`` index -> our key, for the 7 convs.
TORCHVISION_KEY_MAP = {
    0: 'enc_1.0',
    2: 'enc_1.2',
    5: 'enc_2.0',
    7: 'enc_2.2',
    10: 'enc_3.0',
    12: 'enc_3.2',
    14: 'enc_3.4',
}


def _stage(channels: List[int]) -> nn.Sequential:
    """(conv3x3 + ReLU) per channel step, then a 2x2 max-pool."""
    layers: List[nn.Module] = []
    for c_in, c_out in zip(channels[:-1], channels[1:]):
        layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(inplace=True)]
    return nn.Sequential(*layers, nn.MaxPool2d(2, 2))


class VGG16FeatureExtractor(nn.Module):
    """VGG-16 ``features[0:17]`` split as the official ``enc_1/2/3``
    (spec §1.6).

    ``enc_1`` = features[0:5] (conv1_1, conv1_2, pool1: 64 ch at 1/2),
    ``enc_2`` = features[5:10] (128 ch at 1/4), ``enc_3`` = features[10:17]
    (256 ch at 1/8); 1,735,488 parameters. Fed raw [0, 1] RGB (no ImageNet
    normalisation, as officially). Built with PyTorch's default init; load
    ImageNet weights with :meth:`load_weights`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.enc_1 = _stage([3, 64, 64])
        self.enc_2 = _stage([64, 128, 128])
        self.enc_3 = _stage([128, 256, 256, 256])

    def forward(self, x: Tensor) -> List[Tensor]:
        """Features.

        Args:
            x (Tensor): (B, 3, H, W) in [0, 1].

        Returns:
            list[Tensor]: pool1 (B, 64, H/2, W/2), pool2 (B, 128, H/4, W/4),
            pool3 (B, 256, H/8, W/8).
        """
        feats = []
        for stage in (self.enc_1, self.enc_2, self.enc_3):
            x = stage(x)
            feats.append(x)
        return feats

    @staticmethod
    def convert_state_dict(state_dict: Dict[str, Tensor]) -> Dict[str, Tensor]:
        """Keep and re-key the 7 convs of a VGG-16 state dict.

        Accepts torchvision's layout (``features.{0,2,5,7,10,12,14}.*``,
        e.g. ``vgg16-397923af.pth``; the classifier and later layers are
        dropped) and the official UPOCR/ViTEraser one
        (``[vgg16.]enc_{1,2,3}.{i}.*``).

        Args:
            state_dict (dict[str, Tensor]): The file's tensors.

        Returns:
            dict[str, Tensor]: ``enc_{k}.{i}.{weight,bias}`` keys.
        """
        out = {}
        for key, value in state_dict.items():
            parts = key.split('.')
            if parts[0] == 'features' and len(parts) == 3:
                idx = int(parts[1])
                if idx in TORCHVISION_KEY_MAP:
                    out[f'{TORCHVISION_KEY_MAP[idx]}.{parts[2]}'] = value
            elif 'enc_' in key:
                out[key[key.index('enc_'):]] = value
        return out

    def load_weights(self, path: str) -> None:
        """Load VGG-16 weights from a local file (nothing is downloaded).

        Args:
            path (str): A ``torch.save`` file: a state dict in one of the
                layouts of :meth:`convert_state_dict`, possibly under a
                ``state_dict`` or ``model`` key. Read with
                ``weights_only=True``.

        Raises:
            FileNotFoundError: No such file.
            KeyError: The file lacks some of the 7 convs.
        """
        if not osp.isfile(path):
            raise FileNotFoundError(f'VGG-16 weights not found: {path}')
        ckpt = torch.load(path, map_location='cpu', weights_only=True)
        for key in ('state_dict', 'model'):
            if isinstance(ckpt, dict) and isinstance(ckpt.get(key), dict):
                ckpt = ckpt[key]
        weights = self.convert_state_dict(ckpt)
        missing = sorted(set(self.state_dict()) - set(weights))
        if missing:
            raise KeyError(f'{path}: not a VGG-16 state dict, missing '
                           f'{missing}')
        self.load_state_dict({k: weights[k]
                              for k in self.state_dict()},
                             strict=True)
