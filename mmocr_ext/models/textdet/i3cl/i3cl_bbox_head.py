# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Box head applying I3CL's per-instance SSL loss weights."""
from typing import List

import torch
from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.registry import MODELS
from mmengine.config import ConfigDict


@MODELS.register_module()
class I3CLBBoxHead(Shared2FCBBoxHead):
    """:class:`mmdet.models.Shared2FCBBoxHead` whose positive RoIs take the
    SSL weight of their assigned ground truth (spec A3).

    The classification and regression weights of the positive RoIs of each
    image are set to ``sampling_result.pos_loss_weights`` (attached by
    :class:`I3CLRoIHead`'s sampler); as in the official code they replace
    ``pos_weight``. Negatives keep weight 1. Without weights this is
    exactly :class:`~mmdet.models.Shared2FCBBoxHead`.
    """

    def get_targets(self,
                    sampling_results: List[SamplingResult],
                    rcnn_train_cfg: ConfigDict,
                    concat: bool = True) -> tuple:
        """As :meth:`BBoxHead.get_targets`, positives weighted."""
        labels, label_weights, bbox_targets, bbox_weights = \
            super().get_targets(sampling_results, rcnn_train_cfg, False)
        for i, res in enumerate(sampling_results):
            weights = getattr(res, 'pos_loss_weights', None)
            if weights is None:
                continue
            num_pos = len(res.pos_priors)
            # Positives come first in every per-image target.
            label_weights[i][:num_pos] = weights
            bbox_weights[i][:num_pos] = weights[:, None]
        if concat:
            labels, label_weights, bbox_targets, bbox_weights = (
                torch.cat(t, 0)
                for t in (labels, label_weights, bbox_targets, bbox_weights))
        return labels, label_weights, bbox_targets, bbox_weights
