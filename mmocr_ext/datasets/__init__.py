# Copyright (c) OpenMMLab. All rights reserved.
from .checked_ocr_dataset import AnnotationError, CheckedOCRDataset

__all__ = ['CheckedOCRDataset', 'AnnotationError']
