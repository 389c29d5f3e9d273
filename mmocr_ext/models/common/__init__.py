# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Building blocks shared by several models (CLIP encoders, tokenizers)."""
from .clip import (CLIPResNetWithAttention, CLIPTextContextEncoder,
                   CLIPTokenizer, DenseAttentionPool2d,
                   clip_arch_from_state_dict, convert_clip_state_dict,
                   load_clip_state_dict, resize_attnpool_pos_embed)

__all__ = [
    'CLIPResNetWithAttention', 'CLIPTextContextEncoder', 'CLIPTokenizer',
    'DenseAttentionPool2d', 'clip_arch_from_state_dict',
    'convert_clip_state_dict', 'load_clip_state_dict',
    'resize_attnpool_pos_embed'
]
