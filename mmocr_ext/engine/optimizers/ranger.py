# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Ranger optimizer for mmengine's ``OptimWrapper`` (TCM's MSRA-TD500 runs)."""
from typing import Iterable

import torch
from mmocr.registry import OPTIMIZERS


def Ranger(params: Iterable, **kwargs) -> torch.optim.Optimizer:  # noqa: N802
    """Build Ranger = RAdam + Lookahead + gradient centralization.

    TCM's pretraining and its MSRA-TD500 finetuning use Ranger with lr 1e-3,
    betas (0.95, 0.999), eps 1e-5, Lookahead alpha 0.5 / k 6, N_sma
    threshold 5 and gradient centralization on conv and fc weights. This
    builder takes it from the maintained ``pytorch-optimizer`` package
    (``pytorch_optimizer.Ranger``), whose defaults are those values, with
    ``degenerated_to_sgd=True`` so that the first steps (N_sma below the
    threshold) take an SGD-with-momentum step as the original Ranger does.

    Config: ``optim_wrapper=dict(optimizer=dict(type='Ranger', lr=1e-3))``.

    Args:
        params (iterable): Parameters or parameter groups.
        **kwargs: Arguments of ``pytorch_optimizer.Ranger``.

    Returns:
        torch.optim.Optimizer: The optimizer.
    """
    try:
        from pytorch_optimizer import Ranger as _Ranger
    except ImportError as e:  # pragma: no cover - depends on the env
        raise ImportError('Ranger needs `pip install pytorch-optimizer` '
                          '(see requirements/runtime.txt)') from e
    kwargs.setdefault('degenerated_to_sgd', True)
    return _Ranger(params, **kwargs)


OPTIMIZERS.register_module(name='Ranger', module=Ranger)
