# Copyright (c) OpenMMLab. All rights reserved.
from .textdet_all_ranks_visualizer import TextDetAllRanksVisualizer

__all__ = ['TextDetAllRanksVisualizer']
