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
- UPOCR's pixel-level tasks, PIL-exact (spec §3.2): loading
  (:class:`LoadRGBImagePIL`, :class:`LoadRemovalTargets`,
  :class:`LoadTextSegLabel`, :class:`RenderTamperedBoxMap`), joint
  augmentation (:class:`PixelRandomCrop`, :class:`PixelRandomHFlip`,
  :class:`PixelColorJitter`, :class:`PixelRandomRotate`), resizing
  (:class:`PixelResize`) and packing (:class:`PackPixelOCRInputs`).

Importing this package registers the transforms in mmocr's ``TRANSFORMS``
registry (``mmocr_ext.registration`` does so for configs).
"""
from .drop_degenerate_instances import DropDegenerateInstances
from .e2str_icl_views import E2STRICLViews
from .generate_instruction import GenerateInstruction
from .keep_instances_aligned import KeepInstancesAligned
from .load_char_boxes import LoadCharBoxes
from .load_instance_loss_weights import LoadInstanceLossWeights
from .load_removal_targets import LoadRemovalTargets
from .load_rgb_image_pil import LoadRGBImagePIL
from .load_text_seg_label import LoadTextSegLabel
from .pack_det_inputs_with_loss_weights import PackDetInputsWithLossWeights
from .pack_e2str_inputs import PackE2STRInputs
from .pack_pixel_ocr_inputs import PackPixelOCRInputs
from .pixel_color_jitter import PixelColorJitter
from .pixel_random_crop import PixelRandomCrop
from .pixel_random_hflip import PixelRandomHFlip
from .pixel_random_rotate import PixelRandomRotate
from .pixel_resize import PixelResize
from .render_tampered_box_map import RenderTamperedBoxMap

__all__ = [
    'KeepInstancesAligned', 'LoadInstanceLossWeights',
    'PackDetInputsWithLossWeights', 'LoadCharBoxes', 'E2STRICLViews',
    'PackE2STRInputs', 'GenerateInstruction', 'DropDegenerateInstances',
    'LoadRGBImagePIL', 'LoadRemovalTargets', 'LoadTextSegLabel',
    'RenderTamperedBoxMap', 'PixelRandomCrop', 'PixelRandomHFlip',
    'PixelColorJitter', 'PixelRandomRotate', 'PixelResize',
    'PackPixelOCRInputs'
]
