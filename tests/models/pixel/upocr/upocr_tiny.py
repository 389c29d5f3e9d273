# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The spec §8 tiny random UPOCR and data samples, shared by the tests."""
import copy
import os.path as osp
from typing import Optional, Sequence, Tuple

import torch
from mmengine.config import Config
from mmengine.structures import PixelData
from mmocr.registry import MODELS

from mmocr_ext.structures import PixelOCRDataSample

#: Spec §8, the toy config's model: encoder embed 16, depths 1-1-1-1, heads
#: 1-2-4-8, window 4; decoder 128..8 channels, depths 1 x 5, heads
#: 8-4-2-1-1, window 4; random VGG-16 in the removal loss.
TOY_CFG = osp.join(
    osp.dirname(osp.abspath(__file__)), *['..'] * 4, 'configs', 'pixel',
    'upocr', 'upocr_swinv2-tiny_toy.py')
TINY_CFG = Config.fromfile(TOY_CFG).model.to_dict()


def build_tiny(seed: int = 0, **overrides):
    """The tiny UPOCR, random (seeded); res-post-norms are perturbed away
    from their zero init so every block contributes."""
    torch.manual_seed(seed)
    cfg = copy.deepcopy(TINY_CFG)
    cfg.update(overrides)
    model = MODELS.build(cfg)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if '.norm1.' in name or '.norm2.' in name:
                param.normal_(0.5 if name.endswith('weight') else 0, 0.1)
    return model


def samples(tasks: Sequence[str],
            shape: Tuple[int, int] = (128, 128),
            ori_shape: Optional[Tuple[int, int]] = None,
            with_gt: bool = True,
            seed: int = 0):
    """Data samples with the given tasks and random uint8 targets."""
    g = torch.Generator().manual_seed(seed)
    out = []
    for i, task in enumerate(tasks):
        s = PixelOCRDataSample(
            metainfo=dict(
                task=task,
                img_path=f'img_{i}.jpg',
                img_shape=shape,
                ori_shape=ori_shape or shape))
        if with_gt:
            gt = dict(
                img=torch.randint(
                    0, 256, (3, *shape), generator=g, dtype=torch.uint8))
            if task == 'text_removal':
                gt['text_mask'] = torch.randint(
                    0, 2, (1, *shape), generator=g, dtype=torch.uint8)
            s.gt_pixel = PixelData(**gt)
        out.append(s)
    return out
