# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Models, by task: ``models/<task>/<model>/`` (mirrors mmocr)."""
from . import common, textdet, textrecog  # noqa: F401  (registration)

__all__ = ['common', 'textdet', 'textrecog']
