# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""What one render returns: :class:`SynthSample` and its :class:`SynthWord`."""
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import numpy as np

from .geometry import WordWarp
from .word import WordStyle


@dataclass
class SynthWord:
    """One word of a sample.

    Attributes:
        text (str): Transcription.
        polygon (np.ndarray): (K, 2) float32, clockwise on screen from the
            top-left corner; K = 4 for flat words, ``2 * curve_points`` for
            curved ones. Contains every pixel the word changed.
        char_boxes (np.ndarray): (n, 4, 2) float32 quadrilaterals, one per
            character, left to right along the baseline.
        crop (np.ndarray, optional): (h, w, 3) uint8 rectified crop of the
            polygon's region (curved and rotated words come out flat).
        crop_char_boxes (np.ndarray, optional): (n, 4, 2) in crop pixels.
        font (str): Font file.
        font_size (int): Font size in pixels.
        curve (str): ``'none'``, ``'arc'`` or ``'sine'``.
        style (WordStyle, optional): Colours and effects it was drawn with.
        warp (WordWarp, optional): Its text space -> image map.
        crop_origin (tuple): Text-space ``(u, v)`` of the crop's top-left
            pixel: crop pixel (i, j) shows ``warp.forward((u + j, v + i))``.
    """
    text: str
    polygon: np.ndarray
    char_boxes: np.ndarray
    crop: Optional[np.ndarray] = None
    crop_char_boxes: Optional[np.ndarray] = None
    font: str = ''
    font_size: int = 0
    curve: str = 'none'
    style: Optional[WordStyle] = None
    warp: Optional[WordWarp] = None
    crop_origin: Tuple[int, int] = (0, 0)


@dataclass
class SynthSample:
    """Everything one render knows.

    Attributes:
        image (np.ndarray): (H, W, 3) uint8 BGR composite.
        background (np.ndarray): (H, W, 3) uint8 BGR clean background; equal
            to ``image`` wherever ``text_mask`` is 0.
        text_mask (np.ndarray): (H, W) uint8, 1 where any word (fill,
            border, shadow, blur) changed the background.
        instance_map (np.ndarray): (H, W) int32, k + 1 on word k's mask
            pixels, else 0.
        words (list[SynthWord]): In drawing order.
        tampered_image (np.ndarray, optional): ``image`` with the words in
            ``tampered_indices`` re-rendered as other words in their style.
        tamper_mask (np.ndarray, optional): (H, W) uint8, 1 on the pixels of
            the replaced and the replacing words.
        tampered_words (list[SynthWord]): ``words`` as in the tampered image.
        tampered_indices (list[int]): Which words were replaced.
    """
    image: np.ndarray
    background: np.ndarray
    text_mask: np.ndarray
    instance_map: np.ndarray
    words: List[SynthWord]
    tampered_image: Optional[np.ndarray] = None
    tamper_mask: Optional[np.ndarray] = None
    tampered_words: List[SynthWord] = field(default_factory=list)
    tampered_indices: List[int] = field(default_factory=list)
