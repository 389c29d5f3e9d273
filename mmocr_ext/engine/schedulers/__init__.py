# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
from .upocr_staircase_lr import UPOCRStaircaseLR, upocr_lr_factor

__all__ = ['UPOCRStaircaseLR', 'upocr_lr_factor']
