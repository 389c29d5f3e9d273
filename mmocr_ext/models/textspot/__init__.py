# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Text spotting models (detection and recognition in one network)."""
from . import instructocr  # noqa: F401  (registration)

__all__ = ['instructocr']
