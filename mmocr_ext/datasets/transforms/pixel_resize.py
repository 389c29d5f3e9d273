# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""PIL resize of the image and its pixel targets (UPOCR spec §3.2)."""
from typing import Optional, Tuple

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image

from ..pixel_utils import check_joint_sizes, gt_sem_seg_from_target

INTERPS = dict(
    nearest=Image.NEAREST,
    bilinear=Image.BILINEAR,
    bicubic=Image.BICUBIC,
    lanczos=Image.LANCZOS,
    box=Image.BOX)
# PIL's defaults in the official code: the removal label (RGB) resizes
# bicubic, segmentation and tamper labels nearest.
TARGET_INTERPS = dict(
    text_removal='bicubic',
    text_segmentation='nearest',
    tamper_detection='nearest')


@TRANSFORMS.register_module()
class PixelResize(BaseTransform):
    """Resize ``img`` (and ``gt_img``, ``gt_text_mask``) with PIL to
    ``scale``, ignoring the aspect ratio, as UPOCR does.

    ``img`` uses ``img_interp`` (bicubic: PIL's anti-aliased bicubic, which
    the official weights expect); ``gt_img`` uses ``target_interp`` or, when
    None, its task's (bicubic for text_removal, nearest for
    text_segmentation and tamper_detection); ``gt_text_mask`` always
    nearest. With ``keep_ori_target_for_eval`` the evaluation class map
    ``gt_sem_seg`` is built from ``gt_img`` at the current (original)
    size first, for segmentation and tamper tasks (test pipelines).

    Required Keys:

    - img (np.ndarray); gt_img, gt_text_mask, task (optional)

    Modified Keys:

    - img, gt_img, gt_text_mask, img_shape

    Added Keys:

    - scale_factor (tuple): (w_scale, h_scale)
    - gt_sem_seg (np.ndarray): (h, w) int64, when asked

    Args:
        scale (tuple, optional): ``(width, height)``; None keeps the size.
            Defaults to (512, 512).
        img_interp (str): Defaults to 'bicubic'.
        target_interp (str, optional): Defaults to None (by task).
        keep_ori_target_for_eval (bool): Defaults to False.

    Raises:
        ValueError: Bad interpolation names, mismatched sizes, or an
            unknown task with a ``gt_img`` (naming the task and file).
    """

    def __init__(self,
                 scale: Optional[Tuple[int, int]] = (512, 512),
                 img_interp: str = 'bicubic',
                 target_interp: Optional[str] = None,
                 keep_ori_target_for_eval: bool = False) -> None:
        for name in (img_interp, target_interp):
            if name is not None and name not in INTERPS:
                raise ValueError(f'interpolation must be one of '
                                 f'{sorted(INTERPS)}, got {name!r}')
        self.scale = None if scale is None else (int(scale[0]), int(scale[1]))
        self.img_interp, self.target_interp = img_interp, target_interp
        self.keep_ori_target_for_eval = keep_ori_target_for_eval

    def _target_interp(self, results: dict) -> str:
        if self.target_interp is not None:
            return self.target_interp
        task = results.get('task')
        if task not in TARGET_INTERPS:
            raise ValueError(
                f'{results.get("img_path", "<img>")}: unknown task {task!r} '
                f'to choose the gt_img interpolation (known: '
                f'{sorted(TARGET_INTERPS)}; or pass target_interp)')
        return TARGET_INTERPS[task]

    def transform(self, results: dict) -> Optional[dict]:
        check_joint_sizes(results)
        gt_img = results.get('gt_img')
        if (self.keep_ori_target_for_eval and gt_img is not None
                and results.get('task') != 'text_removal'):
            try:
                results['gt_sem_seg'] = gt_sem_seg_from_target(
                    gt_img, results.get('task'))
            except ValueError as e:
                raise ValueError(
                    f'{results.get("img_path", "<img>")}: {e}') from e
        h, w = results['img'].shape[:2]
        if self.scale is None or self.scale == (w, h):
            results['scale_factor'] = (1., 1.)
            return results
        size = self.scale
        results['img'] = pil_resize(results['img'], size, self.img_interp)
        if gt_img is not None:
            results['gt_img'] = pil_resize(gt_img, size,
                                           self._target_interp(results))
        if results.get('gt_text_mask') is not None:
            results['gt_text_mask'] = pil_resize(results['gt_text_mask'], size,
                                                 'nearest')
        results['img_shape'] = (size[1], size[0])
        results['scale_factor'] = (size[0] / w, size[1] / h)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(scale={self.scale}, '
                f'img_interp={self.img_interp!r}, '
                f'target_interp={self.target_interp!r}, '
                f'keep_ori_target_for_eval={self.keep_ori_target_for_eval})')


def pil_resize(arr: np.ndarray, size: Tuple[int, int],
               interp: str) -> np.ndarray:
    """``Image.fromarray(arr).resize(size, interp)`` as an array;
    ``size`` is (width, height)."""
    out = Image.fromarray(arr).resize(size, INTERPS[interp])
    return np.asarray(out).copy()
