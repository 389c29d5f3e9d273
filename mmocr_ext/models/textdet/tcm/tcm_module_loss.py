# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""DB loss plus TCM's instance-language matching loss (CVPR 2023)."""
from typing import Dict, Sequence, Tuple

import torch.nn.functional as F
from mmocr.models.textdet.module_losses import DBModuleLoss
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from torch import Tensor


@MODELS.register_module()
class TCMModuleLoss(DBModuleLoss):
    r"""mmocr's DBNet loss plus TCM's auxiliary matching loss.

    TCM (CVPR 2023, Sec. 3.4) supervises the instance-language score map
    :math:`S` (cosine similarities, :math:`(B, K, H/32, W/32)`) with the
    *shrunk* text mask of DBNet:

    .. math::

        L = 5 L_{prob} + L_{db} + 10 L_{thr}
            + w_{pix} \cdot \mathrm{BalancedBCE}(\mathrm{up}_{32}(S/\tau),
            gt\_shrink, gt\_shrink\_mask)

    ``up_32`` is bilinear upsampling (``align_corners=False``) to the target
    size; the balanced BCE keeps at most 3 negatives per positive, as the DB
    probability loss does. The targets come from one call of
    :meth:`DBModuleLoss.get_targets`, shared with the DB terms.

    ``forward`` accepts the usual 3-tuple of :class:`DBHead` outputs (then it
    equals :class:`DBModuleLoss`) or a 4-tuple whose last item is :math:`S`.

    Args:
        loss_pix (dict): Loss config of the matching loss. Defaults to
            ``dict(type='MaskedBalancedBCEWithLogitsLoss')``.
        weight_pix (float): Weight of the matching loss. Defaults to 1.0.
        tau (float): Temperature dividing the cosine scores into logits.
            Defaults to 0.07.
        **kwargs: Arguments of :class:`DBModuleLoss` (``loss_prob``,
            ``weight_prob``, ``shrink_ratio``, ...).
    """

    def __init__(self,
                 loss_pix: Dict = dict(type='MaskedBalancedBCEWithLogitsLoss'),
                 weight_pix: float = 1.0,
                 tau: float = 0.07,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.loss_pix = MODELS.build(loss_pix)
        self.weight_pix = weight_pix
        self.tau = tau

    def forward(self, preds: Tuple[Tensor, ...],
                data_samples: Sequence[TextDetDataSample]) -> Dict:
        """Compute the DB losses and, if given a score map, the aux loss.

        Args:
            preds (tuple[Tensor]): ``prob_logits``, ``thr_map``,
                ``binary_map`` (each :math:`(B, H, W)`) and optionally the
                score map :math:`(B, K, H/32, W/32)`.
            data_samples (list[TextDetDataSample]): The data samples.

        Returns:
            dict: ``loss_prob``, ``loss_thr``, ``loss_db`` and, with a score
            map, ``loss_pix_cls``.
        """
        assert len(preds) in (3, 4), f'expected 3 or 4 preds, got {len(preds)}'
        prob_logits, thr_map, binary_map = preds[:3]
        device = prob_logits.device
        gt_shrinks, gt_shrink_masks, gt_thrs, gt_thr_masks = (
            t.to(device) for t in self.get_targets(data_samples))
        results = dict(
            loss_prob=self.weight_prob *
            self.loss_prob(prob_logits, gt_shrinks, gt_shrink_masks),
            loss_thr=self.weight_thr *
            self.loss_thr(thr_map, gt_thrs, gt_thr_masks),
            loss_db=self.loss_db(binary_map, gt_shrinks, gt_shrink_masks))
        if len(preds) == 4:
            results['loss_pix_cls'] = self.weight_pix * self.pixel_loss(
                preds[3], gt_shrinks, gt_shrink_masks)
        return results

    def pixel_loss(self, score_map: Tensor, gt_shrinks: Tensor,
                   gt_shrink_masks: Tensor) -> Tensor:
        """Balanced BCE of the upsampled score logits vs. the shrunk mask.

        Args:
            score_map (Tensor): Cosine scores :math:`(B, K, h, w)`.
            gt_shrinks (Tensor): Shrunk text masks :math:`(B, H, W)`.
            gt_shrink_masks (Tensor): Effective masks :math:`(B, H, W)`.

        Returns:
            Tensor: The (unweighted) scalar loss.
        """
        B, K = score_map.shape[:2]
        logits = F.interpolate(
            score_map / self.tau,
            size=gt_shrinks.shape[-2:],
            mode='bilinear',
            align_corners=False)
        H, W = gt_shrinks.shape[-2:]
        if K > 1:  # every class is matched against the same text mask
            gt_shrinks = gt_shrinks.repeat_interleave(K, dim=0)
            gt_shrink_masks = gt_shrink_masks.repeat_interleave(K, dim=0)
        return self.loss_pix(
            logits.reshape(B * K, H, W), gt_shrinks, gt_shrink_masks)
