# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CPU (gloo) multi-process training and testing with mmengine 0.10.7.

Upstream problems (mmengine 0.7.1 ... 0.10.7, unfixed on its main branch):

1. ``mmengine.dist.utils._init_dist_pytorch`` / ``_init_dist_slurm`` /
   ``_init_dist_mpi`` call ``torch.cuda.set_device(local_rank)``
   unconditionally. Without a usable GPU this raises (CPU torch:
   ``AttributeError: module 'torch._C' has no attribute '_cuda_setDevice'``;
   CUDA torch without a GPU: a CUDA runtime error), so ``dist_train.sh`` /
   ``dist_test.sh`` cannot start on a CPU machine.
2. ``mmengine.runner.Runner.wrap_model`` always passes
   ``device_ids=[LOCAL_RANK]`` to ``MMDistributedDataParallel``. PyTorch
   rejects ``device_ids`` for a CPU module (``ValueError:
   DistributedDataParallel device_ids and output_device arguments only work
   with single-device/multiple-device GPU modules or CPU modules, but got
   device_ids [0] ...``).
3. mmocr's ``default_runtime.py`` hard-codes ``dist_cfg=dict(backend='nccl')``,
   which cannot work without CUDA.

Fixes, all no-ops when CUDA is available (patch names ``dist`` for 1 and 3,
``ddp`` for 2; see :mod:`mmocr_ext.compat`):

1. The three ``_init_dist_*`` functions are wrapped: the backend is resolved by
   :func:`resolve_dist_backend` and, only when CUDA is unavailable,
   ``torch.cuda.set_device`` is a no-op for the duration of the call.
2. ``MMDistributedDataParallel.__init__`` drops ``device_ids`` and
   ``output_device`` when the wrapped module's parameters live on the CPU
   (exactly what PyTorch requires for CPU modules).
3. Backend ``'auto'`` (our ``configs/_base_/default_runtime.py``) means
   ``'nccl'`` with CUDA and ``'gloo'`` without; an explicit backend from the
   config is honoured, except ``'nccl'`` without CUDA, which falls back to
   ``'gloo'`` with a warning.
"""
import contextlib
import functools
from typing import Callable, Iterator

import torch
from mmengine.logging import print_log

_PATCHED_ATTR = '_mmocr_ext_patched'


def resolve_dist_backend(backend: str) -> str:
    """Choose the torch.distributed backend for this machine.

    Args:
        backend (str): Backend from ``env_cfg.dist_cfg.backend``: ``'auto'``,
            ``'nccl'``, ``'gloo'``, ``'mpi'`` or another torch backend.

    Returns:
        str: ``'nccl'``/``'gloo'`` for ``'auto'`` (with/without CUDA);
        ``'gloo'`` for ``'nccl'`` without CUDA; otherwise ``backend``.
    """
    has_cuda = torch.cuda.is_available()
    if backend == 'auto':
        return 'nccl' if has_cuda else 'gloo'
    if backend == 'nccl' and not has_cuda:
        print_log(
            'dist backend "nccl" needs CUDA, which is not available: using '
            '"gloo" instead (set env_cfg.dist_cfg.backend to silence this).',
            logger='current',
            level=30)
        return 'gloo'
    return backend


@contextlib.contextmanager
def _no_cuda_set_device() -> Iterator[None]:
    """Make ``torch.cuda.set_device`` a no-op while CUDA is unavailable."""
    if torch.cuda.is_available():
        yield
        return
    original = torch.cuda.set_device
    torch.cuda.set_device = lambda device: None
    try:
        yield
    finally:
        torch.cuda.set_device = original


def _wrap_init_dist(fn: Callable) -> Callable:
    """Wrap an ``mmengine.dist.utils._init_dist_*`` function."""

    @functools.wraps(fn)
    def wrapper(backend, *args, **kwargs):
        with _no_cuda_set_device():
            return fn(resolve_dist_backend(backend), *args, **kwargs)

    setattr(wrapper, _PATCHED_ATTR, True)
    return wrapper


def _wrap_ddp_init(init: Callable) -> Callable:
    """Wrap ``MMDistributedDataParallel.__init__`` to accept CPU modules."""

    @functools.wraps(init)
    def wrapper(self, module, *args, **kwargs):
        param = next(module.parameters(), None)
        if param is not None and param.device.type == 'cpu':
            kwargs.pop('device_ids', None)
            kwargs.pop('output_device', None)
        init(self, module, *args, **kwargs)

    setattr(wrapper, _PATCHED_ATTR, True)
    return wrapper


def patch_init_dist() -> None:
    """Fixes 1 and 3 of the module docstring (idempotent)."""
    from mmengine.dist import utils as dist_utils

    for name in ('_init_dist_pytorch', '_init_dist_slurm', '_init_dist_mpi'):
        fn = getattr(dist_utils, name)
        if not getattr(fn, _PATCHED_ATTR, False):
            setattr(dist_utils, name, _wrap_init_dist(fn))


def patch_ddp_device_ids() -> None:
    """Fix 2 of the module docstring (idempotent)."""
    from mmengine.model import MMDistributedDataParallel

    init = MMDistributedDataParallel.__init__
    if not getattr(init, _PATCHED_ATTR, False):
        MMDistributedDataParallel.__init__ = _wrap_ddp_init(init)
