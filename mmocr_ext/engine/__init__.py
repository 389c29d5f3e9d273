# Copyright (c) OpenMMLab. All rights reserved.
"""Training machinery shared by the models (optimizers, hooks)."""
from .optimizers import Ranger

__all__ = ['Ranger']
