# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Joint PIL rotation of the image and its pixel targets (UPOCR spec
§3.2)."""
from typing import Optional, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image

from ..pixel_utils import JOINT_KEYS, check_joint_sizes

# Fill of the new canvas area of ``gt_img`` per task.
TARGET_FILLS = dict(
    text_removal=0, text_segmentation=128, tamper_detection=128)
DEFAULT_FILLS = dict(img=0, gt_text_mask=1)


@TRANSFORMS.register_module()
class PixelRandomRotate(BaseTransform):
    """With probability ``prob``, rotate ``img``, ``gt_img`` and
    ``gt_text_mask`` by the same ``angle ~ U(-max_angle, max_angle)``
    degrees (``np.random``).

    Every array goes through ``PIL.Image.rotate(angle, Image.NEAREST,
    expand=True, fillcolor=fill)`` (counter-clockwise, the canvas grows).
    Fills: image 0; removal mask 1 (non-text); ``gt_img`` by ``task``:
    text_removal 0, text_segmentation 128 (ignore), tamper_detection
    (128, 128, 128) (ignore). ``fill`` overrides any of them by key
    (``'img'``, ``'gt_img'``, ``'gt_text_mask'``).

    Required Keys:

    - img (np.ndarray); gt_img, gt_text_mask (optional)
    - task (str): needed when gt_img is present

    Modified Keys:

    - img, gt_img, gt_text_mask, img_shape

    Added Keys:

    - rotate_angle (float): 0 when not rotated

    Args:
        max_angle (float): Defaults to 30.
        prob (float): Defaults to 0.5.
        fill (dict, optional): Fill overrides by key.

    Raises:
        ValueError: An unknown task with a ``gt_img`` to fill (naming the
            task and the file), or mismatched sizes.
    """

    def __init__(self,
                 max_angle: float = 30.,
                 prob: float = 0.5,
                 fill: Optional[dict] = None) -> None:
        self.max_angle, self.prob = max_angle, prob
        self.fill = dict(fill or {})

    def _fill(self, key: str, results: dict) -> Union[int, tuple]:
        if key in self.fill:
            return self.fill[key]
        if key in DEFAULT_FILLS:
            return DEFAULT_FILLS[key]
        task = results.get('task')
        if task not in TARGET_FILLS:
            raise ValueError(
                f'{results.get("img_path", "<img>")}: unknown task {task!r} '
                f'for the rotation fill of gt_img (known: '
                f'{sorted(TARGET_FILLS)}; or pass fill=dict(gt_img=...))')
        return TARGET_FILLS[task]

    def transform(self, results: dict) -> Optional[dict]:
        check_joint_sizes(results)
        results['rotate_angle'] = 0.
        if np.random.rand() >= self.prob:
            return results
        angle = float(np.random.uniform(-self.max_angle, self.max_angle))
        fills = {
            key: self._fill(key, results)
            for key in JOINT_KEYS if results.get(key) is not None
        }
        for key, fill in fills.items():
            results[key] = pil_rotate(results[key], angle, fill)
        results['img_shape'] = results['img'].shape[:2]
        results['rotate_angle'] = angle
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(max_angle={self.max_angle}, '
                f'prob={self.prob}, fill={self.fill})')


def pil_rotate(arr: np.ndarray, angle: float,
               fill: Union[int, tuple]) -> np.ndarray:
    """``Image.fromarray(arr).rotate(angle, NEAREST, expand=True,
    fillcolor=fill)`` as an array (an int fill of an RGB array is used for
    the three channels)."""
    if arr.ndim == 3 and np.isscalar(fill):
        fill = (int(fill), ) * arr.shape[2]
    out = Image.fromarray(arr).rotate(
        angle, resample=Image.NEAREST, expand=True, fillcolor=fill)
    return np.asarray(out).copy()
