# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Text detection models."""
from .tcm import (TCM, FastTCM, TCMContextDecoder, TCMModuleLoss,
                  TCMPromptGenerator)

__all__ = [
    'TCM', 'FastTCM', 'TCMContextDecoder', 'TCMModuleLoss',
    'TCMPromptGenerator'
]
