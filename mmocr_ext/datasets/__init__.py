# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
from .checked_ocr_dataset import AnnotationError, CheckedOCRDataset

__all__ = ['CheckedOCRDataset', 'AnnotationError']
