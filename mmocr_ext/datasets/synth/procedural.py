# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Procedural backgrounds: :func:`procedural_background`.

1-2 blended layers of linear gradients, multi-octave smooth value noise and
non-text textures (stripes, checkerboards, sinusoidal gratings, filled
rectangles and circles, long thin lines; shapes are kept large so that they
do not look like characters). A 640x640 one takes a few milliseconds on one
core.
"""
from typing import Optional, Tuple

import cv2
import numpy as np

# Procedural layer kinds and their probabilities.
LAYERS = ('gradient', 'noise', 'grating', 'stripes', 'checker', 'clutter')
LAYER_PROBS = (0.25, 0.3, 0.1, 0.1, 0.1, 0.15)


def _color(rng: np.random.Generator) -> np.ndarray:
    """A random BGR colour (3,) float64, saturation reduced at random."""
    color = rng.uniform(0, 255, 3)
    gray = color.mean()
    return gray + rng.uniform(0.2, 1.0) * (color - gray)


def _palette(rng: np.random.Generator) -> np.ndarray:
    """A (256, 1, 3) uint8 LUT through 2 or 3 random colours."""
    n = 2 + int(rng.random() < 0.3)
    stops = np.linspace(0, 255, n)
    colors = np.stack([_color(rng) for _ in range(n)])
    lut = [np.interp(np.arange(256), stops, colors[:, c]) for c in range(3)]
    return np.stack(lut, -1).reshape(256, 1, 3).round().astype(np.uint8)


def _projection(rng: np.random.Generator,
                h: int,
                w: int,
                period: float,
                both: bool = False) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """Pixel coordinates along a random direction and across it, in periods.

    Returns:
        tuple[np.ndarray, np.ndarray | None]: float32 (h, w) coordinates
        along the direction and, if ``both``, across it (else None).
    """
    theta = rng.uniform(0, np.pi)
    cos, sin = np.cos(theta) / period, np.sin(theta) / period
    xs = np.arange(w, dtype=np.float32)
    ys = np.arange(h, dtype=np.float32)[:, None]
    along = xs * np.float32(cos) + ys * np.float32(sin)
    if not both:
        return along, None
    return along, ys * np.float32(cos) - xs * np.float32(sin)


def _value_map(rng: np.random.Generator, kind: str, h: int,
               w: int) -> np.ndarray:
    """A uint8 pattern of one layer kind (not ``clutter``) for an (h, w) image.

    The pattern is computed at a reduced size (smooth kinds: coarse grids;
    gratings: a quarter; stripes and checkerboards: half the size) and is
    meant to be resized to (h, w) with linear interpolation.
    """
    short = min(h, w)
    if kind == 'noise':
        cells = rng.uniform(2, 6)  # coarsest grid cells along the short side
        octaves = int(rng.integers(2, 5))
        persistence = rng.uniform(0.35, 0.7)

        def grid_size(n: float) -> Tuple[int, int]:
            return (max(2, round(n * w / short)) + 1,
                    max(2, round(n * h / short)) + 1)

        size = grid_size(4 * cells * 2**(octaves - 1))
        total = np.zeros(size[::-1], np.float32)
        for k in range(octaves):
            grid = rng.random(grid_size(cells * 2**k)[::-1], np.float32)
            total += np.float32(persistence**k) * cv2.resize(
                grid, size, interpolation=cv2.INTER_CUBIC)
        lo, hi = float(total.min()), float(total.max())
        scale = 255 / max(hi - lo, 1e-6)
        return cv2.convertScaleAbs(total, alpha=scale, beta=-lo * scale)
    factor = {'gradient': 8, 'grating': 4}.get(kind, 2)
    sh, sw = max(1, -(-h // factor)), max(1, -(-w // factor))
    if kind == 'gradient':
        along, _ = _projection(rng, sh, sw, 1.0)
        lo, hi = float(along.min()), float(along.max())
        scale = 255 / max(hi - lo, 1e-6)
        return cv2.convertScaleAbs(along, alpha=scale, beta=-lo * scale)
    period = rng.uniform(0.03, 0.25) * max(h, w) / factor
    along, across = _projection(rng, sh, sw, period, kind == 'checker')
    if kind == 'grating':
        wave = along * np.float32(2 * np.pi) + np.float32(
            rng.uniform(0, 2 * np.pi))
        return cv2.convertScaleAbs(np.sin(wave), alpha=127.5, beta=127.5)
    duty = rng.uniform(0.3, 0.7) if kind == 'stripes' else 0.5
    bands = (along - np.floor(along)) < duty
    if kind == 'checker':
        bands ^= (across - np.floor(across)) < duty
    return bands.view(np.uint8) * np.uint8(255)


def _clutter(rng: np.random.Generator, img: np.ndarray) -> np.ndarray:
    """Draw large filled rectangles and circles and long thin lines."""
    h, w = img.shape[:2]
    side = min(h, w)
    for _ in range(int(rng.integers(3, 12))):
        color = tuple(float(c) for c in _color(rng))
        kind = rng.random()
        x, y = int(rng.integers(w)), int(rng.integers(h))
        if kind < 0.4:
            bw, bh = (rng.uniform(0.1, 0.6, 2) * (w, h)).astype(int)
            cv2.rectangle(img, (x - bw // 2, y - bh // 2),
                          (x + bw // 2, y + bh // 2), color, -1)
        elif kind < 0.7:
            radius = int(rng.uniform(0.05, 0.3) * side)
            cv2.circle(img, (x, y), radius, color, -1, cv2.LINE_AA)
        else:
            length = rng.uniform(0.3, 1.0) * np.hypot(h, w)
            angle = rng.uniform(0, np.pi)
            dx, dy = length * np.cos(angle) / 2, length * np.sin(angle) / 2
            cv2.line(img, (int(x - dx), int(y - dy)),
                     (int(x + dx), int(y + dy)), color,
                     int(rng.integers(1,
                                      max(2, side // 100) + 1)), cv2.LINE_AA)
    return img


def procedural_background(rng: np.random.Generator, height: int,
                          width: int) -> np.ndarray:
    """A random text-free synthetic background.

    One or two layers (linear gradient, smooth value noise, sinusoidal
    grating, stripes, checkerboard, clutter of shapes and lines) coloured by
    random palettes and alpha-blended, sometimes slightly blurred.

    Args:
        rng (np.random.Generator): Source of randomness.
        height (int): Output height, >= 1.
        width (int): Output width, >= 1.

    Returns:
        np.ndarray: BGR uint8 image of shape (height, width, 3).
    """
    img = None
    for _ in range(1 + int(rng.random() < 0.5)):
        kind = LAYERS[int(rng.choice(len(LAYERS), p=LAYER_PROBS))]
        if kind == 'clutter':
            base = img.copy() if img is not None else np.empty(
                (height, width, 3), np.uint8)
            if img is None:
                base[:] = _color(rng).round().astype(np.uint8)
            layer = _clutter(rng, base)
        else:
            gray = _value_map(rng, kind, height, width)
            layer = cv2.resize(
                cv2.LUT(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), _palette(rng)),
                (width, height),
                interpolation=cv2.INTER_LINEAR)
        if img is None:
            img = layer
        else:
            alpha = rng.uniform(0.2, 0.6)
            img = cv2.addWeighted(img, 1 - alpha, layer, alpha, 0)
    if rng.random() < 0.5:
        img = cv2.GaussianBlur(img, (3, 3), 0)
    return img
