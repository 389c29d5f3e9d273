# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Online metrics, registered in mmocr's METRICS (need torch/mmengine)."""
from .ext_hmean_iou_metric import ExtHmeanIOUMetric
from .instruction_following_metric import InstructionFollowingMetric
from .point_spotting_metric import PointSpottingMetric
from .polygon_spotting_metric import PolygonSpottingMetric
from .tampered_text_metric import TamperedTextMetric
from .text_removal_metric import TextRemovalMetric
from .text_seg_metric import TextSegMetric

__all__ = [
    'ExtHmeanIOUMetric', 'InstructionFollowingMetric', 'PointSpottingMetric',
    'PolygonSpottingMetric', 'TamperedTextMetric', 'TextRemovalMetric',
    'TextSegMetric'
]
