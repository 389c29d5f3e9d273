# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""I3CL (IJCV 2022): intra- and inter-instance collaborative learning on
Mask R-CNN. In progress (issue 11): the intra-instance block and the global
context module so far; registered in mmdet's MODELS."""
from .i3cl_global_context import I3CLGlobalContext
from .i3cl_intra_block import I3CLIntraBlock, intra_blocks

__all__ = ['I3CLGlobalContext', 'I3CLIntraBlock', 'intra_blocks']
