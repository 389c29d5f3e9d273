# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's learning-rate schedule: a per-"epoch" staircase with a linear
warm-up and a linear decay to a floor."""
from typing import List, Union

from mmengine.optim import BaseOptimWrapper
from mmengine.optim.scheduler.lr_scheduler import LRSchedulerMixin
from mmengine.optim.scheduler.param_scheduler import INF, _ParamScheduler
from mmocr.registry import PARAM_SCHEDULERS
from torch.optim import Optimizer


def upocr_lr_factor(step: int, iters_per_epoch: int, warmup_epochs: int,
                    warmup_start_factor: float, total_epochs: int,
                    min_factor: float) -> float:
    """The learning rate at iteration ``step`` as a fraction of the base.

    UPOCR (spec §5) holds the rate constant within each "epoch" of
    ``iters_per_epoch`` iterations. With ``e = step // iters_per_epoch``:
    ``s + (1 - s) * e / W`` for ``e < W`` (warm-up from ``s`` of the base),
    then ``max((T - 1 - e) / T, m)``. With the official numbers (base 5e-4,
    warm-up from 1e-4 over 10 of 400 epochs, floor 1e-5) epoch 10 is at
    4.8625e-4, epoch 200 at 2.4875e-4 and epochs 391-399 sit on the floor.

    Args:
        step (int): Iteration (0-based).
        iters_per_epoch (int): Iterations per "epoch" (official 200).
        warmup_epochs (int): W (official 10).
        warmup_start_factor (float): s (official 1e-4 / 5e-4 = 0.2).
        total_epochs (int): T (official 400).
        min_factor (float): m (official 1e-5 / 5e-4 = 0.02).

    Returns:
        float: The factor.
    """
    epoch = step // iters_per_epoch
    if epoch < warmup_epochs:
        return (warmup_start_factor +
                (1 - warmup_start_factor) * epoch / warmup_epochs)
    return max((total_epochs - 1 - epoch) / total_epochs, min_factor)


@PARAM_SCHEDULERS.register_module()
class UPOCRStaircaseLR(LRSchedulerMixin, _ParamScheduler):
    """UPOCR's staircase schedule (:func:`upocr_lr_factor`), iteration-based.

    Every parameter group follows the same factor of its own initial rate,
    so the encoder group (``lr_mult=0.1``) gets 0.1x the values, floor
    included, as in the official code.

    Args:
        optimizer (Optimizer | BaseOptimWrapper): The optimizer.
        iters_per_epoch (int): Defaults to 200.
        warmup_epochs (int): Defaults to 10.
        warmup_start_lr (float): Rate of epoch 0, for the base rate
            ``base_lr``. Defaults to 1e-4.
        base_lr (float): The optimizer's configured rate the two absolute
            rates refer to. Defaults to 5e-4.
        min_lr (float): Floor. Defaults to 1e-5.
        total_epochs (int): Defaults to 400 (80k iterations).
        begin, end, last_step, by_epoch, verbose: As in mmengine's
            schedulers; ``by_epoch`` must be False.
    """

    def __init__(self,
                 optimizer: Union[Optimizer, BaseOptimWrapper],
                 iters_per_epoch: int = 200,
                 warmup_epochs: int = 10,
                 warmup_start_lr: float = 1e-4,
                 base_lr: float = 5e-4,
                 min_lr: float = 1e-5,
                 total_epochs: int = 400,
                 begin: int = 0,
                 end: int = INF,
                 last_step: int = -1,
                 by_epoch: bool = False,
                 verbose: bool = False) -> None:
        if by_epoch:
            raise ValueError('UPOCRStaircaseLR counts iterations: set '
                             'by_epoch=False (iters_per_epoch sets the steps)')
        if iters_per_epoch < 1 or total_epochs < 1 or warmup_epochs < 0:
            raise ValueError(
                'UPOCRStaircaseLR: iters_per_epoch and total_epochs must be '
                f'>= 1 and warmup_epochs >= 0, got {iters_per_epoch}, '
                f'{total_epochs}, {warmup_epochs}')
        self.iters_per_epoch = iters_per_epoch
        self.warmup_epochs = warmup_epochs
        self.warmup_start_factor = warmup_start_lr / base_lr
        self.total_epochs = total_epochs
        self.min_factor = min_lr / base_lr
        super().__init__(
            optimizer,
            begin=begin,
            end=end,
            last_step=last_step,
            by_epoch=by_epoch,
            verbose=verbose)

    def _factor(self) -> float:
        return upocr_lr_factor(self.last_step - self.begin,
                               self.iters_per_epoch, self.warmup_epochs,
                               self.warmup_start_factor, self.total_epochs,
                               self.min_factor)

    def _get_value(self) -> List[float]:
        factor = self._factor()
        return [base * factor for base in self.base_values]
