# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Polygon end-to-end spotting metric (IoU + transcription) for mmengine."""
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmocr.registry import METRICS

from ..functional.point_spotting import score_thresholds
from ..functional.point_spotting_lexicon import LexiconSet
from ..functional.polygon_spotting import (DEFAULT_SCORE_THRS,
                                           PolygonSpottingImage,
                                           evaluate_polygon_spotting)
from .point_spotting_metric import gt_from_sample, instance_field


def polygon_pred_from_sample(data_sample) -> tuple:
    """Predicted polygons, texts and scores (``scores``, else
    ``text_scores``) of a data sample; empty when absent.

    Returns:
        tuple: (list of (2K,) float64 arrays, list[str], (N,) float64).
    """
    pred = data_sample.get('pred_instances')
    polys = instance_field(pred, 'polygons', [])
    texts = list(instance_field(pred, 'texts', []))
    scores = instance_field(pred, 'scores', None)
    if scores is None:
        scores = instance_field(pred, 'text_scores', np.zeros(0))
    polys = [np.asarray(p, dtype=np.float64).reshape(-1) for p in polys]
    return polys, texts, np.asarray(scores, dtype=np.float64).reshape(-1)


@METRICS.register_module()
class PolygonSpottingMetric(BaseMetric):
    """End-to-end spotting with polygon predictions (IoU + text).

    A prediction is a true positive when its polygon has IoU >= ``iou_thr``
    with an unmatched care GT whose text equals its own ignoring case;
    ``###``/ignored GTs are don't care, and so is every prediction covering
    ``>= ignore_thr`` of its area with one of them. Greedy one-to-one
    matching by decreasing score. The rules are those of
    :mod:`mmocr_ext.evaluation.functional.polygon_spotting`, shared with
    ``tools/eval_e2e.py``; lexicon options are those of
    :class:`PointSpottingMetric` (same code). Compared with mmocr's
    ``E2EHmeanIOUMetric`` (projects/ABCNet): ``iou_thr`` is its
    ``match_iou_thr``, ``ignore_thr`` its ``ignore_precision_thr``,
    ``score_thrs`` its ``pred_score_thrs``.

    Reads ``pred_instances.{polygons, texts, scores (N,)}`` (``text_scores``
    when there is no ``scores``) and ``gt_instances.{polygons, texts,
    ignored}`` of data samples or their dicts; the image name for strong
    lexicons is the base name of ``img_path``.

    Returns ``precision``, ``recall``, ``hmean`` and ``best_score_thr`` at the
    best threshold of the sweep (chosen on the evaluation set itself, as
    mmocr does), and, if ``fixed_score_thr`` is set, ``fixed_precision``,
    ``fixed_recall``, ``fixed_hmean``, ``fixed_score_thr``. Every threshold
    is logged.

    Args:
        score_thrs (dict): Sweep ``start + k * step < stop``. Defaults to
            dict(start=0.3, stop=0.9, step=0.1).
        fixed_score_thr (float, optional): Also report this threshold.
            Defaults to 0.0 (every prediction).
        lexicon_type (str, optional): None, 'generic', 'weak', 'strong' or
            'full'. Defaults to None.
        lexicon (str, optional): Lexicon file, or folder for 'strong'.
        pairs (str, optional): Pair file, or folder for 'strong'.
        strong_template (str): Per-image lexicon name. Defaults to
            'voc_{stem}.txt'.
        strong_pair_template (str): Per-image pair name. Defaults to
            'pair_voc_{stem}.txt'.
        lexicon_dist_thr (float): Drop predictions at normalised distance
            ``>=`` it from every lexicon word. Defaults to 0.4.
        iou_thr (float): Match IoU (``>=``). Defaults to 0.5.
        ignore_thr (float): Don't-care area precision (``>=``). Defaults to
            0.5.
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): E.g. 'icdar2015/strong'. Defaults to None
            ('e2e_polygon').
    """
    default_prefix: Optional[str] = 'e2e_polygon'

    def __init__(self,
                 score_thrs: Dict = DEFAULT_SCORE_THRS,
                 fixed_score_thr: Optional[float] = 0.0,
                 lexicon_type: Optional[str] = None,
                 lexicon: Optional[str] = None,
                 pairs: Optional[str] = None,
                 strong_template: str = 'voc_{stem}.txt',
                 strong_pair_template: str = 'pair_voc_{stem}.txt',
                 lexicon_dist_thr: float = 0.4,
                 iou_thr: float = 0.5,
                 ignore_thr: float = 0.5,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.score_thrs = score_thresholds(**score_thrs)
        self.fixed_score_thr = fixed_score_thr
        self.lexicons = LexiconSet(lexicon_type, lexicon, pairs,
                                   strong_template, strong_pair_template,
                                   lexicon_dist_thr)
        self.iou_thr = iou_thr
        self.ignore_thr = ignore_thr

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Keep each image's polygons, texts, scores and GT.

        Args:
            data_batch (Sequence[Dict]): A batch from the dataloader.
            data_samples (Sequence[Dict]): Model outputs (see class doc).
        """
        for data_sample in data_samples:
            name = osp.basename(
                data_sample.get('img_path', None) or str(len(self.results)))
            polys, texts, scores = polygon_pred_from_sample(data_sample)
            gt_polys, gt_texts, ignored = gt_from_sample(data_sample)
            img = PolygonSpottingImage.build(name, polys, texts, scores,
                                             gt_polys, gt_texts, ignored)
            self.results.append(img.__dict__)

    def compute_metrics(self, results: List[Dict]) -> Dict:
        """Sweep the thresholds over all images.

        Args:
            results (list[dict]): What :meth:`process` kept.

        Returns:
            dict: See the class doc.
        """
        logger: MMLogger = MMLogger.get_current_instance()
        res = evaluate_polygon_spotting(
            [PolygonSpottingImage(**r) for r in results], self.score_thrs,
            self.fixed_score_thr, self.lexicons, self.iou_thr, self.ignore_thr)
        for r in res['sweep']:
            logger.info(f'text score threshold: {r["score_thr"]:.2f}, '
                        f'recall: {r["recall"]:.4f}, '
                        f'precision: {r["precision"]:.4f}, '
                        f'hmean: {r["hmean"]:.4f} (tp {r["num_tp"]}, '
                        f'pred {r["num_pred"]}, gt {r["num_gt"]})')
        best = res['best']
        out = dict(
            precision=best['precision'],
            recall=best['recall'],
            hmean=best['hmean'],
            best_score_thr=best['score_thr'])
        fixed = res['fixed']
        if fixed is not None:
            out.update(
                fixed_precision=fixed['precision'],
                fixed_recall=fixed['recall'],
                fixed_hmean=fixed['hmean'],
                fixed_score_thr=fixed['score_thr'])
        logger.info(f'best hmean {best["hmean"]:.4f} at text score threshold '
                    f'{best["score_thr"]:.2f}; {res["num_images"]} images, '
                    f'{res["num_images_without_pred"]} without predictions, '
                    f'{res["num_pred_dont_care"]} don\'t-care predictions, '
                    f'{res["num_dropped_by_lexicon"]} dropped by the lexicon '
                    'distance threshold')
        return out
