# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""RPN head applying I3CL's per-instance SSL loss weights."""
from typing import Optional

from mmdet.models.dense_heads import RPNHead
from mmdet.models.task_modules.prior_generators import anchor_inside_flags
from mmdet.registry import MODELS
from mmengine.structures import InstanceData
from torch import Tensor


@MODELS.register_module()
class I3CLRPNHead(RPNHead):
    """:class:`mmdet.models.RPNHead` whose positive anchors are weighted by
    the SSL ``loss_weights`` of their assigned ground truths (spec A3).

    For a positive anchor assigned to ground truth ``j`` the box-regression
    weight is ``w_j`` and, unless ``train_cfg.pos_weight > 0`` overrides it
    (as in the official code), so is the classification weight. Negatives
    keep weight 1. Without ``gt_instances.loss_weights`` this is exactly
    :class:`~mmdet.models.RPNHead`.
    """

    def _get_targets_single(self,
                            flat_anchors: Tensor,
                            valid_flags: Tensor,
                            gt_instances: InstanceData,
                            img_meta: dict,
                            gt_instances_ignore: Optional[InstanceData] = None,
                            unmap_outputs: bool = True) -> tuple:
        """As :meth:`AnchorHead._get_targets_single`, positives weighted."""
        targets = super()._get_targets_single(flat_anchors, valid_flags,
                                              gt_instances, img_meta,
                                              gt_instances_ignore,
                                              unmap_outputs)
        (labels, label_weights, bbox_targets, bbox_weights, pos_inds, neg_inds,
         sampling_result) = targets
        if 'loss_weights' not in gt_instances or len(pos_inds) == 0:
            return targets
        weights = gt_instances.loss_weights.to(label_weights)
        weights = weights[sampling_result.pos_assigned_gt_inds]
        index = pos_inds
        if unmap_outputs:
            inside = anchor_inside_flags(flat_anchors, valid_flags,
                                         img_meta['img_shape'][:2],
                                         self.train_cfg['allowed_border'])
            index = inside.nonzero(as_tuple=False).squeeze(1)[pos_inds]
        bbox_weights[index] = weights[:, None].expand(-1, bbox_weights.size(1))
        if self.train_cfg['pos_weight'] <= 0:
            label_weights[index] = weights
        return targets
