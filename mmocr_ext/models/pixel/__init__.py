# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Pixel-level OCR models (image-to-image: text removal, segmentation,
tampered-text detection)."""
from . import upocr  # noqa: F401  (registration)

__all__ = ['upocr']
