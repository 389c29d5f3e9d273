# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The evaluation core: numpy, shapely and scipy only (no torch, no mmocr).

Used by ``tools/eval_hmean.py`` and by
:class:`~mmocr_ext.evaluation.metrics.ExtHmeanIOUMetric`, so that offline
and online numbers agree exactly; see docs/evaluation.md.
"""
from .deteval_protocol import deteval_image, evaluate_deteval, sigma_tau_tables
from .errors import EvalInputError
from .evaluate_files import FORMATS, PROTOCOLS, evaluate_files, load_samples
from .geometry import build_polygons
from .iou_protocol import IoUTable, evaluate_iou, hmean, summarize
from .parsers import parse_text_files
from .polygon_arrays import PolygonArrays, candidate_pairs, intersection_areas
from .sources import read_files
from .structures import EvalSample
from .submission import (format_number, result_file_name, result_lines,
                         to_clockwise_quad)

__all__ = [
    'EvalInputError', 'EvalSample', 'FORMATS', 'PROTOCOLS', 'IoUTable',
    'PolygonArrays', 'build_polygons', 'candidate_pairs', 'deteval_image',
    'evaluate_deteval', 'evaluate_files', 'evaluate_iou', 'format_number',
    'hmean', 'intersection_areas', 'load_samples', 'parse_text_files',
    'read_files', 'result_file_name', 'result_lines', 'sigma_tau_tables',
    'summarize', 'to_clockwise_quad'
]
