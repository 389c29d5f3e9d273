# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's multi-scale region L1 for text removal (``MSR_loss``)."""
from typing import Dict, Optional, Sequence, Tuple

import torch.nn as nn
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor


def resize_to(x: Tensor, pred: Tensor) -> Tensor:
    """Nearest-resize a target map to ``pred``'s spatial size.

    For sizes divisible by the scale this is exactly the official
    ``F.interpolate(x, scale_factor=s)`` (nearest): both read source pixel
    ``floor(i / s)``.

    Args:
        x (Tensor): (B, C, H, W).
        pred (Tensor): (B, C', h, w).

    Returns:
        Tensor: (B, C, h, w), ``x`` itself when the sizes already match.
    """
    if x.shape[-2:] == pred.shape[-2:]:
        return x
    return F.interpolate(x, size=pred.shape[-2:], mode='nearest')


@MODELS.register_module()
class MultiScaleMaskedL1Loss(nn.Module):
    """Multi-scale region L1 (spec §4.1 item 1).

    With M the text mask (1 = non-text, 0 = text), Y the clean target and
    O_s the output at scale s::

        L = sum_s  a_s * l1((1 - M_s) * O_s, (1 - M_s) * Y_s)
                 + b_s * l1(M_s * O_s, M_s * Y_s)

    ``l1`` is the mean over the whole (B, 3, h, w) tensor (not normalised by
    the region's area), M_s and Y_s are nearest-resized to O_s. Text pixels
    get the larger weight a_s.

    Args:
        scales (Sequence[float]): Output scales, one per prediction.
            Defaults to (0.25, 0.5, 1.0).
        weights (Sequence[tuple[float, float]]): (a_s, b_s) = (text,
            non-text) per scale. Defaults to ((5, 0.8), (6, 1), (10, 2)).
        loss_name (str): The returned key. Defaults to 'MSR_loss'.
    """

    def __init__(self,
                 scales: Sequence[float] = (0.25, 0.5, 1.0),
                 weights: Sequence[Tuple[float,
                                         float]] = ((5, 0.8), (6, 1), (10, 2)),
                 loss_name: str = 'MSR_loss') -> None:
        super().__init__()
        if len(scales) != len(weights):
            raise ValueError(f'{len(scales)} scales but {len(weights)} '
                             'weight pairs')
        self.scales = tuple(float(s) for s in scales)
        self.weights = tuple((float(a), float(b)) for a, b in weights)
        self.loss_name = loss_name

    def forward(self,
                preds: Sequence[Tensor],
                target: Tensor,
                text_mask: Optional[Tensor] = None,
                img: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """Compute the loss.

        Args:
            preds (Sequence[Tensor]): Outputs (B, 3, h_s, w_s), one per
                scale, coarsest first.
            target (Tensor): Clean images (B, 3, H, W) in [0, 1].
            text_mask (Tensor): (B, 1, H, W), 1 = non-text, 0 = text.
            img (Tensor, optional): Unused.

        Returns:
            dict[str, Tensor]: ``{loss_name: scalar}``.
        """
        if text_mask is None:
            raise ValueError('MultiScaleMaskedL1Loss needs the text mask')
        if len(preds) != len(self.scales):
            raise ValueError(f'{len(preds)} outputs for {len(self.scales)} '
                             'scales')
        text_mask = text_mask.float()
        target = target.float()
        loss = 0.
        for pred, (w_text, w_bg) in zip(preds, self.weights):
            pred = pred.float()
            mask = resize_to(text_mask, pred)
            gt = resize_to(target, pred)
            loss = loss + w_text * F.l1_loss((1 - mask) * pred,
                                             (1 - mask) * gt)
            loss = loss + w_bg * F.l1_loss(mask * pred, mask * gt)
        return {self.loss_name: loss}
