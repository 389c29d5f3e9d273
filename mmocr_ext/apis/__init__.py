# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Inference helpers around mmocr's inferencers.

* :func:`set_recognizer_pool`: give the recognizer of an mmocr
  ``TextRecInferencer`` or ``MMOCRInferencer`` (an mmocr_ext E2STR) an
  in-context pool (annotation file, pool ``.pth`` of
  ``tools/build_icl_pool.py``, an ``InContextPool``, or None);
* :mod:`mmocr_ext.apis.infer_utils`: what ``tools/infer.py`` is made of
  (input collection, output names, image decoding, inferencer building).

Importing this package imports neither torch nor mmocr.
"""
from .icl import recognizer_model, set_recognizer_pool

__all__ = ['recognizer_model', 'set_recognizer_pool']
