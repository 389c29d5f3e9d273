# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""One render, the ground truth of every task: :class:`SynthRenderer`."""
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

from .geometry import (WordWarp, box_corners, box_outline, max_chord_gap,
                       perspective_jitter, rotation, translation)
from .sample import SynthSample, SynthWord
from .word import (WordLayer, WordStyle, contrasting_color, luma, paint_word,
                   render_word)

# Pixels whose alpha is below this cannot change a uint8 value (the
# composite moves by at most alpha * 255 < 0.5), so the text mask, which is
# alpha >= this, contains every pixel that differs from the background.
MASK_ALPHA = 0.5 / 255.


@dataclass
class _Placed:
    layer: WordLayer
    style: WordStyle
    warp: WordWarp
    font_index: int
    font_size: int
    word: SynthWord
    region: Tuple[int, int, int, int] = (0, 0, 0, 0)
    premult: Optional[np.ndarray] = None
    alpha: Optional[np.ndarray] = None


class SynthRenderer:
    """Composites words onto backgrounds, recording exact ground truth.

    ``render(seed, index)`` is a pure function of its arguments and the
    renderer's settings: the same pair gives byte-identical arrays.

    Args:
        fonts (FontPool): Fonts; a word only gets a font covering it.
        lexicon (Lexicon): Words.
        backgrounds (BackgroundPool): Backgrounds.
        height (int): Image height. Defaults to 640.
        width (int): Image width. Defaults to 640.
        num_words (tuple): Min and max words tried per image.
        font_size (tuple): Min and max font size as a fraction of the
            image's shorter side (log-uniform).
        rotate_prob (float): Probability of a rotation in
            ``[-max_angle, max_angle]`` degrees.
        perspective_prob (float): Probability of a perspective warp moving
            each corner up to ``perspective_strength`` x half the height.
        curve_prob (float): Probability that a long enough word is curved
            (arc or sine baseline, ``2 * curve_points`` polygon points).
        border_prob, shadow_prob, blur_prob, fill_noise_prob (float):
            Text effects.
        bg_noise_prob, jpeg_prob (float): Degradations of the background,
            applied before compositing so ``background`` stays the exact
            clean label.
        tamper_words (int): Words replaced in the tampered variant (0: no
            tampered variant).
        with_crops (bool): Also cut rectified word crops.
        gap (int): Minimum distance in pixels between word polygons.
        max_tries (int): Placement attempts per word.
    """

    def __init__(self,
                 fonts,
                 lexicon,
                 backgrounds,
                 height: int = 640,
                 width: int = 640,
                 num_words: Tuple[int, int] = (4, 12),
                 font_size: Tuple[float, float] = (0.03, 0.11),
                 rotate_prob: float = 0.4,
                 max_angle: float = 45.,
                 perspective_prob: float = 0.3,
                 perspective_strength: float = 0.25,
                 curve_prob: float = 0.25,
                 curve_points: int = 7,
                 border_prob: float = 0.15,
                 shadow_prob: float = 0.15,
                 blur_prob: float = 0.3,
                 fill_noise_prob: float = 0.3,
                 bg_noise_prob: float = 0.3,
                 jpeg_prob: float = 0.3,
                 tamper_words: int = 1,
                 with_crops: bool = True,
                 gap: int = 4,
                 max_tries: int = 12) -> None:
        if height < 32 or width < 32:
            raise ValueError(f'image size must be >= 32, got {height}x{width}')
        if not 1 <= num_words[0] <= num_words[1]:
            raise ValueError(f'num_words must be 1 <= min <= max: {num_words}')
        if not 0 < font_size[0] <= font_size[1]:
            raise ValueError(f'font_size must be 0 < min <= max: {font_size}')
        if curve_points < 2:
            raise ValueError(f'curve_points must be >= 2, got {curve_points}')
        self.fonts, self.lexicon = fonts, lexicon
        self.backgrounds = backgrounds
        self.height, self.width = int(height), int(width)
        self.num_words = num_words
        self.font_size = font_size
        self.rotate_prob, self.max_angle = rotate_prob, max_angle
        self.perspective_prob = perspective_prob
        self.perspective_strength = perspective_strength
        self.curve_prob, self.curve_points = curve_prob, curve_points
        self.border_prob, self.shadow_prob = border_prob, shadow_prob
        self.blur_prob, self.fill_noise_prob = blur_prob, fill_noise_prob
        self.bg_noise_prob, self.jpeg_prob = bg_noise_prob, jpeg_prob
        self.tamper_words = tamper_words
        self.with_crops = with_crops
        self.gap, self.max_tries = gap, max_tries

    # ------------------------------------------------------------------
    def render(self, seed: int, index: int) -> SynthSample:
        """Render sample ``index`` of the stream seeded by ``seed``."""
        rng = np.random.default_rng(np.random.SeedSequence([seed, index]))
        h, w = self.height, self.width
        background = self._degrade(
            rng,
            self.backgrounds.sample(rng, h, w).astype(np.uint8))
        occupied = np.zeros((h, w), np.uint8)
        placed: List[_Placed] = []
        for _ in range(
                int(rng.integers(self.num_words[0], self.num_words[1] + 1))):
            item = self._place_word(rng, occupied)
            if item is None:
                continue
            self._paint(rng, item, background)
            placed.append(item)
        image, mask, instances = self._composite(background, placed)
        if self.with_crops:
            for item in placed:
                self._crop(item, image)
        sample = SynthSample(image, background, mask, instances,
                             [p.word for p in placed])
        if self.tamper_words > 0:
            self._tamper(rng, sample, placed)
        return sample

    # ------------------------------------------------------------------
    def _degrade(self, rng: np.random.Generator, bg: np.ndarray) -> np.ndarray:
        if rng.random() < self.bg_noise_prob:
            # Luma noise, one value per pixel for the 3 channels.
            noise = rng.standard_normal(bg.shape[:2] + (1, ), dtype=np.float32)
            noisy = bg.astype(np.float32)
            noisy += noise * np.float32(rng.uniform(2., 10.))
            np.rint(noisy, out=noisy)
            np.clip(noisy, 0, 255, out=noisy)
            bg = noisy.astype(np.uint8)
        if rng.random() < self.jpeg_prob:
            quality = int(rng.integers(30, 96))
            ok, buf = cv2.imencode('.jpg', bg,
                                   [cv2.IMWRITE_JPEG_QUALITY, quality])
            bg = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        return np.ascontiguousarray(bg)

    def _style(self, rng: np.random.Generator, size: int) -> WordStyle:
        style = WordStyle(tracking=float(rng.uniform(-0.02, 0.15)) * size)
        if rng.random() < self.border_prob:
            style.border = int(rng.integers(1, max(2, size // 12) + 1))
        if rng.random() < self.shadow_prob:
            reach = max(1, size // 10)
            du, dv = rng.integers(-reach, reach + 1, 2)
            style.shadow = (int(du), int(dv) or 1)
            style.shadow_blur = float(rng.uniform(0., 1.5))
            style.shadow_opacity = float(rng.uniform(0.4, 0.8))
        if rng.random() < self.blur_prob:
            style.blur = float(rng.uniform(0.3, 1.2))
        if rng.random() < self.fill_noise_prob:
            style.fill_noise = float(rng.uniform(2., 12.))
        return style

    def _choose_word(self,
                     rng: np.random.Generator) -> Optional[Tuple[str, int]]:
        """A word and a font with a glyph for each of its characters."""
        for _ in range(10):
            text = self.lexicon.sample(rng)
            font_index = self.fonts.choose(rng, text)
            if font_index is not None:
                return text, font_index
        return None

    def _place_word(self, rng: np.random.Generator,
                    occupied: np.ndarray) -> Optional[_Placed]:
        choice = self._choose_word(rng)
        if choice is None:
            return None
        text, font_index = choice
        short = min(self.height, self.width)
        lo, hi = np.log(self.font_size[0]), np.log(self.font_size[1])
        size = max(8, int(round(short * np.exp(rng.uniform(lo, hi)))))
        style = self._style(rng, size)
        for _ in range(self.max_tries):
            font = self.fonts.get(font_index, size)
            layer = render_word(text, font, style)
            warp, outline = self._make_warp(rng, layer)
            item = self._fit(rng, layer, warp, outline, occupied)
            if item is not None:
                poly, chars, warp = item
                word = SynthWord(
                    text,
                    poly,
                    chars,
                    font=font.path,
                    font_size=size,
                    curve=warp.curve,
                    style=style,
                    warp=warp)
                return _Placed(layer, style, warp, font_index, size, word)
            size = max(8, int(size * 0.85))
        return None

    def _make_warp(self, rng: np.random.Generator, layer: WordLayer):
        u0, v0, u1, v1 = layer.ink_box
        ink_w, ink_h = u1 - u0, v1 - v0
        uc, vc = (u0 + u1) / 2, (v0 + v1) / 2
        kwargs = dict(curve='none')
        if ink_w >= 2.5 * ink_h and rng.random() < self.curve_prob:
            if rng.random() < 0.5:
                theta = np.deg2rad(rng.uniform(40., 110.))
                radius = max(ink_w / theta, 1.5 * layer.fill_alpha.shape[0])
                kwargs = dict(
                    curve='arc',
                    u_c=uc,
                    v_b=vc,
                    radius=radius,
                    sign=1 if rng.random() < 0.5 else -1)
            else:
                kwargs = dict(
                    curve='sine',
                    amplitude=rng.uniform(0.15, 0.35) * ink_h,
                    wavelength=rng.uniform(0.8, 1.6) * ink_w,
                    phase=rng.uniform(0, 2 * np.pi))
        curved = WordWarp(np.eye(3), **kwargs)
        c = curved.forward(np.array([[uc, vc]]))[0]
        hmat = translation(-c[0], -c[1])
        if rng.random() < self.perspective_prob:
            hmat = perspective_jitter(rng, ink_w / 2, ink_h / 2,
                                      self.perspective_strength) @ hmat
        if rng.random() < self.rotate_prob:
            hmat = rotation(rng.uniform(-self.max_angle,
                                        self.max_angle)) @ hmat
        warp = curved.with_homography(hmat)
        points = 2 if warp.curve == 'none' else self.curve_points
        margin = layer.reach + 1.5
        if warp.curve != 'none':  # a homography keeps straight edges
            box = (u0 - margin, v0 - margin, u1 + margin, v1 + margin)
            margin += max_chord_gap(warp, box, points)
        margin += 0.5
        box = (u0 - margin, v0 - margin, u1 + margin, v1 + margin)
        return warp, box_outline(box, points)

    def _fit(self, rng: np.random.Generator, layer: WordLayer, warp: WordWarp,
             outline: np.ndarray, occupied: np.ndarray):
        """Translate the word to a free spot; None if it does not fit."""
        poly = warp.forward(outline)
        lo, hi = poly.min(0), poly.max(0)
        span_x = (-lo[0], self.width - 1 - hi[0])
        span_y = (-lo[1], self.height - 1 - hi[1])
        if span_x[0] > span_x[1] or span_y[0] > span_y[1]:
            return None
        g = self.gap
        for _ in range(4):
            t = np.array([rng.uniform(*span_x), rng.uniform(*span_y)])
            shifted = poly + t
            x0, y0 = np.floor(shifted.min(0)).astype(int) - g
            x1, y1 = np.ceil(shifted.max(0)).astype(int) + g + 1
            x0, y0 = max(x0, 0), max(y0, 0)
            region = np.zeros((y1 - y0, x1 - x0), np.uint8)
            cv2.fillPoly(region,
                         [np.round(shifted - (x0, y0)).astype(np.int32)], 1)
            grown = cv2.dilate(region, np.ones((2 * g + 1, 2 * g + 1),
                                               np.uint8))
            window = occupied[y0:y1, x0:x1]
            if np.any(window & grown[:window.shape[0], :window.shape[1]]):
                continue
            window |= region[:window.shape[0], :window.shape[1]]
            warp = warp.with_homography(translation(*t) @ warp.homography)
            chars = warp.forward(box_corners(layer.char_boxes).reshape(-1, 2))
            chars = chars.reshape(-1, 4, 2).astype(np.float32)
            return shifted.astype(np.float32), chars, warp
        return None

    def _paint(self, rng: np.random.Generator, item: _Placed,
               background: np.ndarray) -> None:
        """Colours contrasting with the background, then warp the layer."""
        poly = item.word.polygon
        x0, y0 = np.floor(poly.min(0)).astype(int)
        x1, y1 = np.ceil(poly.max(0)).astype(int) + 1
        x0, y0 = max(x0, 0), max(y0, 0)
        x1, y1 = min(x1, self.width), min(y1, self.height)
        bg_luma = float(luma(background[y0:y1, x0:x1].reshape(-1, 3).mean(0)))
        style = item.style
        style.fill = contrasting_color(rng, bg_luma)
        style.border_color = contrasting_color(
            rng, float(luma(np.asarray(style.fill))))
        item.region = (x0, y0, x1, y1)
        item.premult, item.alpha = self._warp_layer(rng, item.layer, style,
                                                    item.warp, item.region)

    def _warp_layer(self, rng, layer, style, warp, region):
        premult, alpha = paint_word(layer, style, rng)
        x0, y0, x1, y1 = region
        mu, mv = warp.inverse_maps(x0, y0, x1 - x0, y1 - y0)
        kw = dict(
            interpolation=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=0)
        return (cv2.remap(premult, mu, mv,
                          **kw), cv2.remap(alpha, mu, mv, **kw))

    def _composite(self,
                   background: np.ndarray,
                   placed: Sequence[_Placed],
                   swap: Optional[dict] = None):
        """Premultiplied ``over`` of every word, region by region.

        Supports never overlap (they lie inside disjoint polygons), so each
        pixel is ``rint(bg * (1 - a) + premult)`` of at most one word, and a
        region's pixels outside its word's support keep their value.
        """
        out = background.copy()
        mask = np.zeros(background.shape[:2], np.uint8)
        instances = np.zeros(background.shape[:2], np.int32)
        for k, item in enumerate(placed):
            region, premult, alpha = item.region, item.premult, item.alpha
            x0, y0, x1, y1 = region
            win = out[y0:y1, x0:x1].astype(np.float32)
            win *= (1. - alpha)[..., None]
            win += premult
            np.rint(win, out=win)
            np.clip(win, 0, 255, out=win)
            out[y0:y1, x0:x1] = win
            on = alpha >= MASK_ALPHA
            mask[y0:y1, x0:x1][on] = 1
            instances[y0:y1, x0:x1][on] = k + 1
        return out, mask, instances

    def _crop(self, item: _Placed, image: np.ndarray) -> None:
        u0, v0, u1, v1 = item.layer.ink_box
        m = item.layer.reach + 2
        cu, cv = int(np.floor(u0 - m)), int(np.floor(v0 - m))
        cw, ch = int(np.ceil(u1 + m)) - cu, int(np.ceil(v1 + m)) - cv
        mx, my = item.warp.forward_maps(cu, cv, cw, ch)
        item.word.crop_origin = (cu, cv)
        item.word.crop = cv2.remap(
            image, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        item.word.crop_char_boxes = (box_corners(item.layer.char_boxes) -
                                     np.array([cu, cv])).astype(np.float32)

    def _tamper(self, rng: np.random.Generator, sample: SynthSample,
                placed: List[_Placed]) -> None:
        """Replace words by others in the same font, size and style."""
        replaced, tamper_mask = [], np.zeros_like(sample.text_mask)
        words = list(sample.words)
        image = sample.image.copy()
        for k in rng.permutation(len(placed)):
            if len(replaced) >= self.tamper_words:
                break
            item = placed[int(k)]
            new = self._replacement(rng, item)
            if new is None:
                continue
            layer, warp = new
            x0, y0, x1, y1 = item.region
            premult, alpha = self._warp_layer(rng, layer, item.style, warp,
                                              item.region)
            replaced.append(int(k))
            on = (alpha >= MASK_ALPHA) | (item.alpha >= MASK_ALPHA)
            tamper_mask[y0:y1, x0:x1][on] = 1
            # Outside ``on`` both words leave the background unchanged and no
            # other word reaches into ``on`` (disjoint supports), so this is
            # exactly the composite with the new word in place of the old.
            win = sample.background[y0:y1, x0:x1].astype(np.float32)
            win *= (1. - alpha)[..., None]
            win += premult
            np.rint(win, out=win)
            np.clip(win, 0, 255, out=win)
            image[y0:y1, x0:x1][on] = win[on]
            chars = warp.forward(box_corners(layer.char_boxes).reshape(-1, 2))
            chars = chars.reshape(-1, 4, 2).astype(np.float32)
            words[int(k)] = SynthWord(
                layer.text,
                item.word.polygon,
                chars,
                font=item.word.font,
                font_size=item.font_size,
                curve=item.word.curve,
                style=item.style,
                warp=warp)
        sample.tampered_image, sample.tamper_mask = image, tamper_mask
        sample.tampered_words = words
        sample.tampered_indices = sorted(replaced)

    def _replacement(self, rng: np.random.Generator, item: _Placed):
        """Another word, same case, font and style, that fits in the old
        word's ink box (1 px tolerance) once centred on it."""
        old = item.layer
        text = old.text
        font = self.fonts.get(item.font_index, item.font_size)
        for _ in range(20):
            cand = self.lexicon.sample(rng)
            if text.isupper():
                cand = cand.upper()
            elif text[:1].isupper():
                cand = cand[:1].upper() + cand[1:].lower()
            elif text.islower():
                cand = cand.lower()
            if cand == text or not self.fonts.covers(item.font_index, cand):
                continue
            # Cheap width check before drawing it.
            if font.getlength(cand) > old.ink_box[2] - old.ink_box[0] + 2:
                continue
            layer = render_word(cand, font, item.style)
            du = ((old.ink_box[0] + old.ink_box[2]) -
                  (layer.ink_box[0] + layer.ink_box[2])) / 2
            du = float(np.round(du))
            dv = old.baseline - layer.baseline
            nb = (layer.ink_box[0] + du, layer.ink_box[1] + dv,
                  layer.ink_box[2] + du, layer.ink_box[3] + dv)
            ob = old.ink_box
            if (nb[0] >= ob[0] - 1 and nb[1] >= ob[1] - 1
                    and nb[2] <= ob[2] + 1 and nb[3] <= ob[3] + 1):
                return layer, item.warp.shifted(du, dv)
        return None
