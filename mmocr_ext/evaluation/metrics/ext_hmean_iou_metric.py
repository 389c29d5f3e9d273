# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Online hmean-iou that reports a fixed-threshold result explicitly."""
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmocr.registry import METRICS

from ..functional import EvalSample, IoUTable


def _numpy(value) -> np.ndarray:
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


@METRICS.register_module()
class ExtHmeanIOUMetric(BaseMetric):
    """Hmean-iou with the official RRC rules, at a fixed score threshold
    and, separately labelled, the best of a score-threshold sweep.

    mmocr's ``HmeanIOUMetric`` returns only the best hmean of a sweep over
    score thresholds, chosen on the evaluation set itself. This metric
    returns:

    - ``precision``, ``recall``, ``hmean``: predictions with
      ``score >= score_thr`` only -- the number that equals
      ``tools/make_submission.py --score-thr <score_thr>`` followed by
      ``tools/eval_hmean.py`` on the same predictions;
    - ``best_hmean``, ``best_precision``, ``best_recall``,
      ``best_score_thr``: the sweep's best (an oracle choice, what mmocr
      reports as ``icdar/hmean``).

    Procedure (shared with the offline tool, see
    :class:`~mmocr_ext.evaluation.functional.IoUTable`):

    1. A prediction covering more than ``ignore_precision_thr`` of its own
       area with an ignored ground truth is don't care.
    2. Care ground truths and predictions are matched one-to-one when their
       IoU is strictly above ``match_iou_thr``, greedily in ground-truth then
       prediction order (the RRC ``script.py`` order; mmocr's ``vanilla``).
    3. Counts are summed over the dataset before dividing.

    Args:
        match_iou_thr (float): IoU threshold of a match. Defaults to 0.5.
        ignore_precision_thr (float): Don't-care threshold. Defaults to 0.5.
        score_thr (float): The fixed score threshold of the main result.
            Defaults to 0.0 (every prediction, as submitted files).
        pred_score_thrs (dict): ``np.arange`` arguments of the sweep.
            Defaults to dict(start=0.3, stop=0.9, step=0.1) (mmocr's).
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Metric name prefix. Defaults to None
            (``'icdar'``).
    """
    default_prefix: Optional[str] = 'icdar'

    def __init__(self,
                 match_iou_thr: float = 0.5,
                 ignore_precision_thr: float = 0.5,
                 score_thr: float = 0.0,
                 pred_score_thrs: Dict = dict(start=0.3, stop=0.9, step=0.1),
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        assert 0 <= match_iou_thr < 1, 'match_iou_thr must be in [0, 1)'
        self.match_iou_thr = match_iou_thr
        self.ignore_precision_thr = ignore_precision_thr
        self.score_thr = float(score_thr)
        self.pred_score_thrs = np.arange(**pred_score_thrs)

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Keep the polygons, scores and ignore flags of each image.

        Args:
            data_batch (Sequence[Dict]): A batch from the dataloader.
            data_samples (Sequence[Dict]): Outputs of the model, with
                ``pred_instances.polygons/scores`` and
                ``gt_instances.polygons/ignored``.
        """
        for data_sample in data_samples:
            pred = data_sample.get('pred_instances')
            gt = data_sample.get('gt_instances')
            name = data_sample.get('img_path') or str(len(self.results))
            self.results.append(
                dict(
                    name=osp.basename(name),
                    gt_polys=[
                        _numpy(p).astype(np.float64).reshape(-1, 2)
                        for p in gt.get('polygons')
                    ],
                    gt_ignored=_numpy(gt.get('ignored')).astype(bool),
                    det_polys=[
                        _numpy(p).astype(np.float64).reshape(-1, 2)
                        for p in pred.get('polygons')
                    ],
                    det_scores=_numpy(pred.get('scores')).astype(
                        np.float64).reshape(-1)))

    def compute_metrics(self, results: List[Dict]) -> Dict:
        """Match once, then count at the fixed and the swept thresholds.

        Args:
            results (list[dict]): What :meth:`process` kept.

        Returns:
            dict: ``precision``, ``recall``, ``hmean``, ``score_thr`` and
            ``best_precision``, ``best_recall``, ``best_hmean``,
            ``best_score_thr``.
        """
        logger: MMLogger = MMLogger.get_current_instance()
        table = IoUTable.build([EvalSample(**r) for r in results],
                               self.ignore_precision_thr, self.match_iou_thr)
        best = dict(hmean=-1.)
        for thr in self.pred_score_thrs:
            res = table.evaluate(float(thr))
            logger.info(f'prediction score threshold: {thr:.2f}, '
                        f'recall: {res["recall"]:.4f}, '
                        f'precision: {res["precision"]:.4f}, '
                        f'hmean: {res["hmean"]:.4f}')
            if res['hmean'] > best['hmean']:
                best = dict(res, score_thr=float(thr))
        fixed = table.evaluate(self.score_thr)
        logger.info(f'fixed score threshold {self.score_thr:.2f} (reported '
                    f'as hmean): recall {fixed["recall"]:.4f}, precision '
                    f'{fixed["precision"]:.4f}, hmean {fixed["hmean"]:.4f}; '
                    f'best of the sweep: hmean {best.get("hmean", 0):.4f} '
                    f'at {best.get("score_thr", float("nan")):.2f}')
        return dict(
            precision=fixed['precision'],
            recall=fixed['recall'],
            hmean=fixed['hmean'],
            score_thr=self.score_thr,
            best_precision=best.get('precision', 0.),
            best_recall=best.get('recall', 0.),
            best_hmean=max(best['hmean'], 0.),
            best_score_thr=best.get('score_thr', float('nan')))
