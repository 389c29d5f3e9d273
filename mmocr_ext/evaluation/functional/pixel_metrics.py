# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Per-image text-removal metrics of UPOCR (spec-upocr.md section 6.1).

Pure numpy + scipy. The definitions follow the legacy EraseNet evaluation
script that UPOCR ships (``eval/text_removal/evaluation.py``):

* images are RGB floats in ``[0, 1]`` (``ToTensor`` after a PIL bicubic
  ``Resize(512)``; see :func:`read_removal_image`);
* MSE and PSNR are computed on the ``[0, 1]`` RGB values;
* AGE, pEPs and pCEPs are computed on the rounded absolute difference of the
  luma ``Y = 0.299 R + 0.587 G + 0.114 B`` scaled to ``0..255``;
* MSSIM is the script's buggy "MS-SSIM" (:func:`official_mssim`), which
  evaluates all five scales on the full-resolution image. A correct
  multi-scale SSIM (:func:`ms_ssim`) is provided beside it.

The per-image values are averaged by :class:`TextRemovalAccumulator`, which
skips images with ``MSE == 0`` exactly like the official script. The SSIM
family lives in :mod:`.pixel_ssim` and is re-exported here.
"""
import math
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np
from scipy import ndimage

from .pixel_ssim import (MS_SSIM_WEIGHTS, fspecial_gauss, ms_ssim,
                         official_mssim, ssim_and_cs)

#: The official script divides pixel counts by 512 * 512 (hard-coded).
OFFICIAL_NUM_PIXELS: int = 512 * 512
#: Luma coefficients (ITU-R BT.601) used for AGE / pEPs / pCEPs / MSSIM.
LUMA_COEFFS: Tuple[float, float, float] = (0.299, 0.587, 0.114)
#: A pixel is an error pixel when its grey-level difference exceeds this.
EPS_THRESHOLD: int = 20
#: 4-connected cross structuring element used by pCEPs.
CROSS_3X3: np.ndarray = ndimage.generate_binary_structure(2, 1)

ArrayLike = Union[np.ndarray, Sequence]


def _as_float(img: ArrayLike) -> np.ndarray:
    """Convert to a float array, keeping float32 inputs in float32.

    ``ToTensor`` yields float32, so float32 inputs are kept as is for
    parity; integer inputs are promoted to float64.
    """
    arr = np.asarray(img)
    return arr.astype(np.result_type(arr.dtype, np.float32), copy=False)


def _check_pair(gt: np.ndarray, pred: np.ndarray, ndim: int) -> None:
    if gt.shape != pred.shape:
        raise ValueError(f'shape mismatch: gt {gt.shape} vs pred '
                         f'{pred.shape}')
    if gt.ndim != ndim:
        raise ValueError(f'expected {ndim}-D arrays, got shape {gt.shape}')


def rgb_to_luma(img: ArrayLike) -> np.ndarray:
    """Luma ``Y = 0.299 R + 0.587 G + 0.114 B``.

    Args:
        img: ``(H, W, 3)`` RGB float array (any range).

    Returns:
        np.ndarray: ``(H, W)`` float array in the same range and dtype.
    """
    arr = _as_float(img)
    if arr.ndim != 3 or arr.shape[-1] != 3:
        raise ValueError(f'expected (H, W, 3) RGB, got shape {arr.shape}')
    r, g, b = LUMA_COEFFS
    return r * arr[..., 0] + g * arr[..., 1] + b * arr[..., 2]


def mse(gt: ArrayLike, pred: ArrayLike) -> float:
    """Mean squared error over all pixels and channels.

    Args:
        gt: ``(H, W, 3)`` float RGB in ``[0, 1]``.
        pred: same shape and range as ``gt``.

    Returns:
        float: ``mean((gt - pred) ** 2)`` (in ``[0, 1]`` units).
    """
    g, p = _as_float(gt), _as_float(pred)
    _check_pair(g, p, g.ndim)
    return float(np.mean((g - p)**2))


def psnr_from_mse(mse_value: float) -> float:
    """PSNR in dB for a peak value of 1: ``10 * log10(1 / MSE)``.

    Returns ``inf`` for ``MSE == 0`` (such images are skipped by
    :class:`TextRemovalAccumulator`, as in the official script).
    """
    if mse_value == 0:
        return math.inf
    return 10.0 * math.log10(1.0 / mse_value)


def psnr(gt: ArrayLike, pred: ArrayLike) -> float:
    """PSNR in dB of two ``[0, 1]`` images; see :func:`psnr_from_mse`."""
    return psnr_from_mse(mse(gt, pred))


def grey_diff(gt: ArrayLike, pred: ArrayLike) -> np.ndarray:
    """Rounded absolute luma difference in grey levels.

    Args:
        gt: ``(H, W, 3)`` float RGB in ``[0, 1]``.
        pred: same shape and range as ``gt``.

    Returns:
        np.ndarray: ``(H, W)`` uint8
        ``round(|255 * Y_pred - 255 * Y_gt|)`` (round half to even).
    """
    yg, yp = rgb_to_luma(gt), rgb_to_luma(pred)
    _check_pair(yg, yp, 2)
    return np.round(np.abs(255 * yp - 255 * yg)).astype(np.uint8)


def age(diff: np.ndarray) -> float:
    """Average grey-level error: ``mean(diff)`` (0-255).

    Args:
        diff: ``(H, W)`` uint8 from :func:`grey_diff`.
    """
    return float(np.mean(diff, dtype=np.float64))


def error_map(diff: np.ndarray, threshold: int = EPS_THRESHOLD) -> np.ndarray:
    """``(H, W)`` bool map of error pixels: ``diff > threshold``."""
    return np.asarray(diff) > threshold


def peps(diff: np.ndarray,
         num_pixels: Optional[int] = OFFICIAL_NUM_PIXELS,
         threshold: int = EPS_THRESHOLD) -> float:
    """Percentage of error pixels, as a fraction.

    Args:
        diff: ``(H, W)`` uint8 from :func:`grey_diff`.
        num_pixels: denominator; the official script hard-codes
            ``512 * 512``. ``None`` uses ``H * W``.
        threshold: error threshold in grey levels (``>``, not ``>=``).

    Returns:
        float: ``#(diff > threshold) / num_pixels``.
    """
    denom = diff.size if num_pixels is None else num_pixels
    return float(np.count_nonzero(error_map(diff, threshold))) / denom


def pceps(diff: np.ndarray,
          num_pixels: Optional[int] = OFFICIAL_NUM_PIXELS,
          threshold: int = EPS_THRESHOLD,
          border_value: bool = False) -> float:
    """Percentage of clustered error pixels, as a fraction.

    The error map ``diff > threshold`` is eroded with the 4-connected
    3x3 cross; the surviving pixels are counted.

    Args:
        diff: ``(H, W)`` uint8 from :func:`grey_diff`.
        num_pixels: denominator, see :func:`peps`.
        threshold: error threshold in grey levels.
        border_value: value assumed outside the image during erosion.
            ``False`` (scipy's default) erodes error pixels on the image
            border; ``True`` (skimage / MATLAB ``imerode`` behaviour) does
            not. The spec does not say which one the official script uses.

    Returns:
        float: ``#erode(diff > threshold) / num_pixels``.
    """
    denom = diff.size if num_pixels is None else num_pixels
    eroded = ndimage.binary_erosion(
        error_map(diff, threshold),
        structure=CROSS_3X3,
        border_value=int(border_value))
    return float(np.count_nonzero(eroded)) / denom


# --------------------------------------------------------------------------
# Per-image bundle, dataset accumulator and image reader
# --------------------------------------------------------------------------

REMOVAL_METRICS: Tuple[str,
                       ...] = ('PSNR', 'MSSIM', 'MSE', 'AGE', 'pEPs', 'pCEPs')


def text_removal_metrics(gt: ArrayLike,
                         pred: ArrayLike,
                         num_pixels: Optional[int] = OFFICIAL_NUM_PIXELS,
                         pceps_border_value: bool = False) -> Dict[str, float]:
    """All per-image removal metrics of spec section 6.1.

    Args:
        gt: ``(H, W, 3)`` float RGB in ``[0, 1]`` (ground truth).
        pred: same shape and range (prediction).
        num_pixels: pEPs/pCEPs denominator (official: ``512 * 512``;
            ``None`` uses ``H * W``).
        pceps_border_value: see :func:`pceps`.

    Returns:
        dict[str, float]: keys :data:`REMOVAL_METRICS`. ``MSE`` is in
        ``[0, 1]`` units, ``AGE`` in grey levels, pEPs/pCEPs and MSSIM as
        fractions. For ``MSE == 0`` only ``MSE`` (0) and ``PSNR`` (inf)
        are filled; the others are ``nan`` (the image is skipped).
    """
    g, p = _as_float(gt), _as_float(pred)
    _check_pair(g, p, 3)
    m = mse(g, p)
    out = dict.fromkeys(REMOVAL_METRICS, math.nan)
    out['MSE'] = m
    out['PSNR'] = psnr_from_mse(m)
    if m == 0:
        return out
    diff = grey_diff(g, p)
    out['AGE'] = age(diff)
    out['pEPs'] = peps(diff, num_pixels)
    out['pCEPs'] = pceps(diff, num_pixels, border_value=pceps_border_value)
    out['MSSIM'] = official_mssim(255 * rgb_to_luma(g), 255 * rgb_to_luma(p))
    return out


class TextRemovalAccumulator:
    """Dataset average of :func:`text_removal_metrics`.

    Images with ``MSE == 0`` are not counted for any metric (their MSE of
    0 would add nothing to the MSE sum anyway). If no image is counted,
    every mean is ``nan``.

    Args:
        num_pixels: passed to :func:`text_removal_metrics`.
        pceps_border_value: passed to :func:`text_removal_metrics`.
    """

    def __init__(self,
                 num_pixels: Optional[int] = OFFICIAL_NUM_PIXELS,
                 pceps_border_value: bool = False) -> None:
        self.num_pixels = num_pixels
        self.pceps_border_value = pceps_border_value
        self.sums = dict.fromkeys(REMOVAL_METRICS, 0.0)
        self.count = 0
        self.skipped = 0

    def add(self, gt: ArrayLike, pred: ArrayLike) -> Dict[str, float]:
        """Evaluate one ``(H, W, 3)`` pair in ``[0, 1]``; returns its row."""
        row = text_removal_metrics(gt, pred, self.num_pixels,
                                   self.pceps_border_value)
        self.add_row(row)
        return row

    def add_row(self, row: Dict[str, float]) -> None:
        """Add precomputed per-image metrics (e.g. from worker processes)."""
        if row['MSE'] == 0:
            self.skipped += 1
            return
        self.count += 1
        for key in REMOVAL_METRICS:
            self.sums[key] += row[key]

    def summarize(self) -> Dict[str, float]:
        """Mean of every metric over the counted images."""
        if self.count == 0:
            return dict.fromkeys(REMOVAL_METRICS, math.nan)
        return {k: v / self.count for k, v in self.sums.items()}


def read_removal_image(path: str, size: Optional[int] = 512) -> np.ndarray:
    """Read an image like the official script: PIL RGB, Resize, ToTensor.

    ``torchvision.transforms.Resize(size)`` with an int size maps the
    shorter side to ``size`` (long side ``int(size * long / short)``) with
    PIL BICUBIC, and is a no-op when the size already matches.

    Args:
        path: image file.
        size: shorter-side target, or ``None`` for no resize.

    Returns:
        np.ndarray: ``(H, W, 3)`` float32 in ``[0, 1]``.
    """
    from PIL import Image
    with Image.open(path) as im:
        img = im.convert('RGB')
    if size is not None:
        w, h = img.size
        short, long = (w, h) if w <= h else (h, w)
        new_long = int(size * long / short)
        new_w, new_h = (size, new_long) if w <= h else (new_long, size)
        if (new_w, new_h) != (w, h):
            img = img.resize((new_w, new_h), Image.BICUBIC)
    return np.asarray(img, dtype=np.float32) / np.float32(255.0)


__all__ = [
    'MS_SSIM_WEIGHTS', 'OFFICIAL_NUM_PIXELS', 'REMOVAL_METRICS',
    'TextRemovalAccumulator', 'age', 'error_map', 'fspecial_gauss',
    'grey_diff', 'ms_ssim', 'mse', 'official_mssim', 'pceps', 'peps', 'psnr',
    'psnr_from_mse', 'read_removal_image', 'rgb_to_luma', 'ssim_and_cs',
    'text_removal_metrics'
]
