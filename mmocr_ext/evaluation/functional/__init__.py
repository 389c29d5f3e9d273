# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Light evaluation core: numpy, shapely and scipy only (no torch/mmocr).

``tools/eval_hmean.py`` loads this package straight from its folder, without
running ``mmocr_ext/__init__.py``; keep every module here free of torch,
mmengine and mmocr imports.
"""
from .deteval_protocol import deteval_image, evaluate_deteval, sigma_tau_tables
from .errors import EvalInputError
from .evaluate_files import FORMATS, PROTOCOLS, evaluate_files, load_samples
from .geometry import build_polygons, intersecting_pairs
from .iou_protocol import IoUTable, evaluate_iou, hmean, summarize
from .structures import EvalSample
from .submission import (format_number, result_file_name, result_lines,
                         to_clockwise_quad)

__all__ = [
    'EvalInputError', 'EvalSample', 'FORMATS', 'PROTOCOLS', 'IoUTable',
    'build_polygons', 'deteval_image', 'evaluate_deteval', 'evaluate_files',
    'evaluate_iou', 'format_number', 'hmean', 'intersecting_pairs',
    'load_samples', 'result_file_name', 'result_lines', 'sigma_tau_tables',
    'summarize', 'to_clockwise_quad'
]
