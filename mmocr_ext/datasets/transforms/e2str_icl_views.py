# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The extra (image, text) views of E2STR's in-context training."""
import random
import re
from typing import Dict, List, Optional, Sequence, Tuple

import mmcv
import numpy as np
import torchvision.transforms.functional as TF
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS
from PIL import Image

_LATIN = re.compile('[A-Za-z]')


@TRANSFORMS.register_module()
class E2STRICLViews(BaseTransform):
    """Make the transform and split views of E2STR's stage 2 (spec A3.2).

    Place it on the raw word crop, before ``Resize``:
    ``LoadImageFromFile`` -> ``LoadOCRAnnotations`` ->
    :class:`~mmocr_ext.datasets.transforms.LoadCharBoxes` -> this ->
    ``Resize`` -> :class:`~mmocr_ext.datasets.transforms.PackE2STRInputs`.

    Every view gets the strong augmentation of the official code: colour
    jitter (brightness, contrast, saturation, hue, in random order, as
    ``torchvision.transforms.ColorJitter``) -> rotation by U(-max_rotate,
    max_rotate) degrees with ``expand=True`` (black fill) -> bilinear resize
    to ``scale``.

    - **Transform strategy** (always): ``num_transforms`` augmented copies of
      the crop with the same text.
    - **Split strategy** (``split=True``, only when ``char_right_x`` has one
      edge per character and the text has more than one character):

      - ``n ~ U{2, ..., max(len, 2)}`` if the text has a Latin letter, else
        ``n ~ U{1, ..., max(int(0.7 * len), 1)}``;
      - each view picks ``l ~ U[0, len-1]``, ``r ~ U[l, len-1]`` and crops,
        at full height, from the right edge of character ``l - 1`` (0 when
        ``l == 0``) to the right edge of character ``r``; its text is
        ``text[l:r + 1]``. A crop narrower than 1 px is dropped.

      Without edges, or with too short a text, there are no split views
      (the official code's fallback for images missing from ``pos_path``).
      A number of edges that differs from the text length also gives none
      and records why in ``icl_split_skipped``.

    Random draws use Python's global ``random`` module (seeded per worker
    by mmengine).

    Required Keys:

    - img (np.uint8, (H, W, 3) or (H, W); the channel order is kept)
    - gt_texts (list[str]) or instances[0]['text']
    - char_right_x (np.float32 (n, ) or None) (optional)
    - ori_shape (optional: edges are rescaled if ``img`` is not at it)

    Added Keys:

    - icl_views (list[dict]): ``dict(img=np.uint8 (h, w, 3), text=str,
      kind='transform' | 'split')`` with ``(w, h) = scale``, the transform
      views first.
    - icl_split_skipped (str): Only when the edges and the text length
      disagree: the reason.

    Args:
        num_transforms (int): Augmented copies per sample. Defaults to 1.
        split (bool): Make split views. Defaults to True.
        scale (tuple[int, int]): Output (width, height). Defaults to
            (128, 32).
        jitter (tuple[float, float, float, float]): Brightness, contrast,
            saturation and hue strengths, as ``ColorJitter``. Defaults to
            (0.5, 0.5, 0.5, 0.5).
        max_rotate (float): Maximum rotation in degrees. Defaults to 30.
    """

    def __init__(self,
                 num_transforms: int = 1,
                 split: bool = True,
                 scale: Tuple[int, int] = (128, 32),
                 jitter: Sequence[float] = (0.5, 0.5, 0.5, 0.5),
                 max_rotate: float = 30) -> None:
        assert int(num_transforms) >= 0, 'num_transforms must be >= 0'
        assert len(scale) == 2 and min(scale) > 0, 'scale must be (w, h) > 0'
        assert len(jitter) == 4 and min(jitter) >= 0, \
            'jitter must be 4 numbers >= 0'
        assert jitter[3] <= 0.5, 'the hue strength must be <= 0.5'
        assert max_rotate >= 0, 'max_rotate must be >= 0'
        self.num_transforms = int(num_transforms)
        self.split = split
        self.scale = (int(scale[0]), int(scale[1]))
        self.jitter = tuple(float(j) for j in jitter)
        self.max_rotate = float(max_rotate)

    def _strong_aug(self, img: np.ndarray) -> np.ndarray:
        """Colour jitter -> rotation (expand) -> resize of a (h, w, 3) crop.

        The image is jittered as RGB (``img`` is reversed, as mmcv's BGR,
        and reversed back), so hue moves as in the official RGB code.
        """
        pil = Image.fromarray(np.ascontiguousarray(img[..., ::-1]))
        b, c, s, h = self.jitter
        ops = []
        if b > 0:
            ops.append((TF.adjust_brightness, random.uniform(1 - b, 1 + b)))
        if c > 0:
            ops.append((TF.adjust_contrast, random.uniform(1 - c, 1 + c)))
        if s > 0:
            ops.append((TF.adjust_saturation, random.uniform(1 - s, 1 + s)))
        if h > 0:
            ops.append((TF.adjust_hue, random.uniform(-h, h)))
        random.shuffle(ops)
        for op, factor in ops:
            pil = op(pil, max(factor, 0.0))
        angle = random.uniform(-self.max_rotate, self.max_rotate)
        pil = TF.rotate(pil, angle, expand=True)
        out = np.asarray(pil)[..., ::-1]
        return mmcv.imresize(np.ascontiguousarray(out), self.scale)

    @staticmethod
    def _text(results: dict) -> Optional[str]:
        """The sample's label."""
        texts = results.get('gt_texts')
        if texts:
            return texts[0]
        instances = results.get('instances') or []
        return instances[0].get('text') if instances else None

    @staticmethod
    def _split_spans(text: str) -> List[Tuple[int, int]]:
        """The (l, r) character spans of the split views."""
        n_chars = len(text)
        if _LATIN.search(text):
            num = random.randint(2, max(n_chars, 2))
        else:
            num = random.randint(1, max(int(0.7 * n_chars), 1))
        spans = []
        for _ in range(num):
            left = random.randint(0, n_chars - 1)
            spans.append((left, random.randint(left, n_chars - 1)))
        return spans

    def transform(self, results: dict) -> dict:
        """Add ``icl_views`` (and ``icl_split_skipped`` on a mismatch).

        Args:
            results (dict): Result dict after loading the image and text.

        Returns:
            dict: ``results`` with ``icl_views``.
        """
        img = results['img']
        if img.ndim == 2:
            img = np.repeat(img[..., None], 3, axis=-1)
        elif img.shape[2] == 1:
            img = np.repeat(img, 3, axis=-1)
        text = self._text(results)
        views: List[Dict] = []
        if text is None:
            results['icl_views'] = views
            return results
        for _ in range(self.num_transforms):
            views.append(
                dict(img=self._strong_aug(img), text=text, kind='transform'))
        right = results.get('char_right_x')
        if self.split and right is not None and len(text) > 1:
            right = np.asarray(right, dtype=np.float32).reshape(-1)
            if len(right) != len(text):
                results['icl_split_skipped'] = (
                    f'{len(right)} character boxes for the {len(text)} '
                    f'characters of {text!r}')
            else:
                views.extend(self._split_views(img, text, right, results))
        results['icl_views'] = views
        return results

    def _split_views(self, img: np.ndarray, text: str, right: np.ndarray,
                     results: dict) -> List[Dict]:
        """The split views of ``img`` (edges in original-image pixels)."""
        width = img.shape[1]
        ori_shape = results.get('ori_shape')
        if ori_shape is not None and ori_shape[1] != width:
            right = right * (width / ori_shape[1])
        views = []
        for left, last in self._split_spans(text):
            x0 = 0 if left == 0 else int(round(float(right[left - 1])))
            x1 = int(round(float(right[last])))
            x0, x1 = min(max(x0, 0), width), min(max(x1, 0), width)
            if x1 - x0 < 1:
                continue
            views.append(
                dict(
                    img=self._strong_aug(img[:, x0:x1]),
                    text=text[left:last + 1],
                    kind='split'))
        return views

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'num_transforms={self.num_transforms}, split={self.split}, '
                f'scale={self.scale}, jitter={self.jitter}, '
                f'max_rotate={self.max_rotate})')
