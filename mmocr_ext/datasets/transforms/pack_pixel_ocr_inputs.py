# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Pack a pixel-level OCR sample for the model (UPOCR)."""
from typing import Optional, Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import PixelData
from mmocr.registry import TRANSFORMS

from mmocr_ext.structures.pixel_ocr_data_sample import PixelOCRDataSample


def _chw(arr: np.ndarray) -> torch.Tensor:
    if arr.ndim == 2:
        arr = arr[..., None]
    return torch.from_numpy(np.ascontiguousarray(arr.transpose(2, 0, 1)))


@TRANSFORMS.register_module()
class PackPixelOCRInputs(BaseTransform):
    """``inputs`` (3, H, W) uint8 RGB tensor and a
    :class:`PixelOCRDataSample`.

    Every ground-truth key is optional (inference packs the image and its
    meta only):

    - ``gt_img`` (H, W, 3) -> ``gt_pixel.img`` (3, H, W) uint8;
    - ``gt_text_mask`` (H, W) -> ``gt_pixel.text_mask`` (1, H, W) uint8;
    - ``gt_sem_seg`` (h, w) -> ``gt_sem_seg.data`` (1, h, w) int64 (the
      original-resolution evaluation map).

    Required Keys:

    - img (np.ndarray): (H, W, 3) uint8 RGB

    Added Keys:

    - inputs (torch.Tensor), data_samples (PixelOCRDataSample)

    Args:
        meta_keys (Sequence[str]): Keys copied into the metainfo when
            present. Defaults to ``('img_path', 'ori_shape', 'img_shape',
            'task', 'gt_path', 'scale_factor', 'flip', 'flip_direction')``.

    Raises:
        ValueError: A target whose size differs from ``img`` (naming the
            image file).
    """

    def __init__(
        self,
        meta_keys: Sequence[str] = ('img_path', 'ori_shape', 'img_shape',
                                    'task', 'gt_path', 'scale_factor', 'flip',
                                    'flip_direction')
    ) -> None:
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> Optional[dict]:
        img = results['img']
        if img.ndim == 2:
            img = np.repeat(img[..., None], 3, axis=2)
        sample = PixelOCRDataSample()
        gt = {}
        if results.get('gt_img') is not None:
            gt['img'] = _chw(results['gt_img'])
        if results.get('gt_text_mask') is not None:
            gt['text_mask'] = _chw(results['gt_text_mask'].astype(np.uint8))
        for key, value in gt.items():
            if tuple(value.shape[1:]) != img.shape[:2]:
                raise ValueError(
                    f'{results.get("img_path", "<img>")}: gt_pixel.{key} is '
                    f'{tuple(value.shape[1:])} but the image is '
                    f'{img.shape[:2]} (height, width)')
        if gt:
            sample.gt_pixel = PixelData(**gt)
        if results.get('gt_sem_seg') is not None:
            seg = torch.from_numpy(
                np.asarray(results['gt_sem_seg'], np.int64)[None].copy())
            sample.gt_sem_seg = PixelData(data=seg)
        sample.set_metainfo(
            {k: results[k]
             for k in self.meta_keys if k in results})
        return dict(inputs=_chw(img), data_samples=sample)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(meta_keys={self.meta_keys})'
