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
* :class:`OCRPipeline`: the suite's models composed — detect, crop
  (rectified), recognise, filter by an instruction, erase — or a spotter,
  with named presets (:mod:`mmocr_ext.apis.ocr_presets`);
* :class:`PixelOCRInferencer`: ground-truth-free pixel-level OCR (UPOCR
  text removal, text segmentation, tampered-text detection) on any image;
* :func:`erase_text_in_polygons` / :func:`polygons_mask` /
  :func:`erase_in_detections`: text removal kept inside a detector's
  polygons, the original pixels elsewhere;
* :mod:`mmocr_ext.apis.infer_utils` and :mod:`mmocr_ext.apis.infer_drawing`:
  what ``tools/infer.py`` is made of (input collection, output names, image
  decoding, inferencer building, drawings).

Importing this package imports neither torch nor mmocr
(:class:`PointSpotInferencer`, :class:`PixelOCRInferencer` and
:class:`OCRPipeline` are imported when first used).
"""
from .erase_in_polygons import (erase_in_detections, erase_text_in_polygons,
                                polygons_mask)
from .icl import recognizer_model, set_recognizer_pool
from .instruction import (set_spotter_instruction, spotter_instruction,
                          spotter_model)

__all__ = [
    'OCRPipeline', 'PixelOCRInferencer', 'PointSpotInferencer',
    'erase_in_detections', 'erase_text_in_polygons', 'polygons_mask',
    'recognizer_model', 'set_recognizer_pool', 'set_spotter_instruction',
    'spotter_instruction', 'spotter_model'
]


def __getattr__(name: str):
    if name == 'PointSpotInferencer':
        from .point_spot_inferencer import PointSpotInferencer
        return PointSpotInferencer
    if name == 'OCRPipeline':
        from .ocr_pipeline import OCRPipeline
        return OCRPipeline
    if name == 'PixelOCRInferencer':
        from .pixel_ocr_inferencer import PixelOCRInferencer
        return PixelOCRInferencer
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
