# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""I3CL (IJCV 2022): intra- and inter-instance collaborative learning on
Mask R-CNN (spec Part A). Detector parts are registered in mmdet's MODELS
(mmocr's ``MMDetWrapper`` builds its detector in the mmdet scope); the
wrapper and the polygon post-processing in mmocr's."""
from .i3cl_bbox_head import I3CLBBoxHead
from .i3cl_checkpoint import i3cl_checkpoint_filter_fn
from .i3cl_global_context import I3CLGlobalContext
from .i3cl_inter_instance import I3CLInterInstance
from .i3cl_intra_block import I3CLIntraBlock, intra_blocks
from .i3cl_mask_postprocessor import I3CLMaskPostprocessor
from .i3cl_mask_rcnn import I3CLMaskRCNN
from .i3cl_roi_head import I3CLRoIHead, attach_loss_weights
from .i3cl_rpn_head import I3CLRPNHead
from .i3cl_wrapper import I3CLWrapper
from .vitae_checkpoint import vitae_checkpoint_filter_fn
from .vitae_v2 import ViTAEv2WindowNoShift

__all__ = [
    'I3CLBBoxHead', 'I3CLGlobalContext', 'I3CLInterInstance', 'I3CLIntraBlock',
    'I3CLMaskPostprocessor', 'I3CLMaskRCNN', 'I3CLRoIHead', 'I3CLRPNHead',
    'I3CLWrapper', 'attach_loss_weights', 'ViTAEv2WindowNoShift',
    'i3cl_checkpoint_filter_fn', 'intra_blocks', 'vitae_checkpoint_filter_fn'
]
