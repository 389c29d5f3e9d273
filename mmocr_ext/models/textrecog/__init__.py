# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Text recognition models."""
from .e2str import (E2STR, E2STRLanguageModel, E2STRPostprocessor, E2STRViT,
                    GatedCrossAttentionBlock, InContextPool,
                    PerceiverResampler)

__all__ = [
    'E2STR', 'E2STRLanguageModel', 'E2STRPostprocessor', 'E2STRViT',
    'GatedCrossAttentionBlock', 'InContextPool', 'PerceiverResampler'
]
