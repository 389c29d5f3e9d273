# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Text-free backgrounds for synthetic scene-text images.

:class:`BackgroundPool` returns BGR ``uint8`` backgrounds of any size from
three sources:

* crops of annotated text-detection images (mmocr 1.x textdet json) taken
  away from every ground-truth polygon, ignored (``###``) ones included:
  all polygons are rasterised, dilated by ``margin`` pixels and summed into
  an integral image, so that testing a rectangle is O(1);
* crops of images from folders of text-free pictures (``bg_dirs``);
* procedural images (:func:`procedural_background`): 1-2 blended layers of
  linear gradients, multi-octave smooth value noise and non-text textures
  (stripes, checkerboards, sinusoidal gratings, filled rectangles and
  circles, long thin lines; shapes are kept large so that they do not look
  like characters). A 640x640 one takes a few milliseconds on one core.
"""
import json
import os.path as osp
from collections import OrderedDict
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from PIL import Image

from .procedural import procedural_background

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp')
REPO_ROOT = Path(__file__).resolve().parents[3]
TOY_TRAIN_ANN = REPO_ROOT / 'data' / 'icdar2015_toy' / 'textdet_train.json'
Rect = Tuple[int, int, int, int]


def read_textdet_json(ann_file: str) -> List[Tuple[str, List[np.ndarray]]]:
    """Images and text polygons of an mmocr 1.x textdet json file.

    ``img_path`` is resolved against the json's folder (the data root of a
    dataset prepared by mmocr's dataset preparer) unless it is absolute.

    Args:
        ann_file (str): The json file.

    Returns:
        list[tuple[str, list[np.ndarray]]]: ``(image path, polygons)`` per
        entry; each polygon is a float32 array of shape (K, 2), all
        instances included (ignored ones too).

    Raises:
        FileNotFoundError: ``ann_file`` does not exist.
        ValueError: Not valid json, not a textdet file, or a referenced
            image does not exist.
    """
    try:
        with open(ann_file, encoding='utf-8') as f:
            data = json.load(f)
    except FileNotFoundError as err:
        raise FileNotFoundError(
            f'{ann_file}: annotation file not found') from err
    except (OSError, ValueError) as err:
        raise ValueError(f'{ann_file}: cannot read annotation json: {err}')
    if not isinstance(data, dict) or not isinstance(
            data.get('data_list'), list):
        raise ValueError(f'{ann_file}: not an mmocr 1.x annotation file '
                         '(no "data_list" list)')
    root = osp.dirname(osp.abspath(ann_file))
    entries = []
    for i, entry in enumerate(data['data_list']):
        try:
            img_path = osp.join(root, entry['img_path'])
            polygons = []
            for inst in entry.get('instances', []):
                points = inst.get('polygon') or []
                if len(points) < 6 and inst.get('bbox'):
                    x1, y1, x2, y2 = inst['bbox']
                    points = [x1, y1, x2, y1, x2, y2, x1, y2]
                if len(points) >= 4:
                    polygons.append(
                        np.asarray(points, np.float32).reshape(-1, 2))
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f'{ann_file}: data_list[{i}] is malformed: '
                             f'{type(err).__name__}: {err}') from err
        if not osp.isfile(img_path):
            raise ValueError(f'{img_path}: image of {ann_file} not found')
        entries.append((img_path, polygons))
    return entries


def text_mask(shape: Tuple[int, int], polygons: Sequence[np.ndarray],
              margin: int) -> np.ndarray:
    """uint8 mask (H, W), 1 on polygons dilated by ``margin`` pixels."""
    mask = np.zeros(shape, np.uint8)
    for poly in polygons:
        pts = np.round(poly).astype(np.int32).reshape(-1, 1, 2)
        cv2.fillPoly(mask, [pts], 1)
        cv2.polylines(mask, [pts], True, 1)  # thin and degenerate ones too
    if margin > 0:
        kernel = np.ones((2 * margin + 1, 2 * margin + 1), np.uint8)
        mask = cv2.dilate(mask, kernel)
    return mask


def _find_images(folder: str) -> List[str]:
    """Image files under ``folder``, recursively, sorted."""
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f'{folder}: background directory not found')
    return sorted(
        str(p.resolve()) for p in root.rglob('*')
        if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


class BackgroundPool:
    """Random text-free backgrounds (BGR ``uint8``) of a requested size.

    Args:
        ann_files (Sequence[str] | None): mmocr 1.x textdet json files whose
            images are cropped away from their text. None means the bundled
            toy training set ``data/icdar2015_toy/textdet_train.json``; []
            means none. Defaults to None.
        bg_dirs (Sequence[str]): Folders of text-free images (``*.jpg``,
            ``*.jpeg``, ``*.png``, ``*.bmp``, recursively); any crop of
            them is used. Defaults to ().
        procedural_prob (float): Probability of a procedural background
            (always when there is no image). Defaults to 0.4.
        min_crop (int): Smallest side of a crop, in source pixels.
            Defaults to 64.
        margin (int): Distance in pixels a crop keeps from the text
            polygons. Defaults to 6.
        cache_size (int): Most images (with their integral images) kept
            in memory. Defaults to 32.

    Raises:
        FileNotFoundError: The default toy set, an annotation file or a
            background folder does not exist.
        ValueError: An annotation file or an image cannot be read.
    """

    def __init__(self,
                 ann_files: Optional[Sequence[str]] = None,
                 bg_dirs: Sequence[str] = (),
                 procedural_prob: float = 0.4,
                 min_crop: int = 64,
                 margin: int = 6,
                 cache_size: int = 32) -> None:
        if not 0.0 <= procedural_prob <= 1.0:
            raise ValueError(
                f'procedural_prob must be in [0, 1], got {procedural_prob}')
        if min_crop < 1 or margin < 0 or cache_size < 1:
            raise ValueError('need min_crop >= 1, margin >= 0, cache_size '
                             f'>= 1, got {min_crop}, {margin}, {cache_size}')
        if ann_files is None:
            if not TOY_TRAIN_ANN.is_file():
                raise FileNotFoundError(
                    f'{TOY_TRAIN_ANN}: bundled toy training set not found '
                    '(pass ann_files, or ann_files=[] for none)')
            ann_files = [str(TOY_TRAIN_ANN)]
        if isinstance(ann_files, (str, Path)):
            ann_files = [str(ann_files)]
        if isinstance(bg_dirs, (str, Path)):
            bg_dirs = [str(bg_dirs)]
        self.procedural_prob = float(procedural_prob)
        self.min_crop = int(min_crop)
        self.margin = int(margin)
        self.cache_size = int(cache_size)
        # (path, polygons or None); None: a text-free image
        self.sources: List[Tuple[str, Optional[List[np.ndarray]]]] = []
        for ann_file in ann_files:
            self.sources += read_textdet_json(str(ann_file))
        for folder in bg_dirs:
            for path in _find_images(str(folder)):
                try:
                    with Image.open(path) as img:
                        img.verify()
                except Exception as err:
                    raise ValueError(
                        f'{path}: cannot read image: {err}') from err
                self.sources.append((path, None))
        # image index -> (image, integral image or None), LRU order
        self._cache: OrderedDict = OrderedDict()

    def __len__(self) -> int:
        """Number of source images (procedural ones not counted)."""
        return len(self.sources)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}({len(self)} images, '
                f'procedural_prob={self.procedural_prob})')

    def __getstate__(self) -> Dict:
        state = self.__dict__.copy()
        state['_cache'] = None  # dataloader workers reload lazily
        return state

    def __setstate__(self, state: Dict) -> None:
        self.__dict__.update(state)
        self._cache = OrderedDict()

    def _load(self, index: int) -> Tuple[np.ndarray, Optional[np.ndarray]]:
        """Image ``index`` (BGR) and the integral image of its text mask.

        Returns:
            tuple[np.ndarray, np.ndarray | None]: The image (H, W, 3) uint8
            and the int32 integral (H + 1, W + 1) of its dilated text mask,
            None for a text-free image.
        """
        item = self._cache.get(index)
        if item is not None:
            self._cache.move_to_end(index)
            return item
        path, polygons = self.sources[index]
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise ValueError(f'{path}: cannot read image')
        integral = None
        if polygons is not None:
            mask = text_mask(img.shape[:2], polygons, self.margin)
            integral = cv2.integral(mask, sdepth=cv2.CV_32S)
        item = (img, integral)
        self._cache[index] = item
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return item

    def _sample_real_rect(self,
                          rng: np.random.Generator,
                          image_index: int,
                          height: int,
                          width: int,
                          tries: int = 50) -> Optional[Rect]:
        """A random text-free rectangle of source image ``image_index``.

        Up to ``tries`` rectangles with sides >= ``min_crop`` and an aspect
        ratio within +-20% of ``width / height`` are drawn at once (sizes
        log-uniform, so small ones are frequent); the first one whose
        dilated-mask sum is 0 is returned.

        Returns:
            tuple[int, int, int, int] | None: ``(x, y, w, h)`` in source
            pixels, or None if no candidate is text-free.
        """
        img, integral = self._load(image_index)
        img_h, img_w = img.shape[:2]
        aspect = width / height * np.exp(rng.uniform(-0.2, 0.2, tries))
        lo = np.maximum(self.min_crop, np.ceil(self.min_crop / aspect))
        hi = np.minimum(img_h, np.floor(img_w / aspect))
        u = rng.random((3, tries))
        ok = lo <= hi
        if not ok.any():
            return None
        hi = np.maximum(hi, lo)
        crop_h = np.floor(
            np.exp(np.log(lo) + u[0] * (np.log(hi + 1) - np.log(lo)))).clip(
                lo, hi)
        crop_w = np.clip(np.round(crop_h * aspect), self.min_crop, img_w)
        crop_h = crop_h.astype(np.int64)
        crop_w = crop_w.astype(np.int64)
        ok &= crop_h <= img_h
        x = np.floor(u[1] * (img_w - crop_w + 1)).astype(np.int64)
        y = np.floor(u[2] * (img_h - crop_h + 1)).astype(np.int64)
        x = np.clip(x, 0, np.maximum(img_w - crop_w, 0))
        y = np.clip(y, 0, np.maximum(img_h - crop_h, 0))
        if integral is not None:
            s = integral
            x2 = np.minimum(x + crop_w, img_w)
            y2 = np.minimum(y + crop_h, img_h)
            text = s[y2, x2] - s[y, x2] - s[y2, x] + s[y, x]
            ok &= text == 0
        hits = np.flatnonzero(ok)
        if hits.size == 0:
            return None
        i = hits[0]
        return int(x[i]), int(y[i]), int(crop_w[i]), int(crop_h[i])

    def sample(
        self,
        rng: np.random.Generator,
        height: int,
        width: int,
        return_info: bool = False
    ) -> Union[np.ndarray, Tuple[np.ndarray, Dict]]:
        """A random background.

        Args:
            rng (np.random.Generator): Source of randomness.
            height (int): Output height, >= 1.
            width (int): Output width, >= 1.
            return_info (bool): Also return where the background comes
                from. Defaults to False.

        Returns:
            np.ndarray | tuple[np.ndarray, dict]: The BGR uint8 image of
            shape (height, width, 3); with ``return_info`` also a dict with
            ``source`` (image path or ``'procedural'``), ``index`` (source
            index or None), ``rect`` (``(x, y, w, h)`` crop in source
            pixels, or None) and ``flipped`` (bool).
        """
        height, width = int(height), int(width)
        if height < 1 or width < 1:
            raise ValueError(
                f'background size must be >= 1, got {height}x{width}')
        info = dict(source='procedural', index=None, rect=None, flipped=False)
        use_procedural = rng.random() < self.procedural_prob
        if self.sources and not use_procedural:
            index = int(rng.integers(len(self.sources)))
            rect = self._sample_real_rect(rng, index, height, width)
            if rect is not None:
                x, y, w, h = rect
                crop = self._load(index)[0][y:y + h, x:x + w]
                out = cv2.resize(
                    crop, (width, height), interpolation=cv2.INTER_LINEAR)
                flipped = bool(rng.random() < 0.5)
                if flipped:
                    out = cv2.flip(out, 1)
                info.update(
                    source=self.sources[index][0],
                    index=index,
                    rect=rect,
                    flipped=flipped)
                return (out, info) if return_info else out
        out = procedural_background(rng, height, width)
        return (out, info) if return_info else out
