# Copyright (c) OpenMMLab. All rights reserved.
"""Evaluation: offline/online detection metrics (issue 4)."""

__all__ = []
