# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Synthetic scene text with exact ground truth for every task (docs/synth.md).

Light: numpy, OpenCV, Pillow, fontTools and wordfreq only (no torch, no
OpenMMLab), so generation runs anywhere and in worker processes cheaply.
"""
from typing import Any, Dict, Optional

from .backgrounds import BackgroundPool
from .fonts import FontPool
from .lexicon import Lexicon
from .renderer import SynthRenderer
from .sample import SynthSample, SynthWord


def build_renderer(fonts: Optional[Dict[str, Any]] = None,
                   lexicon: Optional[Dict[str, Any]] = None,
                   backgrounds: Optional[Dict[str, Any]] = None,
                   **kwargs: Any) -> SynthRenderer:
    """A :class:`SynthRenderer` from plain settings (configs, CLIs).

    Args:
        fonts (dict, optional): :class:`FontPool` keyword arguments.
        lexicon (dict, optional): :class:`Lexicon` keyword arguments; a
            ``file`` key reads the words from that file instead.
        backgrounds (dict, optional): :class:`BackgroundPool` keyword
            arguments.
        **kwargs: :class:`SynthRenderer` settings (size, probabilities).
    """
    lexicon = dict(lexicon or {})
    lex_file = lexicon.pop('file', None)
    words = (
        Lexicon.from_file(lex_file, **lexicon)
        if lex_file is not None else Lexicon(**lexicon))
    return SynthRenderer(
        FontPool(**(fonts or {})), words,
        BackgroundPool(**(backgrounds or {})), **kwargs)


__all__ = [
    'BackgroundPool', 'FontPool', 'Lexicon', 'SynthRenderer', 'SynthSample',
    'SynthWord', 'build_renderer'
]
