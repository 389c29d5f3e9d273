# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""mmocr_ext: scene-text research models as an OpenMMLab 2.0 plugin.

Importing ``mmocr_ext`` (or any light submodule such as
:mod:`mmocr_ext.evaluation.functional`) has no side effects and does not
import torch or mmocr. Registration into mmocr's registries and the
compatibility patches of :mod:`mmocr_ext.compat` happen when asked for:

* in a config: ``custom_imports = dict(imports=['mmocr_ext.registration'])``
  (every config of this repository inherits it from its task's
  ``_base_/default_runtime.py``);
* in Python: ``mmocr_ext.register_all_modules()``.
"""
from .version import __version__


def register_all_modules(init_default_scope: bool = False) -> None:
    """Register every mmocr_ext module and apply the compatibility patches.

    Idempotent. See :func:`mmocr_ext.registration.register_all_modules`.

    Args:
        init_default_scope (bool): Also make ``'mmocr'`` the current default
            scope, as :func:`mmocr.utils.register_all_modules` does.
            Defaults to False.
    """
    from .registration import register_all_modules as _register
    _register(init_default_scope)


__all__ = ['__version__', 'register_all_modules']
