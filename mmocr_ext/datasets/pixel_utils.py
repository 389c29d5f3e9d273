# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Helpers shared by the pixel-level OCR datasets and transforms (UPOCR).

Light: numpy, PIL and mmengine's logging only (no torch). Every reader
names the file it failed on.
"""
import logging
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.logging import print_log
from PIL import Image

from mmocr_ext.structures.pixel_ocr_data_sample import PIXEL_TASKS

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp',
                  '.gif')
# Modes holding more than 8 bits per sample: scaled (not clipped) to 8 bits.
WIDE_MODES = ('I;16', 'I;16L', 'I;16B', 'I;16N', 'I')


def check_task(task: str,
               task_list: Sequence[str] = PIXEL_TASKS,
               where: str = '') -> str:
    """Return ``task`` if it is in ``task_list``.

    Raises:
        ValueError: Naming the task, the list and ``where`` (a file or a
            class).
    """
    if task not in tuple(task_list):
        prefix = f'{where}: ' if where else ''
        raise ValueError(f'{prefix}unknown task {task!r}; the task list is '
                         f'{list(task_list)}')
    return task


def open_image(path: str) -> Image.Image:
    """``Image.open`` + ``load``; an unreadable file raises naming it.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: ``path`` is not a readable image.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such image file')
    try:
        img = Image.open(path)
        img.load()
    except Exception as e:  # PIL raises many types for broken files
        raise ValueError(f'{path}: cannot read the image ({e})') from e
    return img


def image_size(path: str) -> Tuple[int, int]:
    """``(width, height)`` from the file header (the pixels are not
    decoded).

    Raises:
        FileNotFoundError | ValueError: Naming the file.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such image file')
    try:
        with Image.open(path) as img:
            return img.size
    except Exception as e:
        raise ValueError(f'{path}: cannot read the image ({e})') from e


def wide_to_uint8(img: Image.Image) -> np.ndarray:
    """A 16/32-bit integer or float single-channel image as (H, W) uint8.

    Integer modes (``I;16*`` and ``I``) are read as 16-bit intensities and
    scaled by 255/65535 (rounded): 65535 -> 255, 257 -> 1. PIL's own
    ``convert('L')`` clips them at 255 instead. ``I`` values outside
    [0, 65535] are clipped first. Mode ``F`` is taken as [0, 255] floats,
    rounded and clipped.
    """
    arr = np.asarray(img)
    if img.mode == 'F':
        return np.clip(np.rint(arr), 0, 255).astype(np.uint8)
    arr = np.clip(arr.astype(np.float64), 0, 65535)
    return np.rint(arr * (255. / 65535.)).astype(np.uint8)


def pil_to_mode(img: Image.Image, mode: str) -> Image.Image:
    """``img.convert(mode)``, with wide images scaled to 8 bits first."""
    if img.mode in WIDE_MODES or img.mode == 'F':
        img = Image.fromarray(wide_to_uint8(img), mode='L')
    return img if img.mode == mode else img.convert(mode)


def read_rgb(path: str) -> np.ndarray:
    """(H, W, 3) uint8 RGB array of any image file (see :func:`pil_to_mode`;
    an alpha channel is dropped as by PIL's ``convert('RGB')``)."""
    return np.asarray(pil_to_mode(open_image(path), 'RGB')).copy()


def check_same_size(shape_a: Sequence[int], path_a: str,
                    shape_b: Sequence[int], path_b: str) -> None:
    """Raise if two (h, w, ...) shapes differ in h or w.

    Raises:
        ValueError: Naming both files and sizes (``width x height``).
    """
    if tuple(shape_a[:2]) != tuple(shape_b[:2]):
        raise ValueError(
            f'size mismatch: {path_a} is {shape_a[1]}x{shape_a[0]} but '
            f'{path_b} is {shape_b[1]}x{shape_b[0]} (width x height)')


def index_dir(folder: str,
              extensions: Optional[Sequence[str]] = None) -> Dict[str, str]:
    """``stem -> file name`` of a folder (sorted; several files with one
    stem map to the first name in sorted order).

    Raises:
        FileNotFoundError: ``folder`` is missing.
    """
    if not osp.isdir(folder):
        raise FileNotFoundError(f'{folder}: no such folder')
    index: Dict[str, str] = {}
    for name in sorted(os.listdir(folder)):
        stem, ext = osp.splitext(name)
        if extensions is not None and ext.lower() not in extensions:
            continue
        index.setdefault(stem, name)
    return index


def find_paired(folder: str, index: dict, name: str, stem: str,
                img_path: str) -> str:
    """The file of ``folder`` named ``name``, else the one with ``stem``
    (``index`` = :func:`index_dir` of ``folder``).

    Raises:
        FileNotFoundError: Naming the expected file and the image.
    """
    if osp.isfile(osp.join(folder, name)):
        return osp.join(folder, name)
    if stem in index:
        return osp.join(folder, index[stem])
    raise FileNotFoundError(
        f'{osp.join(folder, name)}: missing (no file with stem {stem!r} in '
        f'{folder} for image {img_path})')


def check_file_sizes(info: dict, keys: Sequence[str]) -> None:
    """Compare the header sizes of ``info['img_path']`` and ``info[k]``.

    Raises:
        ValueError: Naming both files and sizes.
    """
    size = image_size(info['img_path'])
    for key in keys:
        other = image_size(info[key])
        if other != size:
            raise ValueError(
                f'size mismatch: {info["img_path"]} is {size[0]}x{size[1]} '
                f'but {info[key]} is {other[0]}x{other[1]} (width x height)')


# Image-valued keys a geometric transform moves together, and the file each
# comes from (for error messages).
JOINT_KEYS = ('img', 'gt_img', 'gt_text_mask')
_KEY_FILES = dict(
    img='img_path',
    gt_img=('gt_path', 'seg_map_path', 'ann_path'),
    gt_text_mask='mask_path')


def _source(results: dict, key: str) -> str:
    names = _KEY_FILES[key]
    for name in (names, ) if isinstance(names, str) else names:
        if results.get(name):
            return f'{results[name]} ({key})'
    return key


def check_joint_sizes(results: dict) -> None:
    """Raise if ``gt_img`` or ``gt_text_mask`` differ in size from ``img``.

    Raises:
        ValueError: Naming both files (or keys) and sizes.
    """
    shape = results['img'].shape
    for key in JOINT_KEYS[1:]:
        if results.get(key) is not None:
            check_same_size(shape, _source(results, 'img'), results[key].shape,
                            _source(results, key))


def gt_sem_seg_from_target(gt_img: np.ndarray, task: str) -> np.ndarray:
    """The evaluation class map of a 3-channel target image.

    - ``'text_segmentation'``: 255 -> 1, 0 -> 0, anything else (the 128
      ignore) -> 255.
    - ``'tamper_detection'``: argmax over the channels (red 0, green 1,
      blue 2); pixels with three equal channels (the rotation fill) -> 255.

    Returns:
        np.ndarray: (H, W) int64.

    Raises:
        ValueError: Another task (removal has no class map).
    """
    if task == 'text_segmentation':
        chan = gt_img[..., 0]
        out = np.full(chan.shape, 255, np.int64)
        out[chan == 255] = 1
        out[chan == 0] = 0
        return out
    if task == 'tamper_detection':
        out = np.argmax(gt_img, axis=2).astype(np.int64)
        flat = (gt_img[..., 0] == gt_img[..., 1]) & (
            gt_img[..., 1] == gt_img[..., 2])
        out[flat] = 255
        return out
    raise ValueError(f'no evaluation class map for task {task!r} (only '
                     'text_segmentation and tamper_detection)')


class SkipLog:
    """Collects the samples a dataset skipped, or raises on the first one.

    Args:
        owner (str): Class name used in the messages.
        on_error (str): ``'raise'`` or ``'skip'``.
    """

    def __init__(self, owner: str, on_error: str) -> None:
        if on_error not in ('raise', 'skip'):
            raise ValueError(f'{owner}: on_error must be "raise" or "skip", '
                             f'got {on_error!r}')
        self.owner, self.on_error = owner, on_error
        self.skipped: List[str] = []

    def bad(self, error: Exception) -> None:
        """Raise ``error`` or record it."""
        if self.on_error == 'raise':
            raise error
        self.skipped.append(str(error))

    def report(self, total: int, kept: int, where: str) -> None:
        """Log how many of ``total`` samples were skipped and why.

        Raises:
            ValueError: No sample is left (naming ``where``): an empty
                dataset would only fail later, less clearly.
        """
        shown = '; '.join(self.skipped[:5])
        more = len(self.skipped) - 5
        why = f'{shown}' + (f' (+{more} more)' if more > 0 else '')
        if kept == 0:
            raise ValueError(
                f'{self.owner}: no usable sample in {where} ({total} found, '
                f'{len(self.skipped)} skipped' +
                (f': {why})' if self.skipped else ')'))
        if self.skipped:
            print_log(
                f'{self.owner}: skipped {len(self.skipped)} of {total} '
                f'samples: {why}',
                logger='current',
                level=logging.WARNING)
