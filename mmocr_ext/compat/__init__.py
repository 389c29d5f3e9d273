# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Narrow compatibility layer for mmengine 0.10.7 on today's PyTorch.

Each patch fixes one documented upstream problem. They are applied once, by
:func:`mmocr_ext.register_all_modules` -- which configs trigger through
``custom_imports = dict(imports=['mmocr_ext.registration'])``, run by
mmengine before the Runner initialises distribution. Importing this module
applies nothing:

* ``dist``: ``init_dist`` without ``torch.cuda.set_device`` on CPU, backend
  ``'auto'`` (:mod:`mmocr_ext.compat.dist`).
* ``ddp``: no ``device_ids`` for DDP-wrapped CPU models
  (:mod:`mmocr_ext.compat.dist`).
* ``checkpoint``: ``weights_only=True`` checkpoint loading with an explicit
  allow-list on torch>=2.6 (:mod:`mmocr_ext.compat.checkpoint`).
* ``strict_load``: ``Runner.load_checkpoint`` (``load_from``, ``--resume``,
  ``tools/test.py``) refuses missing/unexpected keys and shape mismatches
  unless ``allow_partial_checkpoint=True``
  (:mod:`mmocr_ext.compat.strict_load`).
* ``atomic_save``: local checkpoint (and ``last_checkpoint``) writes go
  through a temporary file + ``os.replace``
  (:mod:`mmocr_ext.compat.atomic_save`).

Set ``MMOCR_EXT_DISABLE_COMPAT=dist,ddp,checkpoint,strict_load,atomic_save``
(or ``all``) to switch patches off, e.g. to reproduce the upstream failures;
the tests do so to prove each patch is needed.
"""
import os
from typing import Dict, List

from .atomic_save import atomic_write, patch_atomic_save
from .checkpoint import (CHECKPOINT_SAFE_GLOBALS, UnsafeCheckpointError,
                         load_checkpoint_safely, patch_checkpoint_loading)
from .dist import patch_ddp_device_ids, patch_init_dist, resolve_dist_backend
from .strict_load import (ALLOW_PARTIAL_KEY, CheckpointMismatchError,
                          check_state_dict, patch_strict_load,
                          strict_inferencer_loading)

_PATCHES = {
    'dist': patch_init_dist,
    'ddp': patch_ddp_device_ids,
    'checkpoint': patch_checkpoint_loading,
    'strict_load': patch_strict_load,
    'atomic_save': patch_atomic_save,
}
_applied: Dict[str, bool] = {}


def disabled_patches() -> List[str]:
    """Names of the patches switched off by ``MMOCR_EXT_DISABLE_COMPAT``."""
    value = os.environ.get('MMOCR_EXT_DISABLE_COMPAT', '')
    names = [n.strip() for n in value.split(',') if n.strip()]
    if 'all' in names:
        return list(_PATCHES)
    unknown = set(names) - set(_PATCHES)
    if unknown:
        raise ValueError(
            f'MMOCR_EXT_DISABLE_COMPAT names unknown patches {sorted(unknown)}'
            f'; known: {sorted(_PATCHES)} or "all"')
    return names


def apply_compat_patches() -> Dict[str, bool]:
    """Apply every patch not disabled; idempotent.

    Returns:
        dict: patch name -> whether it is active.
    """
    off = disabled_patches()
    for name, patch in _PATCHES.items():
        if name in _applied:
            continue
        if name not in off:
            patch()
        _applied[name] = name not in off
    return dict(_applied)


__all__ = [
    'apply_compat_patches', 'disabled_patches', 'patch_init_dist',
    'patch_ddp_device_ids', 'resolve_dist_backend', 'patch_checkpoint_loading',
    'load_checkpoint_safely', 'UnsafeCheckpointError',
    'CHECKPOINT_SAFE_GLOBALS', 'patch_strict_load', 'check_state_dict',
    'CheckpointMismatchError', 'strict_inferencer_loading',
    'ALLOW_PARTIAL_KEY', 'patch_atomic_save', 'atomic_write'
]
