# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIP pieces (RN image encoder, text encoder, tokenizer, weight loading)."""
from .clip_modified_resnet import (CLIPModifiedResNet,
                                   clip_visual_trunk_state_dict)
from .clip_resnet_with_attention import CLIPResNetWithAttention
from .clip_text_context_encoder import CLIPTextContextEncoder
from .clip_tokenizer import CLIPTokenizer
from .clip_weights import (clip_arch_from_state_dict, convert_clip_state_dict,
                           load_clip_state_dict)
from .dense_attention_pool2d import (DenseAttentionPool2d,
                                     resize_attnpool_pos_embed)

__all__ = [
    'CLIPModifiedResNet', 'CLIPResNetWithAttention', 'CLIPTextContextEncoder',
    'CLIPTokenizer', 'DenseAttentionPool2d', 'clip_arch_from_state_dict',
    'clip_visual_trunk_state_dict', 'convert_clip_state_dict',
    'load_clip_state_dict', 'resize_attnpool_pos_embed'
]
