# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Load a text-segmentation label as UPOCR's 3-channel target (spec
§3.1 ConvertLabel)."""
import logging
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.logging import print_log
from mmocr.registry import TRANSFORMS

from ..pixel_utils import check_same_size, open_image, pil_to_mode

LABEL_FORMATS = ('textseg', 'binary')


@TRANSFORMS.register_module()
class LoadTextSegLabel(BaseTransform):
    """Read ``seg_map_path`` into ``gt_img``: 255 text, 0 background,
    ``ignore_value`` ignore, in 3 channels.

    ``label_format`` (from ``results``, else the argument):

    - ``'textseg'``: TextSeg ``maskfg`` values, mapped as the official
      ConvertLabel: 255 -> ``ignore_value``, 200 (text effect) ->
      ``word_effect_value``, 100 -> 255, 0 -> 0. Any other value (not in a
      TextSeg label) becomes ``ignore_value`` with a logged warning naming
      the file.
    - ``'binary'``: a 0/255 mask (grey >= 128 is text); no ignore pixel.

    The label is read in grey (16-bit files scaled to 8 bits).

    Required Keys:

    - img (np.ndarray), img_path (str), seg_map_path (str)
    - label_format (str, optional)

    Added Keys:

    - gt_img (np.ndarray): (H, W, 3) uint8 in {0, ignore_value, 255}

    Args:
        label_format (str): Default format. Defaults to 'textseg'.
        word_effect_value (int): Value of text-effect pixels. Defaults to 0
            (background, as UPOCR).
        ignore_value (int): Defaults to 128.

    Raises:
        ValueError: Unknown format, or label size differs from the image
            (naming both files and sizes).
        FileNotFoundError: Missing label, named.
    """

    def __init__(self,
                 label_format: str = 'textseg',
                 word_effect_value: int = 0,
                 ignore_value: int = 128) -> None:
        if label_format not in LABEL_FORMATS:
            raise ValueError(f'label_format must be one of {LABEL_FORMATS}, '
                             f'got {label_format!r}')
        self.label_format = label_format
        self.word_effect_value = int(word_effect_value)
        self.ignore_value = int(ignore_value)

    def transform(self, results: dict) -> Optional[dict]:
        path = results['seg_map_path']
        img_path = results.get('img_path', '<img>')
        fmt = results.get('label_format', self.label_format)
        if fmt not in LABEL_FORMATS:
            raise ValueError(f'{path}: label_format must be one of '
                             f'{LABEL_FORMATS}, got {fmt!r}')
        grey = np.asarray(pil_to_mode(open_image(path), 'L'))
        check_same_size(results['img'].shape, img_path, grey.shape, path)
        if fmt == 'binary':
            out = np.where(grey >= 128, 255, 0).astype(np.uint8)
        else:
            out = np.full(grey.shape, self.ignore_value, np.uint8)
            out[grey == 0] = 0
            out[grey == 100] = 255
            out[grey == 200] = self.word_effect_value
            known = np.isin(grey, (0, 100, 200, 255))
            if not known.all():
                bad = np.unique(grey[~known])
                print_log(
                    f'{path}: {int((~known).sum())} pixels with values '
                    f'{bad[:8].tolist()} not in TextSeg maskfg '
                    f'(0, 100, 200, 255) set to ignore',
                    logger='current',
                    level=logging.WARNING)
        results['gt_img'] = np.repeat(out[..., None], 3, axis=2)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(label_format={self.label_format!r}, '
                f'word_effect_value={self.word_effect_value}, '
                f'ignore_value={self.ignore_value})')
