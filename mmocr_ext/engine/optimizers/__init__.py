# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
from .ranger import Ranger

__all__ = ['Ranger']
