# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Load an image as RGB with PIL, as UPOCR does (spec §10.4)."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image

from ..pixel_utils import open_image, pil_to_mode


@TRANSFORMS.register_module()
class LoadRGBImagePIL(BaseTransform):
    """``Image.open(path).convert('RGB')`` as an (H, W, 3) uint8 array.

    mmocr's ``LoadImageFromFile`` gives BGR; the pixel models are fed RGB
    (``bgr_to_rgb=False`` in the data preprocessor) and their colour jitter
    needs RGB. Grey, palette, RGBA (alpha dropped), CMYK and 1-bit images
    go through PIL's ``convert('RGB')``; 16-bit (``I;16*``) and 32-bit
    integer (``I``) images are scaled by 255/65535 to 8 bits, not clipped
    as PIL's own conversion does (see
    :func:`~mmocr_ext.datasets.pixel_utils.wide_to_uint8`); PIL decodes
    16-bit colour PNGs to 8 bits itself (their high byte, ``v // 256``),
    scaled as well. EXIF
    orientation is not applied (like the official code).

    Required Keys:

    - img_path (str), or img (np.ndarray, taken as RGB or grey; uint16
      scaled to 8 bits) with ``img_path`` None

    Added Keys:

    - img (np.ndarray): (H, W, 3) uint8 RGB
    - img_shape (tuple): (H, W)
    - ori_shape (tuple): (H, W)

    Args:
        ignore_empty (bool): Return None (the dataset then picks another
            sample) instead of raising when the file is missing. Defaults
            to False.

    Raises:
        FileNotFoundError | ValueError: Naming the unreadable file.
    """

    def __init__(self, ignore_empty: bool = False) -> None:
        self.ignore_empty = ignore_empty

    def transform(self, results: dict) -> Optional[dict]:
        img = results.get('img')
        if isinstance(img, np.ndarray) and results.get('img_path') is None:
            if img.dtype == np.uint16:  # e.g. a 16-bit RGB array
                img = np.rint(img * (255. / 65535.)).astype(np.uint8)
            pil = Image.fromarray(img)
        else:
            path = results['img_path']
            try:
                pil = open_image(path)
            except FileNotFoundError:
                if self.ignore_empty:
                    return None
                raise
        rgb = np.asarray(pil_to_mode(pil, 'RGB')).copy()
        results['img'] = rgb
        results['img_shape'] = rgb.shape[:2]
        results['ori_shape'] = rgb.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(ignore_empty={self.ignore_empty})'
