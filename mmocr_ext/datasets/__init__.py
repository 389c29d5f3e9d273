# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
from .annotation_checker import AnnotationChecker, AnnotationError
from .checked_ocr_dataset import CheckedOCRDataset

__all__ = ['CheckedOCRDataset', 'AnnotationChecker', 'AnnotationError']
