# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Models, by task: ``models/<task>/<model>/`` (mirrors mmocr)."""
from . import common, pixel, textdet, textrecog, textspot  # noqa: F401

__all__ = ['common', 'pixel', 'textdet', 'textrecog', 'textspot']
