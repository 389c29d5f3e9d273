# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Instruction-following metric for instruction-driven text spotters."""
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmocr.registry import METRICS

from ..functional.iou_protocol import hmean
from ..functional.point_spotting import CENTER_MODES, SpottingImage
from ..functional.point_spotting_instruction import match_instruction
from .point_spotting_metric import (gt_from_sample, instance_field,
                                    pred_from_sample)


@METRICS.register_module()
class InstructionFollowingMetric(BaseMetric):
    """Whether the model returned exactly the instances the instruction
    selects (e.g. "text of number").

    The selected instances are ``gt_instances`` (the ``GenerateInstruction``
    transform keeps only them), or, if ``gt_instances.selected`` (bool, one
    per instance) is present, those flagged in it; don't-care GTs
    (``ignored`` or ``'###'``) are never selected. Predictions are assigned
    to the nearest GT centre (vertex mean) as in
    :class:`PointSpottingMetric`; the exact rules are in
    :mod:`mmocr_ext.evaluation.functional.point_spotting_instruction`.
    Counts are summed over the dataset.

    Returns:

    - ``precision`` = TP / counted predictions, ``recall`` = TP / selected
      GTs, ``hmean``: a TP has the nearest selected GT (one-to-one) and its
      text (ignoring case);
    - ``selection_precision``, ``selection_recall``, ``selection_hmean``:
      the same without comparing texts (was the right text *instance*
      returned?);
    - ``exact_match``: the fraction of images where every prediction is a
      TP and every selected GT is found.

    Args:
        score_thr (float): Drop predictions scored below it (compared in
            float32). Defaults to 0.
        point_dist_thr (float, optional): Max. distance of a match from the
            GT centre. Defaults to None.
        center (str): GT centre, 'mean' or 'min_area_rect'. Defaults to
            'mean'.
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Defaults to None ('instruction').
    """
    default_prefix: Optional[str] = 'instruction'

    def __init__(self,
                 score_thr: float = 0.0,
                 point_dist_thr: Optional[float] = None,
                 center: str = 'mean',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if center not in CENTER_MODES:
            raise ValueError(f'center must be one of {CENTER_MODES}')
        self.score_thr = float(score_thr)
        self.point_dist_thr = point_dist_thr
        self.center = center

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Count each image.

        Args:
            data_batch (Sequence[Dict]): A batch from the dataloader.
            data_samples (Sequence[Dict]): Model outputs with
                ``pred_instances.{points, texts, scores}`` and
                ``gt_instances.{polygons, texts, ignored[, selected]}``.
        """
        for data_sample in data_samples:
            name = osp.basename(
                data_sample.get('img_path', None) or str(len(self.results)))
            points, texts, scores = pred_from_sample(data_sample)
            polys, gt_texts, ignored = gt_from_sample(data_sample)
            img = SpottingImage.build(name, points, texts, scores, polys,
                                      gt_texts, ignored, self.center)
            selected = instance_field(
                data_sample.get('gt_instances'), 'selected', None)
            if selected is None:
                selected = np.ones(len(gt_texts), dtype=bool)
            selected = np.asarray(selected, dtype=bool).reshape(-1)
            if len(selected) != len(gt_texts):
                raise ValueError(f'{name}: {len(selected)} selected flags, '
                                 f'{len(gt_texts)} GT instances')
            keep = (
                img.pred_scores.astype(np.float32)
                >= np.float32(self.score_thr))
            self.results.append(
                match_instruction(
                    img.pred_points[keep],
                    [t for t, k in zip(img.pred_texts, keep) if k],
                    img.gt_centers, img.gt_texts, img.gt_ignored, selected,
                    self.point_dist_thr))

    def compute_metrics(self, results: List[tuple]) -> Dict:
        """Sum the per-image counts.

        Args:
            results (list[tuple]): (TP, selection TP, predictions, selected,
                exact) per image.

        Returns:
            dict: See the class doc.
        """
        counts = np.array(results, dtype=np.int64).reshape(-1, 5).sum(0)
        tp, pos, pred, sel, exact = (int(c) for c in counts)

        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.

        p, r = ratio(tp, pred), ratio(tp, sel)
        sp, sr = ratio(pos, pred), ratio(pos, sel)
        out = dict(
            precision=p,
            recall=r,
            hmean=hmean(p, r),
            selection_precision=sp,
            selection_recall=sr,
            selection_hmean=hmean(sp, sr),
            exact_match=ratio(exact, len(results)))
        MMLogger.get_current_instance().info(
            f'instruction following: {len(results)} images, {pred} '
            f'predictions, {sel} selected GTs, {tp} text TPs, {pos} '
            f'selection TPs, {exact} exact images')
        return out
