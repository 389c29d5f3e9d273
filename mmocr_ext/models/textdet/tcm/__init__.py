# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""TCM and FastTCM (CLIP-prompted DBNet), registered in mmocr's MODELS."""
from .fast_tcm import FastTCM
from .tcm import TCM
from .tcm_checkpoint import checkpoint_filter_fn, clip_to_tcm_state_dict
from .tcm_context_decoder import TCMContextDecoder
from .tcm_module_loss import TCMModuleLoss
from .tcm_prompt_generator import TCMPromptGenerator

__all__ = [
    'TCM', 'FastTCM', 'TCMContextDecoder', 'TCMModuleLoss',
    'TCMPromptGenerator', 'checkpoint_filter_fn', 'clip_to_tcm_state_dict'
]
