# Copyright (c) OpenMMLab. All rights reserved.
from .ranger import Ranger

__all__ = ['Ranger']
