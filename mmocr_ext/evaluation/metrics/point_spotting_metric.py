# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Point-based end-to-end spotting metric (SPTS protocol) for mmengine."""
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmocr.registry import METRICS

from ..functional.point_spotting import (CENTER_MODES, SpottingImage,
                                         evaluate_point_spotting,
                                         score_thresholds)
from ..functional.point_spotting_lexicon import LexiconSet


def _numpy(value) -> np.ndarray:
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def instance_field(instances, key: str, default=None):
    """``instances.key`` as numpy (tensors moved to the CPU) or a list."""
    value = instances.get(key, None) if instances is not None else None
    if value is None:
        return default
    if isinstance(value, (list, tuple)):
        return [_numpy(v) if hasattr(v, 'detach') else v for v in value]
    return _numpy(value)


def gt_from_sample(data_sample) -> tuple:
    """GT polygons, texts and ignore flags of a data sample (may be empty).

    Returns:
        tuple: (list of (2K,) float64 arrays, list[str], (M,) bool array).
    """
    gt = data_sample.get('gt_instances')
    polys = instance_field(gt, 'polygons', [])
    texts = list(instance_field(gt, 'texts', []))
    ignored = instance_field(gt, 'ignored', None)
    if ignored is None:
        ignored = np.zeros(len(texts), dtype=bool)
    polys = [np.asarray(p, dtype=np.float64).reshape(-1) for p in polys]
    return polys, texts, np.asarray(ignored, dtype=bool).reshape(-1)


def pred_from_sample(data_sample) -> tuple:
    """Predicted points (N, 2), texts and scores (N,) (``scores``, else
    ``text_scores``) of a data sample; empty when absent."""
    pred = data_sample.get('pred_instances')
    texts = list(instance_field(pred, 'texts', []))
    points = instance_field(pred, 'points', np.zeros((0, 2)))
    scores = instance_field(pred, 'scores', None)
    if scores is None:
        scores = instance_field(pred, 'text_scores', np.zeros(0))
    return (np.asarray(points, dtype=np.float64).reshape(-1, 2), texts,
            np.asarray(scores, dtype=np.float64).reshape(-1))


@METRICS.register_module()
class PointSpottingMetric(BaseMetric):
    """End-to-end spotting with single-point predictions (SPTS protocol).

    The rules (GT centre = vertex mean, don't-care handling, nearest-centre
    matching, lexicon correction by normalised edit distance) are those of
    :mod:`mmocr_ext.evaluation.functional.point_spotting`, shared with
    ``tools/eval_spotting.py``; they follow mmocr ``projects/SPTS``
    ``E2EPointMetric``. Differences in naming: mmocr's ``match_dist_thr``
    (the lexicon distance threshold) is ``lexicon_dist_thr`` here;
    ``point_dist_thr`` is a new, optional point-distance limit.

    Reads ``pred_instances.{points (N, 2), texts, scores (N,)}`` and
    ``gt_instances.{polygons, texts, ignored}``; the image name for strong
    lexicons is the base name of ``img_path``.

    Returns ``precision``, ``recall``, ``hmean`` and ``best_score_thr`` at the
    best threshold of the sweep (chosen on the evaluation set itself, as
    mmocr does), and, if ``fixed_score_thr`` is set, ``fixed_precision``,
    ``fixed_recall``, ``fixed_hmean``, ``fixed_score_thr``. Every threshold
    is logged.

    Args:
        score_thrs (dict): Sweep ``start + k * step < stop``. Defaults to
            dict(start=0.8, stop=1.0, step=0.01).
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
        point_dist_thr (float, optional): Max. distance of a TP from the GT
            centre. Defaults to None.
        center (str): 'mean' or 'min_area_rect'. Defaults to 'mean'.
        count_fp_without_gt (bool): Count predictions on images without any
            GT as FPs. Defaults to False (mmocr).
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): E.g. 'icdar2015/strong'. Defaults to None
            ('e2e_point').
    """
    default_prefix: Optional[str] = 'e2e_point'

    def __init__(self,
                 score_thrs: Dict = dict(start=0.8, stop=1.0, step=0.01),
                 fixed_score_thr: Optional[float] = 0.0,
                 lexicon_type: Optional[str] = None,
                 lexicon: Optional[str] = None,
                 pairs: Optional[str] = None,
                 strong_template: str = 'voc_{stem}.txt',
                 strong_pair_template: str = 'pair_voc_{stem}.txt',
                 lexicon_dist_thr: float = 0.4,
                 point_dist_thr: Optional[float] = None,
                 center: str = 'mean',
                 count_fp_without_gt: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if center not in CENTER_MODES:
            raise ValueError(f'center must be one of {CENTER_MODES}')
        self.score_thrs = score_thresholds(**score_thrs)
        self.fixed_score_thr = fixed_score_thr
        self.lexicons = LexiconSet(lexicon_type, lexicon, pairs,
                                   strong_template, strong_pair_template,
                                   lexicon_dist_thr)
        self.point_dist_thr = point_dist_thr
        self.center = center
        self.count_fp_without_gt = count_fp_without_gt

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Keep each image's points, texts, scores and GT centres.

        Args:
            data_batch (Sequence[Dict]): A batch from the dataloader.
            data_samples (Sequence[Dict]): Model outputs (see class doc).
        """
        for data_sample in data_samples:
            name = osp.basename(
                data_sample.get('img_path', None) or str(len(self.results)))
            points, texts, scores = pred_from_sample(data_sample)
            polys, gt_texts, ignored = gt_from_sample(data_sample)
            img = SpottingImage.build(name, points, texts, scores, polys,
                                      gt_texts, ignored, self.center)
            self.results.append(img.__dict__)

    def compute_metrics(self, results: List[Dict]) -> Dict:
        """Sweep the thresholds over all images.

        Args:
            results (list[dict]): What :meth:`process` kept.

        Returns:
            dict: See the class doc.
        """
        logger: MMLogger = MMLogger.get_current_instance()
        res = evaluate_point_spotting([SpottingImage(**r) for r in results],
                                      self.score_thrs, self.fixed_score_thr,
                                      self.lexicons, self.point_dist_thr,
                                      self.count_fp_without_gt)
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
        logger.info(
            f'best hmean {best["hmean"]:.4f} at text score threshold '
            f'{best["score_thr"]:.2f}; {res["num_images"]} images, '
            f'{res["num_images_without_pred"]} without predictions, '
            f'{res["num_dropped_by_lexicon"]} predictions dropped by the '
            'lexicon distance threshold')
        return out
