# Copyright (c) OpenMMLab. All rights reserved.
"""Models, by task: ``models/<task>/<model>/`` (mirrors mmocr)."""
from . import common, textdet  # noqa: F401  (registration)

__all__ = ['common', 'textdet']
