# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
from .pixel_ocr_visualizer import PixelOCRLocalVisualizer
from .point_spotting_visualizer import PointSpottingLocalVisualizer
from .textdet_all_ranks_visualizer import TextDetAllRanksVisualizer

__all__ = [
    'PixelOCRLocalVisualizer', 'PointSpottingLocalVisualizer',
    'TextDetAllRanksVisualizer'
]
