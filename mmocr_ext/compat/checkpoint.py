# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Safe checkpoint loading for mmengine 0.10.7 on torch>=2.6.

Upstream problem: torch 2.6 switched ``torch.load`` to ``weights_only=True``
by default. mmengine 0.10.7's ``load_from_local`` (used by ``load_from``,
``--resume`` and ``tools/test.py CHECKPOINT``) calls ``torch.load`` without
an allow-list, and its own checkpoints pickle non-tensor objects (the
``message_hub`` holds ``mmengine.logging.HistoryBuffer`` objects with numpy
arrays), so loading fails with ``UnpicklingError: Weights only load failed ...
Unsupported global: GLOBAL mmengine.logging.history_buffer.HistoryBuffer``
(mmengine#1655). mmengine's fix on its main branch (#1670) switches
``weights_only`` off, which lets any checkpoint run arbitrary code.

Fix: the local-file scheme of ``mmengine.runner.CheckpointLoader`` is
re-registered with :func:`load_checkpoint_safely`, which always calls
``torch.load(..., weights_only=True)`` inside
``torch.serialization.safe_globals(CHECKPOINT_SAFE_GLOBALS)``: the explicit
list of the classes/functions mmengine/mmocr checkpoints contain. The list is
scoped to these loads (nothing is added to torch's global allow-list). Any
other pickled global is refused with :class:`UnsafeCheckpointError`, which
names the file and the offending globals.
"""
import pickle
from typing import Any, List, Optional

import numpy as np
import torch

_PATCHED_ATTR = '_mmocr_ext_patched'


def _numpy_globals() -> List[Any]:
    """numpy objects that pickled arrays, dtypes and scalars reference."""
    try:  # numpy>=1.25 moved these to numpy._core/numpy.core aliases
        from numpy.core.multiarray import _reconstruct, scalar
    except ImportError:  # pragma: no cover - numpy 2
        from numpy._core.multiarray import _reconstruct, scalar
    dtype_classes = [
        type(np.dtype(t))
        for t in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
                  np.uint16, np.uint32, np.uint64, np.float16, np.float32,
                  np.float64)
    ]
    return [_reconstruct, scalar, np.ndarray, np.dtype, *dtype_classes]


def _history_buffer_getattr(obj: Any, name: str) -> Any:
    """A ``getattr`` that only looks up HistoryBuffer statistics methods.

    A ``HistoryBuffer`` pickles its ``_statistics_methods`` dict, whose
    values (``HistoryBuffer.min`` ...) pickle as ``builtins.getattr(
    HistoryBuffer, 'min')``. Allowing the real ``getattr`` would hand a
    checkpoint arbitrary attribute access, so this stand-in is registered
    under the name ``builtins.getattr`` instead and refuses anything else.
    """
    from mmengine.logging import HistoryBuffer

    # the built-in statistics are added to the dict on first instantiation,
    # custom ones by HistoryBuffer.register_statistics
    allowed = {'min', 'max', 'current', 'mean'}
    allowed.update(HistoryBuffer._statistics_methods)
    if obj is HistoryBuffer and name in allowed:
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'getattr({obj!r}, {name!r}) is not allowed in a checkpoint')


def _openmmlab_globals() -> List[Any]:
    """mmengine objects stored in the ``meta``/``message_hub`` entries."""
    from mmengine.config import ConfigDict
    from mmengine.logging import HistoryBuffer
    return [
        HistoryBuffer, ConfigDict,
        (_history_buffer_getattr, 'builtins.getattr')
    ]


def _training_script_globals() -> List[Any]:
    """Objects that foreign training scripts store beside the weights.

    timm's ``CheckpointSaver`` (used for the ViTAEv2 ImageNet checkpoints
    that I3CL starts from) pickles the run's ``args`` as an
    ``argparse.Namespace``: a plain attribute bag whose values must
    themselves be allowed.
    """
    import argparse
    return [argparse.Namespace]


#: Globals a checkpoint may reference; anything else is refused. Entries are
#: objects, or ``(object, 'qualified.name')`` for a stand-in registered under
#: the name the pickle uses.
CHECKPOINT_SAFE_GLOBALS: List[Any] = (
    _numpy_globals() + _openmmlab_globals() + _training_script_globals())


def _global_name(entry: Any) -> str:
    """Qualified name under which an allow-list entry is registered."""
    if isinstance(entry, tuple):
        return entry[1]
    return f'{entry.__module__}.{entry.__qualname__}'


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint references pickled globals outside the allow-list."""


def _describe_unsafe(filename: str) -> str:
    """List the globals of ``filename`` that torch does not consider safe."""
    try:
        found = torch.serialization.get_unsafe_globals_in_checkpoint(filename)
    except Exception:  # not a zip checkpoint: no cheap way to list them
        return ''
    allowed = {_global_name(g) for g in CHECKPOINT_SAFE_GLOBALS}
    bad = sorted(set(found) - allowed)
    return f' It references {bad}.' if bad else ''


def load_checkpoint_safely(filename: str,
                           map_location: Optional[Any] = None) -> Any:
    """``torch.load`` a local checkpoint with ``weights_only=True``.

    Args:
        filename (str): Path of the checkpoint file.
        map_location: Same as :func:`torch.load`. Defaults to None.

    Returns:
        The loaded object (usually a dict with ``state_dict``, ``meta``,
        ``optimizer``, ``param_schedulers``, ``message_hub``).

    Raises:
        FileNotFoundError: ``filename`` does not exist.
        UnsafeCheckpointError: the file pickles a global that is not in
            :data:`CHECKPOINT_SAFE_GLOBALS` (e.g. a function that would run
            code while loading). Such files are never loaded.
    """
    import os.path as osp
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file {filename} does not exist')
    with torch.serialization.safe_globals(CHECKPOINT_SAFE_GLOBALS):
        try:
            return torch.load(
                filename, map_location=map_location, weights_only=True)
        except pickle.UnpicklingError as e:
            raise UnsafeCheckpointError(
                f'Refusing to load checkpoint {filename}: it contains '
                'pickled objects outside mmocr_ext\'s allow-list of '
                'checkpoint globals, and mmocr_ext never loads checkpoints '
                f'with weights_only=False.{_describe_unsafe(filename)} If '
                'you trust the file, re-save its tensors as a plain state '
                f'dict. torch said: {str(e).splitlines()[0]}') from e


def patch_checkpoint_loading() -> None:
    """Route mmengine's local checkpoint loading through the safe loader."""
    from mmengine.runner import CheckpointLoader
    current = CheckpointLoader._schemes.get('')
    if getattr(current, _PATCHED_ATTR, False):
        return

    def load_from_local(filename, map_location):
        """Load a local checkpoint with weights_only=True (mmocr_ext)."""
        return load_checkpoint_safely(filename, map_location)

    setattr(load_from_local, _PATCHED_ATTR, True)
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local, force=True)
