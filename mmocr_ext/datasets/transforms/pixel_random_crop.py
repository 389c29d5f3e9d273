# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Joint random crop of the image and its pixel targets (UPOCR spec
§3.2)."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

from ..pixel_utils import JOINT_KEYS, check_joint_sizes


@TRANSFORMS.register_module()
class PixelRandomCrop(BaseTransform):
    """With probability ``prob``, crop ``img``, ``gt_img`` and
    ``gt_text_mask`` to the same random window.

    Width and height ratios ``rw, rh ~ U(min_ratio, max_ratio)`` are drawn
    independently; the window is ``(int(W * rw), int(H * rh))`` (at least
    1 pixel) with its top-left corner uniform over the inclusive range
    ``[0, W - cw] x [0, H - ch]``. Uses ``np.random``.

    Required Keys:

    - img (np.ndarray); gt_img, gt_text_mask (optional)

    Modified Keys:

    - img, gt_img, gt_text_mask, img_shape

    Added Keys:

    - crop_bbox (tuple): (x1, y1, x2, y2), exclusive end

    Args:
        min_ratio (float): Defaults to 0.7.
        max_ratio (float): Defaults to 1.0.
        prob (float): Defaults to 1.0.

    Raises:
        ValueError: Bad ratios, or targets whose size differs from the
            image (naming the files and sizes).
    """

    def __init__(self,
                 min_ratio: float = 0.7,
                 max_ratio: float = 1.0,
                 prob: float = 1.0) -> None:
        if not 0 < min_ratio <= max_ratio <= 1:
            raise ValueError('need 0 < min_ratio <= max_ratio <= 1, got '
                             f'{min_ratio}, {max_ratio}')
        self.min_ratio, self.max_ratio, self.prob = min_ratio, max_ratio, prob

    def transform(self, results: dict) -> Optional[dict]:
        check_joint_sizes(results)
        if np.random.rand() >= self.prob:
            return results
        h, w = results['img'].shape[:2]
        rw = np.random.uniform(self.min_ratio, self.max_ratio)
        rh = np.random.uniform(self.min_ratio, self.max_ratio)
        cw, ch = max(1, int(w * rw)), max(1, int(h * rh))
        x1 = np.random.randint(0, w - cw + 1)
        y1 = np.random.randint(0, h - ch + 1)
        for key in JOINT_KEYS:
            if results.get(key) is not None:
                results[key] = np.ascontiguousarray(results[key][y1:y1 + ch,
                                                                 x1:x1 + cw])
        results['img_shape'] = (ch, cw)
        results['crop_bbox'] = (int(x1), int(y1), int(x1 + cw), int(y1 + ch))
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(min_ratio={self.min_ratio}, '
                f'max_ratio={self.max_ratio}, prob={self.prob})')
