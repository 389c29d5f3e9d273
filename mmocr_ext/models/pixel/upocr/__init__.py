# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR (ICML 2024): a unified pixel-level OCR model (text removal, text
segmentation, tampered-text detection).

Built on timm's SwinV2 (``timm.models.swin_transformer_v2``, timm 1.0.31)
where its semantics are the official ones (spec §1.2-§1.5):

* taken as is: ``WindowAttention`` (cosine attention, ``logit_scale``
  clamped at ``ln(100)`` as a Python float, CPB MLP with the
  pretrained-window scaling, ``q_bias``/``v_bias``), the block's
  res-post-norm and MLP, ``PatchMerging`` (2x2 order (0,0), (1,0), (0,1),
  (1,1), Linear 4C->2C without bias, then LayerNorm; odd sizes padded),
  ``timm.layers.PatchEmbed`` (Conv k=s=4 + LayerNorm, right/bottom padding
  to a multiple of 4), ``DropPath`` and ``trunc_normal_``;
* changed in :class:`UPOCRSwinV2Block`: (1) windows/shifts are never
  clamped to the feature size (timm's ``always_partition=True``): odd blocks
  roll and mask even when the map is a single window; (2) the map is padded
  to window multiples *before* the cyclic shift and cropped *after* the
  reverse shift (timm rolls first), with the mask rebuilt on the padded
  size every forward (``dynamic_mask=True``); (3) ``relative_coords_table``
  and ``relative_position_index`` are persistent buffers (saved in
  checkpoints as officially; timm's are not);
* own modules, as timm has no equivalent: :class:`UPOCRSwinV2Layer` (the
  merging sits at the *end* of a stage under the official names
  ``layers.{i}.downsample``; timm's stage starts with it),
  :class:`UPOCRSwinV2Backbone` (per-stage output norms ``norm0..3``, no
  head), :class:`UPOCRPatchSplit`, :class:`UPOCRSwinV2Decoder` and
  :class:`UPOCRTaskPrompt`; :func:`init_swinv2_weights` is the official
  init (trunc-normal linears, zeroed ``norm1``/``norm2`` per block).
"""
from .losses import (MultiScaleIgnoreSmoothL1Loss, MultiScaleMaskedL1Loss,
                     VGG16FeatureExtractor, VGGPerceptualStyleLoss,
                     gram_matrix)
from .upocr import TASK_PREFIXES, UPOCR
from .upocr_patch_split import UPOCRPatchSplit
from .upocr_swinv2_backbone import UPOCRSwinV2Backbone
from .upocr_swinv2_block import UPOCRSwinV2Block, init_swinv2_weights
from .upocr_swinv2_decoder import UPOCRSwinV2Decoder
from .upocr_swinv2_encoder import UPOCRSwinV2Encoder
from .upocr_swinv2_layer import UPOCRSwinV2Layer
from .upocr_task_prompt import UPOCRTaskPrompt

__all__ = [
    'MultiScaleIgnoreSmoothL1Loss', 'MultiScaleMaskedL1Loss', 'TASK_PREFIXES',
    'UPOCR', 'UPOCRPatchSplit', 'UPOCRSwinV2Backbone', 'UPOCRSwinV2Block',
    'UPOCRSwinV2Decoder', 'UPOCRSwinV2Encoder', 'UPOCRSwinV2Layer',
    'UPOCRTaskPrompt', 'VGG16FeatureExtractor', 'VGGPerceptualStyleLoss',
    'gram_matrix', 'init_swinv2_weights'
]
