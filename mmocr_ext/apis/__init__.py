# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Inference helpers around mmocr's inferencers.

* :func:`set_recognizer_pool`: give the recognizer of an mmocr
  ``TextRecInferencer`` or ``MMOCRInferencer`` (an mmocr_ext E2STR) an
  in-context pool (annotation file, pool ``.pth`` of
  ``tools/build_icl_pool.py``, an ``InContextPool``, or None);
* :func:`set_spotter_instruction`: make an instruction-following spotter
  (InstructOCR) of an inferencer follow a given instruction;
* :class:`PointSpotInferencer`: mmocr's ``TextSpotInferencer`` giving
  points, texts, scores (and the instruction) and drawing points;
* :mod:`mmocr_ext.apis.infer_utils` and :mod:`mmocr_ext.apis.infer_drawing`:
  what ``tools/infer.py`` is made of (input collection, output names, image
  decoding, inferencer building, drawings).

Importing this package imports neither torch nor mmocr
(:class:`PointSpotInferencer` is imported when first used).
"""
from .icl import recognizer_model, set_recognizer_pool
from .instruction import (set_spotter_instruction, spotter_instruction,
                          spotter_model)

__all__ = [
    'PointSpotInferencer', 'recognizer_model', 'set_recognizer_pool',
    'set_spotter_instruction', 'spotter_instruction', 'spotter_model'
]


def __getattr__(name: str):
    if name == 'PointSpotInferencer':
        from .point_spot_inferencer import PointSpotInferencer
        return PointSpotInferencer
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
