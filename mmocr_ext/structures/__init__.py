# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Data structures (mirrors ``mmocr.structures``)."""
from .pixel_ocr_data_sample import PIXEL_TASKS, PixelOCRDataSample

__all__ = ['PIXEL_TASKS', 'PixelOCRDataSample']
