# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""torchvision's ColorJitter on the image only, through PIL (UPOCR spec
§3.2, TextSeg)."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image


@TRANSFORMS.register_module()
class PixelColorJitter(BaseTransform):
    """With probability ``prob`` (``np.random``), apply
    ``torchvision.transforms.ColorJitter(brightness, contrast, saturation,
    hue)`` to the RGB ``img`` as a PIL image (its factors use torch's
    RNG). Targets are untouched.

    Required Keys:

    - img (np.ndarray): (H, W, 3) uint8 RGB

    Modified Keys:

    - img

    Args:
        brightness (float): Defaults to 0.5.
        contrast (float): Defaults to 0.5.
        saturation (float): Defaults to 0.5.
        hue (float): Defaults to 0.5.
        prob (float): Defaults to 0.5.
    """

    def __init__(self,
                 brightness: float = 0.5,
                 contrast: float = 0.5,
                 saturation: float = 0.5,
                 hue: float = 0.5,
                 prob: float = 0.5) -> None:
        from torchvision.transforms import ColorJitter
        self.jitter = ColorJitter(brightness, contrast, saturation, hue)
        self.prob = prob

    def transform(self, results: dict) -> Optional[dict]:
        if np.random.rand() < self.prob:
            out = self.jitter(Image.fromarray(results['img']))
            results['img'] = np.asarray(out).copy()
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.jitter!r}, prob={self.prob})'
