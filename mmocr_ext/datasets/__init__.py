# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
from .annotation_checker import AnnotationChecker, AnnotationError
from .checked_ocr_dataset import CheckedOCRDataset
from .synth_render_dataset import SynthRenderDataset

__all__ = [
    'CheckedOCRDataset', 'AnnotationChecker', 'AnnotationError',
    'SynthRenderDataset'
]
