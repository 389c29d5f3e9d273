# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR (AAAI 2025): instruction-conditioned text spotting."""
from .bert_instruction_encoder import BertInstructionEncoder
from .image_text_fusion_block import ImageTextFusionBlock
from .instructocr import InstructOCR
from .instructocr_decoder import InstructOCRDecoder
from .instructocr_decoder_layer import InstructOCRDecoderLayer
from .instructocr_dictionary import InstructOCRDictionary
from .instructocr_encoder import InstructOCREncoder
from .instructocr_generation import greedy_generate, slot_mask
from .instructocr_module_loss import InstructOCRModuleLoss, instance_center
from .instructocr_postprocessor import InstructOCRPostprocessor

__all__ = [
    'BertInstructionEncoder', 'ImageTextFusionBlock', 'InstructOCREncoder',
    'InstructOCR', 'InstructOCRDecoder', 'InstructOCRDecoderLayer',
    'InstructOCRDictionary', 'InstructOCRModuleLoss',
    'InstructOCRPostprocessor', 'greedy_generate', 'instance_center',
    'slot_mask'
]
