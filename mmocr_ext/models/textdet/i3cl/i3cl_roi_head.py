# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Mask R-CNN RoI head with I3CL's inter-instance module and SSL weights."""
from typing import Optional, Tuple

import torch
from mmdet.models.roi_heads import StandardRoIHead
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.registry import MODELS
from mmdet.utils import OptConfigType
from mmengine.structures import InstanceData
from torch import Tensor


def attach_loss_weights(result: SamplingResult,
                        gt_instances: InstanceData) -> SamplingResult:
    """Store the SSL weights of the positives' ground truths on ``result``.

    ``result.pos_loss_weights`` (num_pos,) is
    ``gt_instances.loss_weights[result.pos_assigned_gt_inds]`` when the
    ground truth carries ``loss_weights`` (spec A3), else not set.
    """
    if 'loss_weights' in gt_instances:
        weights = gt_instances.loss_weights.to(result.pos_priors)
        result.pos_loss_weights = weights[result.pos_assigned_gt_inds]
    return result


class _LossWeightSampler:
    """Wraps a sampler so every result carries the positives' SSL weights."""

    def __init__(self, sampler) -> None:
        self.sampler = sampler

    def sample(self, assign_result, pred_instances, gt_instances, **kwargs):
        result = self.sampler.sample(assign_result, pred_instances,
                                     gt_instances, **kwargs)
        return attach_loss_weights(result, gt_instances)

    def __getattr__(self, name):
        # Only called for attributes not found normally; during copy or
        # unpickling ``sampler`` itself may not be set yet.
        if name == 'sampler':
            raise AttributeError(name)
        return getattr(self.sampler, name)


@MODELS.register_module()
class I3CLRoIHead(StandardRoIHead):
    """:class:`mmdet.models.StandardRoIHead` plus I3CL's inter-instance
    module on the mask branch (spec A2.3, A9).

    Only :meth:`_mask_forward` is overridden: after the mask RoI extractor,
    the RoI features go through :class:`I3CLInterInstance` with the RoI
    counts per image read from the RoIs' batch-index column, so that
    ``loss`` (positive RoIs), ``predict`` (detections, any batch size) and
    ``forward`` use the same path and an image with zero RoIs is simply
    skipped. The box branch is unchanged.

    SSL (spec A3): the box sampler is wrapped so every sampling result
    carries ``pos_loss_weights`` (the per-instance ``loss_weights`` of the
    assigned ground truths, when the data provides them); a
    :class:`I3CLBBoxHead` applies them to its positive targets. The mask
    loss is not weighted.

    Args:
        inter_cl (dict, optional): Config of the inter-instance module.
            Defaults to ``dict(type='I3CLInterInstance')``.
        intercl_on (bool): Use the inter-instance module (the official
            switch). Defaults to True.
        **kwargs: As :class:`mmdet.models.StandardRoIHead`; a separate
            ``mask_roi_extractor`` is required when ``intercl_on``.
    """

    def __init__(self,
                 *args,
                 inter_cl: OptConfigType = dict(type='I3CLInterInstance'),
                 intercl_on: bool = True,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.intercl_on = intercl_on
        if intercl_on:
            if self.share_roi_extractor:
                raise ValueError('I3CLRoIHead with intercl_on needs its own '
                                 'mask_roi_extractor (14x14 RoIs)')
            self.inter_cl_module = MODELS.build(inter_cl)

    def init_assigner_sampler(self) -> None:
        """Build the assigner and the sampler, the latter SSL-aware."""
        super().init_assigner_sampler()
        if self.bbox_sampler is not None:
            self.bbox_sampler = _LossWeightSampler(self.bbox_sampler)

    def _mask_forward(self,
                      x: Tuple[Tensor],
                      rois: Optional[Tensor] = None,
                      pos_inds: Optional[Tensor] = None,
                      bbox_feats: Optional[Tensor] = None) -> dict:
        """Mask features of ``rois`` (N, 5), fused across the instances of
        each image, then the mask head.

        Returns:
            dict: ``mask_preds`` (N, num_classes, 28, 28) and ``mask_feats``
            (N, C, 14, 14).
        """
        if not self.intercl_on:
            return super()._mask_forward(x, rois, pos_inds, bbox_feats)
        if rois is None:
            raise ValueError('I3CLRoIHead computes mask features from RoIs')
        mask_feats = self.mask_roi_extractor(
            x[:self.mask_roi_extractor.num_inputs], rois)
        if self.with_shared_head:
            mask_feats = self.shared_head(mask_feats)
        num_imgs = x[0].size(0)
        num_per_img = torch.bincount(
            rois[:, 0].long(), minlength=num_imgs).tolist()
        levels = len(
            self.inter_cl_module.global_context_extract_module.conv1x1_list)
        mask_feats = self.inter_cl_module(x[:levels], mask_feats, num_per_img)
        mask_preds = self.mask_head(mask_feats)
        return dict(mask_preds=mask_preds, mask_feats=mask_feats)
