# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Data transforms for per-instance loss weights (I3CL's SSL training).

Importing this package registers the transforms in mmocr's ``TRANSFORMS``
registry (``mmocr_ext.registration`` does so for configs).
"""
from .keep_instances_aligned import KeepInstancesAligned
from .load_instance_loss_weights import LoadInstanceLossWeights
from .pack_det_inputs_with_loss_weights import PackDetInputsWithLossWeights

__all__ = [
    'KeepInstancesAligned', 'LoadInstanceLossWeights',
    'PackDetInputsWithLossWeights'
]
