# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Training machinery shared by the models (optimizers, hooks, schedulers)."""
from .hooks import RNGStateHook
from .optimizers import Ranger
from .schedulers import UPOCRStaircaseLR

__all__ = ['Ranger', 'RNGStateHook', 'UPOCRStaircaseLR']
