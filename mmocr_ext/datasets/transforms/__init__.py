# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Data transforms of the mmocr_ext models.

- I3CL's semi-supervised training: per-instance loss weights
  (:class:`LoadInstanceLossWeights`, :class:`KeepInstancesAligned`,
  :class:`PackDetInputsWithLossWeights`).
- E2STR's in-context training: character edges, the transform and split
  views, and their packing (:class:`LoadCharBoxes`,
  :class:`E2STRICLViews`, :class:`PackE2STRInputs`).
- InstructOCR: instruction generation and instance filtering
  (:class:`GenerateInstruction`), and removal of degenerate instances
  (:class:`DropDegenerateInstances`).

Importing this package registers the transforms in mmocr's ``TRANSFORMS``
registry (``mmocr_ext.registration`` does so for configs).
"""
from .drop_degenerate_instances import DropDegenerateInstances
from .e2str_icl_views import E2STRICLViews
from .generate_instruction import GenerateInstruction
from .keep_instances_aligned import KeepInstancesAligned
from .load_char_boxes import LoadCharBoxes
from .load_instance_loss_weights import LoadInstanceLossWeights
from .pack_det_inputs_with_loss_weights import PackDetInputsWithLossWeights
from .pack_e2str_inputs import PackE2STRInputs

__all__ = [
    'KeepInstancesAligned', 'LoadInstanceLossWeights',
    'PackDetInputsWithLossWeights', 'LoadCharBoxes', 'E2STRICLViews',
    'PackE2STRInputs', 'GenerateInstruction', 'DropDegenerateInstances'
]
