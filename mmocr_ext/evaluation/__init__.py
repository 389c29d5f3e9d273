# Copyright (c) OpenMMLab. All rights reserved.
"""Evaluation: offline/online text-detection hmean.

``functional`` is the light core (numpy/shapely/scipy); the registered
metric needs mmocr and is imported here for registration.
"""
from .ext_hmean_iou_metric import ExtHmeanIOUMetric

__all__ = ['ExtHmeanIOUMetric']
