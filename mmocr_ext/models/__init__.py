# Copyright (c) OpenMMLab. All rights reserved.
"""Models, by task: ``models/<task>/<model>/`` (mirrors mmocr)."""

__all__ = []
