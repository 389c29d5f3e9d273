# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Load the text-removal targets: clean photo and text mask (UPOCR)."""
from typing import Optional

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

from ..pixel_utils import check_same_size, open_image, pil_to_mode, read_rgb

MASK_FORMATS = ('text_is_black', 'text_is_white')
BINARIZE = ('convert1', 'threshold')


@TRANSFORMS.register_module()
class LoadRemovalTargets(BaseTransform):
    """Load the clean image and the removal mask (1 = non-text, 0 = text).

    The mask comes from ``mask_path`` (an image) or ``mask_polygons``
    (flat ``[x1, y1, x2, y2, ...]`` polygons filled as text with
    ``cv2.fillPoly`` at rounded coordinates). An image mask is binarised
    like the official ``convert('1')`` (``binarize='convert1'``: PIL's
    Floyd-Steinberg dithering of the grey image; exact for 0/255 masks) or
    with ``grey >= 128`` (``'threshold'``, deterministic on noisy JPEG
    masks); ``mask_format`` (from ``results``, else the argument) says
    whether text is black (SCUT-EnsText) or white (the synthetic
    ``text_mask``).

    Required Keys:

    - img (np.ndarray), img_path (str)
    - gt_path (str): the clean photo
    - mask_path (str) or mask_polygons (list), optional when
      ``with_mask=False``
    - mask_format (str, optional)

    Added Keys:

    - gt_img (np.ndarray): (H, W, 3) uint8 RGB
    - gt_text_mask (np.ndarray): (H, W) uint8 {0, 1}

    Args:
        with_mask (bool): Load the mask. Defaults to True.
        mask_format (str): Default of ``results['mask_format']``:
            ``'text_is_black'`` (default) or ``'text_is_white'``.
        binarize (str): ``'convert1'`` (default) or ``'threshold'``.

    Raises:
        ValueError: Target size differs from the image (naming both files
            and sizes), bad format names, no mask given.
        FileNotFoundError: A missing target file, named.
    """

    def __init__(self,
                 with_mask: bool = True,
                 mask_format: str = 'text_is_black',
                 binarize: str = 'convert1') -> None:
        if mask_format not in MASK_FORMATS:
            raise ValueError(f'mask_format must be one of {MASK_FORMATS}, '
                             f'got {mask_format!r}')
        if binarize not in BINARIZE:
            raise ValueError(f'binarize must be one of {BINARIZE}, got '
                             f'{binarize!r}')
        self.with_mask, self.mask_format = with_mask, mask_format
        self.binarize = binarize

    def _read_mask(self, path: str, fmt: str) -> np.ndarray:
        grey = pil_to_mode(open_image(path), 'L')
        if self.binarize == 'convert1':
            white = np.asarray(grey.convert('1'))
        else:
            white = np.asarray(grey) >= 128
        if fmt == 'text_is_white':
            white = ~white
        return white.astype(np.uint8)

    def transform(self, results: dict) -> Optional[dict]:
        img, img_path = results['img'], results.get('img_path', '<img>')
        if 'gt_path' not in results:
            raise KeyError(f'{img_path}: no gt_path (clean image) to load')
        gt_img = read_rgb(results['gt_path'])
        check_same_size(img.shape, img_path, gt_img.shape, results['gt_path'])
        results['gt_img'] = gt_img
        if not self.with_mask:
            return results
        fmt = results.get('mask_format', self.mask_format)
        if fmt not in MASK_FORMATS:
            raise ValueError(f'{img_path}: mask_format must be one of '
                             f'{MASK_FORMATS}, got {fmt!r}')
        if results.get('mask_path') is not None:
            mask = self._read_mask(results['mask_path'], fmt)
            check_same_size(img.shape, img_path, mask.shape,
                            results['mask_path'])
        elif results.get('mask_polygons') is not None:
            mask = polygons_to_mask(results['mask_polygons'], img.shape[:2])
        else:
            raise ValueError(f'{img_path}: no mask_path or mask_polygons '
                             '(use with_mask=False for no mask)')
        results['gt_text_mask'] = mask
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(with_mask={self.with_mask}, '
                f'mask_format={self.mask_format!r}, '
                f'binarize={self.binarize!r})')


def polygons_to_mask(polygons: list, shape: tuple) -> np.ndarray:
    """(H, W) uint8 mask, 0 inside the (flat) polygons and 1 elsewhere."""
    mask = np.ones(shape[:2], np.uint8)
    pts = [
        np.rint(np.asarray(p, np.float64).reshape(-1, 2)).astype(np.int32)
        for p in polygons if len(p) >= 6
    ]
    if pts:
        cv2.fillPoly(mask, pts, 0)
    return mask
