# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Data samplers. Importing this package registers them in mmocr's
``DATA_SAMPLERS`` registry."""
from .multi_task_grouped_sampler import MultiTaskGroupedSampler

__all__ = ['MultiTaskGroupedSampler']
