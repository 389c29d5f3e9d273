# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""A word drawn flat in text space: colour, alpha and character boxes.

Glyphs are drawn one by one with Pillow's FreeType renderer, so every
character's box is the box of exactly the pixels drawn for it. Effects
(border, shadow, blur) stay within :attr:`WordLayer.reach` pixels of the ink,
which is what lets the word polygon contain every pixel the word changes.
"""
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont


@dataclass
class WordStyle:
    """How a word looks; one style re-renders another word alike (tamper).

    Attributes:
        fill (tuple): Text colour, BGR 0-255.
        border (int): Border width in pixels (0: none).
        border_color (tuple): BGR.
        shadow (tuple): Shadow offset (du, dv) in pixels; (0, 0): none.
        shadow_blur (float): Shadow Gaussian sigma.
        shadow_opacity (float): 0-1.
        blur (float): Gaussian sigma over the whole word (0: sharp).
        fill_noise (float): Std of per-pixel noise on the text colour.
        tracking (float): Extra spacing between characters, in pixels.
    """
    fill: Tuple[float, float, float] = (0., 0., 0.)
    border: int = 0
    border_color: Tuple[float, float, float] = (255., 255., 255.)
    shadow: Tuple[int, int] = (0, 0)
    shadow_blur: float = 0.
    shadow_opacity: float = 0.6
    blur: float = 0.
    fill_noise: float = 0.
    tracking: float = 0.

    @property
    def reach(self) -> int:
        """Max distance in pixels from the ink to any pixel an effect
        touches (Gaussian kernels are cut at 2 sigma)."""
        shadow = max(abs(self.shadow[0]), abs(self.shadow[1]))
        shadow += _kernel_radius(self.shadow_blur) if shadow else 0
        return self.border + shadow + _kernel_radius(self.blur)


@dataclass
class WordLayer:
    """A rendered word on its own canvas (text space).

    Attributes:
        text (str): The transcription.
        fill_alpha (np.ndarray): (H, W) float32 glyph coverage in [0, 1];
            :func:`paint_word` turns it into colour and alpha.
        ink_box (tuple): ``(u0, v0, u1, v1)`` tight box of the glyph pixels
            (exclusive right/bottom), before effects.
        char_boxes (np.ndarray): (n, 4) ``(u0, v0, u1, v1)`` per character,
            the box of the pixels drawn for it.
        baseline (float): Text-space ``v`` of the baseline.
        reach (int): The style's effect reach in pixels.
    """
    text: str
    fill_alpha: np.ndarray
    ink_box: Tuple[float, float, float, float]
    char_boxes: np.ndarray
    baseline: float
    reach: int


_METRICS: Dict[Tuple[str, int, str], Tuple[Tuple[int, ...], float]] = {}


def _glyph_metrics(font: ImageFont.FreeTypeFont,
                   ch: str) -> Tuple[Tuple[int, ...], float]:
    """``(bbox at anchor 'ls', advance)`` of one glyph, memoised."""
    key = (font.path, font.size, ch)
    value = _METRICS.get(key)
    if value is None:
        if len(_METRICS) > 200000:
            _METRICS.clear()
        value = (font.getbbox(ch, anchor='ls'), font.getlength(ch))
        _METRICS[key] = value
    return value


def _kernel_radius(sigma: float) -> int:
    return int(np.ceil(2 * sigma)) if sigma > 0 else 0


def _gaussian(img: np.ndarray, sigma: float) -> np.ndarray:
    if sigma <= 0:
        return img
    k = 2 * _kernel_radius(sigma) + 1
    return cv2.GaussianBlur(img, (k, k), sigma, borderType=cv2.BORDER_CONSTANT)


def render_word(text: str,
                font: ImageFont.FreeTypeFont,
                style: WordStyle,
                pad: int = 2) -> WordLayer:
    """Draw the glyphs of ``text`` flat, character by character.

    Args:
        text (str): Non-empty word without whitespace.
        font (FreeTypeFont): A font covering every character.
        style (WordStyle): Its ``tracking`` and effect reach size the canvas
            (colours are applied later by :func:`paint_word`).
        pad (int): Extra canvas margin beyond the effect reach.

    Returns:
        WordLayer: The canvas is the ink box grown by ``reach + pad`` (plus
        the font's full ascent/descent), so no effect is clipped.
    """
    if not text or any(c.isspace() for c in text):
        raise ValueError(f'a word must be non-empty without spaces: {text!r}')
    ascent, descent = font.getmetrics()
    margin = style.reach + pad
    offsets, x = [], 0.
    lefts, rights = [], []
    metrics = [_glyph_metrics(font, ch) for ch in text]
    for (left, _, right, _), advance in metrics:
        offsets.append(x)
        lefts.append(x + left)
        rights.append(x + right)
        x += advance + style.tracking
    u_min = min(0., min(lefts))
    width = int(np.ceil(max(rights) - u_min)) + 2 * margin + 2
    height = ascent + descent + 2 * margin + 2
    origin_u = margin + 1 - u_min
    baseline = margin + 1 + ascent

    canvas = Image.new('L', (width, height), 0)
    draw = ImageDraw.Draw(canvas)
    char_boxes = []
    for ch, off, (bbox, _) in zip(text, offsets, metrics):
        pos = (origin_u + off, baseline)
        draw.text(pos, ch, font=font, fill=255, anchor='ls')
        # What ImageDraw.textbbox returns for one glyph at ``pos``.
        char_boxes.append((pos[0] + bbox[0], pos[1] + bbox[1],
                           pos[0] + bbox[2], pos[1] + bbox[3]))
    bbox = canvas.getbbox()  # of the nonzero pixels, right/bottom exclusive
    if bbox is None:
        raise ValueError(f'{text!r} draws no pixels in {font.path}')
    ink_box = tuple(float(v) for v in bbox)
    fill_alpha = np.asarray(canvas, dtype=np.float32) / 255.
    boxes = np.asarray(char_boxes, dtype=np.float32).reshape(-1, 4)
    # Glyph boxes from FreeType metrics can exceed the ink by a pixel; keep
    # them inside the word's ink and at least one pixel wide.
    boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(ink_box[0], ink_box[2])
    boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(ink_box[1], ink_box[3])
    boxes[:, 2] = np.maximum(boxes[:, 2], boxes[:, 0] + 1)
    boxes[:, 3] = np.maximum(boxes[:, 3], boxes[:, 1] + 1)

    return WordLayer(text, fill_alpha, ink_box, boxes, float(baseline),
                     style.reach)


def paint_word(
    layer: WordLayer,
    style: WordStyle,
    rng: Optional[np.random.Generator] = None
) -> Tuple[np.ndarray, np.ndarray]:
    """Colour a rendered word: shadow, then border, then fill, then blur.

    Args:
        layer (WordLayer): From :func:`render_word` with the same style
            reach.
        style (WordStyle): Colours and effects.
        rng (np.random.Generator, optional): For the fill noise.

    Returns:
        tuple: ``premult`` (H, W, 3) float32 colour x alpha and ``alpha``
        (H, W) float32 in [0, 1], nonzero only within ``style.reach``
        pixels of the ink.
    """
    if style.reach > layer.reach:
        raise ValueError('the style reaches beyond the canvas it was '
                         f'rendered for ({style.reach} > {layer.reach})')
    return _apply_style(layer.fill_alpha, style, rng)


def _over(dst_p: np.ndarray, dst_a: np.ndarray, color: np.ndarray,
          alpha: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Premultiplied ``src over dst`` with a source of one colour."""
    keep = 1. - alpha
    return (color * alpha[..., None] + dst_p * keep[..., None],
            alpha + dst_a * keep)


def _apply_style(
        fill_alpha: np.ndarray, style: WordStyle,
        rng: Optional[np.random.Generator]) -> Tuple[np.ndarray, np.ndarray]:
    h, w = fill_alpha.shape
    premult = np.zeros((h, w, 3), np.float32)
    alpha = np.zeros((h, w), np.float32)
    body = fill_alpha
    if style.border > 0:
        k = 2 * style.border + 1
        body = cv2.dilate(fill_alpha,
                          cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    du, dv = style.shadow
    if du or dv:
        shadow = np.zeros_like(body)
        src = body[max(0, -dv):h - max(0, dv), max(0, -du):w - max(0, du)]
        shadow[max(0, dv):max(0, dv) + src.shape[0],
               max(0, du):max(0, du) + src.shape[1]] = src
        shadow = _gaussian(shadow, style.shadow_blur) * style.shadow_opacity
        premult, alpha = _over(premult, alpha, np.zeros(3, np.float32), shadow)
    if style.border > 0:
        premult, alpha = _over(premult, alpha,
                               np.asarray(style.border_color, np.float32),
                               body)
    color = np.asarray(style.fill, np.float32)
    if style.fill_noise > 0 and rng is not None:
        noisy = rng.standard_normal((h, w, 3), dtype=np.float32)
        noisy *= style.fill_noise
        noisy += color
        color = np.clip(noisy, 0, 255, out=noisy)
    premult, alpha = _over(premult, alpha, color, fill_alpha)
    if style.blur > 0:
        premult = _gaussian(premult, style.blur)
        alpha = _gaussian(alpha, style.blur)
    return premult.astype(np.float32), alpha.astype(np.float32)


def luma(bgr: np.ndarray) -> np.ndarray:
    """ITU-R BT.601 luma of BGR values (any leading shape)."""
    return bgr[..., 0] * 0.114 + bgr[..., 1] * 0.587 + bgr[..., 2] * 0.299


def contrasting_color(rng: np.random.Generator,
                      bg_luma: float,
                      min_delta: float = 90.) -> Tuple[float, float, float]:
    """A random colour whose luma differs from ``bg_luma`` by >= min_delta
    (or is black/white when the background is mid-grey)."""
    if bg_luma > 127.5:
        target = rng.uniform(0., max(0., bg_luma - min_delta))
    else:
        target = rng.uniform(min(255., bg_luma + min_delta), 255.)
    c = rng.uniform(0., 255., 3)
    y = float(luma(c))
    if y > target:
        c = c * (target / max(y, 1e-6))
    else:
        c = 255. - (255. - c) * ((255. - target) / max(255. - y, 1e-6))
    return tuple(float(v) for v in np.clip(c, 0, 255))
