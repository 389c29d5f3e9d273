# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""SSIM family for the UPOCR text-removal metric (spec-upocr.md section 6.1).

A numpy/scipy port of the TensorFlow ``msssim.py`` used by the legacy
EraseNet evaluation script: :func:`ssim_and_cs` (Gaussian 11x11, sigma 1.5,
'valid' FFT convolution), the script's buggy :func:`official_mssim` and a
correct :func:`ms_ssim` (Wang et al., 2003).
"""
from typing import Sequence, Tuple, Union

import numpy as np
from scipy import ndimage, signal

#: Wang et al. (2003) MS-SSIM exponents, finest scale first.
MS_SSIM_WEIGHTS: Tuple[float, ...] = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)

ArrayLike = Union[np.ndarray, Sequence]


def _check_pair(a: np.ndarray, b: np.ndarray) -> None:
    if a.shape != b.shape:
        raise ValueError(f'shape mismatch: {a.shape} vs {b.shape}')
    if a.ndim != 2:
        raise ValueError(f'expected (H, W) arrays, got shape {a.shape}')


def fspecial_gauss(size: int, sigma: float) -> np.ndarray:
    """Normalised ``(size, size)`` float64 Gaussian window (MATLAB-like).

    Even sizes are centred between pixels, as in the reference code.
    """
    radius = size // 2
    offset, start, stop = 0.0, -radius, radius + 1
    if size % 2 == 0:
        offset = 0.5
        stop -= 1
    x, y = np.mgrid[offset + start:stop, offset + start:stop]
    g = np.exp(-((x**2 + y**2) / (2.0 * sigma**2)))
    return g / g.sum()


def ssim_and_cs(img1: ArrayLike,
                img2: ArrayLike,
                max_val: float = 255.0,
                filter_size: int = 11,
                filter_sigma: float = 1.5,
                k1: float = 0.01,
                k2: float = 0.03) -> Tuple[float, float]:
    """Mean SSIM and mean contrast-structure term of two grey images.

    Gaussian window (``filter_size``, ``filter_sigma``; shrunk to
    ``min(filter_size, H, W)`` with proportionally scaled sigma for tiny
    images), ``'valid'`` FFT convolution, population (co)variances.

    Args:
        img1: ``(H, W)`` float, range ``0..max_val``.
        img2: same shape as ``img1``.
        max_val: dynamic range ``L``.
        filter_size: Gaussian window size (0 disables filtering).
        filter_sigma: Gaussian sigma.
        k1: SSIM ``K1``.
        k2: SSIM ``K2``.

    Returns:
        tuple[float, float]: ``(mean SSIM map, mean cs map)`` over the
        valid region.
    """
    a = np.asarray(img1, dtype=np.float64)
    b = np.asarray(img2, dtype=np.float64)
    _check_pair(a, b)
    height, width = a.shape
    size = min(filter_size, height, width)
    if filter_size:
        sigma = size * filter_sigma / filter_size
        window = fspecial_gauss(size, sigma)

        def conv(x: np.ndarray) -> np.ndarray:
            return signal.fftconvolve(x, window, mode='valid')

        mu1, mu2 = conv(a), conv(b)
        sigma11, sigma22, sigma12 = conv(a * a), conv(b * b), conv(a * b)
    else:
        mu1, mu2 = a, b
        sigma11, sigma22, sigma12 = a * a, b * b, a * b
    mu11, mu22, mu12 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    sigma11 = sigma11 - mu11
    sigma22 = sigma22 - mu22
    sigma12 = sigma12 - mu12
    c1 = (k1 * max_val)**2
    c2 = (k2 * max_val)**2
    v1 = 2.0 * sigma12 + c2
    v2 = sigma11 + sigma22 + c2
    ssim = np.mean(((2.0 * mu12 + c1) * v1) / ((mu11 + mu22 + c1) * v2))
    cs = np.mean(v1 / v2)
    return float(ssim), float(cs)


def _combine(mssim: Sequence[float], mcs: Sequence[float],
             weights: np.ndarray) -> float:
    """``prod(mcs[:-1] ** w[:-1]) * mssim[-1] ** w[-1]`` as in the script.

    Negative bases with fractional exponents give ``nan`` (numpy
    semantics, kept for parity with the reference code).
    """
    mssim_a = np.asarray(mssim, dtype=np.float64)
    mcs_a = np.asarray(mcs, dtype=np.float64)
    with np.errstate(invalid='ignore'):
        value = (
            np.prod(mcs_a[:-1]**weights[:-1]) * (mssim_a[-1]**weights[-1]))
    return float(value)


def official_mssim(img1: ArrayLike,
                   img2: ArrayLike,
                   max_val: float = 255.0,
                   filter_size: int = 11,
                   filter_sigma: float = 1.5,
                   k1: float = 0.01,
                   k2: float = 0.03,
                   weights: Sequence[float] = MS_SSIM_WEIGHTS) -> float:
    """Bug-compatible "MS-SSIM" of the legacy EraseNet/UPOCR script.

    The script downsamples the images in its loop but never feeds the
    downsampled ones back, so every "scale" is the full image and

    ``official_mssim = cs ** (w1 + w2 + w3 + w4) * ssim ** w5
    = cs ** 0.8668 * ssim ** 0.1333``

    with ``(ssim, cs) = ssim_and_cs(img1, img2)``. The script computes
    the same full-resolution ``(ssim, cs)`` at each of its scales; it is
    computed once here and used for every scale, which gives the script's
    products bit for bit (same inputs, same operations) at a fifth of the
    cost.

    Args:
        img1: ``(H, W)`` float, the ground-truth luma times 255.
        img2: ``(H, W)`` float, the predicted luma times 255.
        max_val: dynamic range ``L``.
        filter_size: see :func:`ssim_and_cs`.
        filter_sigma: see :func:`ssim_and_cs`.
        k1: see :func:`ssim_and_cs`.
        k2: see :func:`ssim_and_cs`.
        weights: per-scale exponents, finest first.

    Returns:
        float: the buggy MS-SSIM; ``nan`` if ``cs < 0`` or ``ssim < 0``.
    """
    w = np.asarray(weights, dtype=np.float64)
    # Bug-for-bug: every "scale" is the full-resolution pair.
    s, c = ssim_and_cs(img1, img2, max_val, filter_size, filter_sigma, k1, k2)
    return _combine([s] * w.size, [c] * w.size, w)


def _downsample2(img: np.ndarray) -> np.ndarray:
    """2x2 box filter (reflect border) then keep every second pixel."""
    kernel = np.full((2, 2), 0.25)
    return ndimage.convolve(img, kernel, mode='reflect')[::2, ::2]


def ms_ssim(img1: ArrayLike,
            img2: ArrayLike,
            max_val: float = 255.0,
            filter_size: int = 11,
            filter_sigma: float = 1.5,
            k1: float = 0.01,
            k2: float = 0.03,
            weights: Sequence[float] = MS_SSIM_WEIGHTS) -> float:
    """Correct multi-scale SSIM (Wang, Simoncelli and Bovik, 2003).

    ``prod_{j<M} cs_j ** w_j * ssim_M ** w_M`` where scale ``j + 1`` is
    scale ``j`` box-filtered 2x2 and subsampled by 2.

    Args:
        img1: ``(H, W)`` float, range ``0..max_val``.
        img2: same shape as ``img1``.
        max_val: dynamic range ``L``.
        filter_size: see :func:`ssim_and_cs`.
        filter_sigma: see :func:`ssim_and_cs`.
        k1: see :func:`ssim_and_cs`.
        k2: see :func:`ssim_and_cs`.
        weights: per-scale exponents, finest first; ``(1.0,)`` gives
            single-scale SSIM.

    Returns:
        float: MS-SSIM (``1`` for identical images; ``nan`` if a
        combined term is negative).
    """
    w = np.asarray(weights, dtype=np.float64)
    a = np.asarray(img1, dtype=np.float64)
    b = np.asarray(img2, dtype=np.float64)
    _check_pair(a, b)
    mssim, mcs = [], []
    for level in range(w.size):
        s, c = ssim_and_cs(a, b, max_val, filter_size, filter_sigma, k1, k2)
        mssim.append(s)
        mcs.append(c)
        if level + 1 < w.size:
            a, b = _downsample2(a), _downsample2(b)
    return _combine(mssim, mcs, w)
