# Copyright (c) OpenMMLab. All rights reserved.
"""Building blocks shared by several models (CLIP encoders, tokenizers)."""
from .clip import (CLIPResNetWithAttention, CLIPTextContextEncoder,
                   CLIPTokenizer, DenseAttentionPool2d,
                   clip_arch_from_state_dict, convert_clip_to_tcm,
                   load_clip_state_dict, resize_attnpool_pos_embed)

__all__ = [
    'CLIPResNetWithAttention', 'CLIPTextContextEncoder', 'CLIPTokenizer',
    'DenseAttentionPool2d', 'clip_arch_from_state_dict', 'convert_clip_to_tcm',
    'load_clip_state_dict', 'resize_attnpool_pos_embed'
]
