# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Registration of every mmocr_ext module, plus the compatibility patches.

Configs ask for it with
``custom_imports = dict(imports=['mmocr_ext.registration'],
allow_failed_imports=False)``: mmengine imports this module while parsing
the config, i.e. before the Runner initialises distribution, which is when
the patches of :mod:`mmocr_ext.compat` must be in place. In Python, call
:func:`mmocr_ext.register_all_modules` instead. Importing any other part of
the package registers nothing beyond the classes of the module imported.
"""
import importlib

# Sub-packages (and, where the package is lazy, modules) whose import
# registers their classes in mmocr's (or, for parts mmdet builds,
# mmdet's) registries.
REGISTERING_PACKAGES = (
    'mmocr_ext.datasets.checked_ocr_dataset',
    'mmocr_ext.datasets.synth_render_dataset',
    'mmocr_ext.datasets.scut_enstext_dataset',
    'mmocr_ext.datasets.textseg_dataset',
    'mmocr_ext.datasets.tampered_ic13_dataset',
    'mmocr_ext.datasets.synth_pixel_dataset',
    'mmocr_ext.datasets.samplers',
    'mmocr_ext.datasets.transforms',
    'mmocr_ext.engine',
    'mmocr_ext.evaluation.metrics',
    'mmocr_ext.models',
    'mmocr_ext.visualization',
)


def register_all_modules(init_default_scope: bool = False) -> None:
    """Apply the compatibility patches and import every registering package.

    Idempotent: the patches are applied once, imports are cached.

    Args:
        init_default_scope (bool): Also make ``'mmocr'`` the current default
            scope. Defaults to False.
    """
    from .compat import apply_compat_patches
    apply_compat_patches()
    for name in REGISTERING_PACKAGES:
        importlib.import_module(name)
    if init_default_scope:
        from mmocr.utils import register_all_modules as mmocr_register
        mmocr_register(init_default_scope=True)


register_all_modules()

__all__ = ['register_all_modules', 'REGISTERING_PACKAGES']
