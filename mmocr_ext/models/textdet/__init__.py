# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Text detection models."""
from .i3cl import I3CLGlobalContext, I3CLIntraBlock
from .tcm import (TCM, FastTCM, TCMContextDecoder, TCMModuleLoss,
                  TCMPromptGenerator)

__all__ = [
    'I3CLGlobalContext', 'I3CLIntraBlock', 'TCM', 'FastTCM',
    'TCMContextDecoder', 'TCMModuleLoss', 'TCMPromptGenerator'
]
