# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Evaluation.

* :mod:`mmocr_ext.evaluation.functional`: the offline core (numpy, shapely,
  scipy only), importable without torch or mmocr.
* :mod:`mmocr_ext.evaluation.metrics`: metrics registered in mmocr's
  ``METRICS`` (imported by :func:`mmocr_ext.register_all_modules`).

Importing this package imports neither.
"""
