# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Multi-scale smooth-L1 with ignored pixels (segmentation, tamper)."""
from typing import Dict, Optional, Sequence

import torch.nn as nn
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor

from .multi_scale_masked_l1_loss import resize_to

#: Target values within this distance of a reference value match it (the
#: targets are uint8 / 255, so 128 / 255 is matched exactly).
_TOL = 1e-4


def _masked_mean(x: Tensor, keep: Tensor) -> Tensor:
    """Mean of ``x[keep]``; 0 (still differentiable) when nothing is kept."""
    if bool(keep.any()):
        return x[keep].mean()
    return (x * 0).sum()


@MODELS.register_module()
class MultiScaleIgnoreSmoothL1Loss(nn.Module):
    """Smooth-L1 on the 3-channel target image, ignored elements skipped
    (spec §4.2, §4.3).

    For each output O_s the target is nearest-resized to its size; the
    element-wise smooth-L1 (``beta``) is averaged over the elements whose
    target is not ``ignore_value`` (128 / 255); the scale losses are summed
    with ``weights``. If every element is ignored the scale contributes 0
    (with a gradient), never NaN (the official code would divide by 0).

    For logging, the same sum restricted to target == 1 and target == 0 is
    returned under ``pos_l1`` / ``neg_l1`` (detached; their keys do not
    contain "loss", so mmengine does not optimise them).

    Args:
        weights (Sequence[float]): Per-scale weights, coarsest first.
            Defaults to (5, 6, 10).
        ignore_value (float): Ignored target value. Defaults to 128 / 255.
        beta (float): Smooth-L1 threshold. Defaults to 1.0.
        log_pos_neg (bool): Also return ``pos_l1`` and ``neg_l1``.
            Defaults to True.
        loss_name (str): Key of the optimised term. Defaults to 'l1_loss'.
    """

    def __init__(self,
                 weights: Sequence[float] = (5, 6, 10),
                 ignore_value: float = 128 / 255,
                 beta: float = 1.0,
                 log_pos_neg: bool = True,
                 loss_name: str = 'l1_loss') -> None:
        super().__init__()
        self.weights = tuple(float(w) for w in weights)
        self.ignore_value = float(ignore_value)
        self.beta = float(beta)
        self.log_pos_neg = log_pos_neg
        self.loss_name = loss_name

    def forward(self,
                preds: Sequence[Tensor],
                target: Tensor,
                text_mask: Optional[Tensor] = None,
                img: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """Compute the loss.

        Args:
            preds (Sequence[Tensor]): Outputs (B, 3, h_s, w_s), one per
                weight, coarsest first.
            target (Tensor): (B, 3, H, W) in [0, 1].
            text_mask (Tensor, optional): Unused.
            img (Tensor, optional): Unused.

        Returns:
            dict[str, Tensor]: ``loss_name`` and, with ``log_pos_neg``,
            ``pos_l1`` and ``neg_l1``.
        """
        if len(preds) != len(self.weights):
            raise ValueError(f'{len(preds)} outputs for '
                             f'{len(self.weights)} weights')
        target = target.float()
        loss, pos, neg = 0., 0., 0.
        for pred, weight in zip(preds, self.weights):
            pred = pred.float()
            gt = resize_to(target, pred)
            diff = F.smooth_l1_loss(pred, gt, reduction='none', beta=self.beta)
            keep = (gt - self.ignore_value).abs() > _TOL
            loss = loss + weight * _masked_mean(diff, keep)
            if self.log_pos_neg:
                d = diff.detach()
                pos = pos + weight * _masked_mean(d, (gt - 1).abs() <= _TOL)
                neg = neg + weight * _masked_mean(d, gt.abs() <= _TOL)
        out = {self.loss_name: loss}
        if self.log_pos_neg:
            out.update(pos_l1=pos, neg_l1=neg)
        return out
