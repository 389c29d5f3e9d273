# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Joint horizontal flip of the image and its pixel targets (UPOCR)."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

from ..pixel_utils import JOINT_KEYS, check_joint_sizes


@TRANSFORMS.register_module()
class PixelRandomHFlip(BaseTransform):
    """With probability ``prob``, mirror ``img``, ``gt_img`` and
    ``gt_text_mask`` left-right together (``np.random``).

    Required Keys:

    - img (np.ndarray); gt_img, gt_text_mask (optional)

    Modified Keys:

    - img, gt_img, gt_text_mask

    Added Keys:

    - flip (bool), flip_direction (str | None)

    Args:
        prob (float): Defaults to 0.5.

    Raises:
        ValueError: Targets whose size differs from the image.
    """

    def __init__(self, prob: float = 0.5) -> None:
        self.prob = prob

    def transform(self, results: dict) -> Optional[dict]:
        check_joint_sizes(results)
        flip = bool(np.random.rand() < self.prob)
        if flip:
            for key in JOINT_KEYS:
                if results.get(key) is not None:
                    results[key] = np.ascontiguousarray(results[key][:, ::-1])
        results['flip'] = flip
        results['flip_direction'] = 'horizontal' if flip else None
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(prob={self.prob})'
