# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STR (in-context scene text recognition), registered in mmocr's
MODELS / TASK_UTILS. See docs/e2str.md."""
from .e2str import E2STR
from .e2str_generation import beam_decode, greedy_decode
from .e2str_language_model import E2STRLanguageModel
from .e2str_postprocessor import E2STRPostprocessor
from .e2str_vit import E2STRViT
from .gated_cross_attention_block import GatedCrossAttentionBlock
from .icl_pool import InContextPool, read_pool_items
from .perceiver_resampler import PerceiverResampler
from .xattn_decoder_layer import XAttnDecoderLayer

__all__ = [
    'E2STR', 'E2STRLanguageModel', 'E2STRPostprocessor', 'E2STRViT',
    'GatedCrossAttentionBlock', 'InContextPool', 'PerceiverResampler',
    'XAttnDecoderLayer', 'beam_decode', 'greedy_decode', 'read_pool_items'
]
