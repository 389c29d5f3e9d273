# Copyright (c) OpenMMLab. All rights reserved.
"""mmocr_ext: scene-text research models as an OpenMMLab 2.0 plugin.

Importing the package (configs do it through ``custom_imports``) applies the
compatibility patches of :mod:`mmocr_ext.compat` and registers every module
into mmocr's registries.
"""
from .compat import apply_compat_patches
from .version import __version__

apply_compat_patches()

from . import (datasets, engine, evaluation, models,  # noqa: E402,F401
               visualization)  # (registration)

__all__ = ['__version__', 'apply_compat_patches']
