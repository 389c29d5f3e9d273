# Copyright (c) OpenMMLab. All rights reserved.
"""Text detection models."""
from .tcm import (TCM, FastTCM, TCMContextDecoder, TCMModuleLoss,
                  TCMPromptGenerator)

__all__ = [
    'TCM', 'FastTCM', 'TCMContextDecoder', 'TCMModuleLoss',
    'TCMPromptGenerator'
]
