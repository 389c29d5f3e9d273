# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""End-to-end scores of composed-pipeline results (``OCRPipeline``,
``tools/ocr.py``), online from the result dicts or offline from the JSON.

* :func:`evaluate_polygons`: the polygon protocol
  (:mod:`.polygon_spotting`: IoU >= 0.5 and the same text ignoring case,
  ``###`` don't care), for detector + recogniser results;
* :func:`evaluate_points`: the point protocol of InstructOCR
  (:mod:`.point_spotting`: the prediction's point inside / nearest to the
  GT polygon and the same text), for any result (a det+rec instance's point
  is its polygon's centre), so that det+rec and a point spotter are scored
  alike.

Both sweep the score threshold over 0.0, 0.1, ..., 0.9 and report every
prediction (threshold 0) as ``fixed``; a lexicon file (one word per
line) corrects texts as the ``generic`` lexicon of the InstructOCR
metric.
"""
import os.path as osp
from typing import Dict, Optional, Sequence, Union

from .errors import EvalInputError
from .point_spotting import (SpottingImage, evaluate_point_spotting,
                             score_thresholds)
from .point_spotting_io import load_gt_json
from .point_spotting_lexicon import LexiconSet
from .polygon_spotting_io import evaluate_ocr_run, load_ocr_run

#: The score sweep of both protocols here.
SCORE_SWEEP = dict(start=0.0, stop=1.0, step=0.1)


def _lexicons(lexicon: Optional[str]) -> Optional[LexiconSet]:
    return LexiconSet('generic', lexicon) if lexicon else None


def evaluate_polygons(results: Union[str, Sequence[dict]],
                      gt: str,
                      lexicon: Optional[str] = None) -> Dict:
    """Polygon end-to-end P/R/H of det+rec results.

    Args:
        results: Result dicts of the pipeline, or a folder / file of its
            JSON.
        gt (str): mmocr textspotting JSON of the same images.
        lexicon (str, optional): Generic lexicon file.

    Returns:
        dict: See :func:`.polygon_spotting_io.evaluate_ocr_run`, plus
        ``protocol`` and ``summary`` (the headline numbers).
    """
    res = evaluate_ocr_run(
        gt,
        load_ocr_run(results),
        _lexicons(lexicon),
        score_thrs=score_thresholds(**SCORE_SWEEP),
        fixed_score_thr=0.0)
    res['protocol'] = 'polygon'
    res['summary'] = _summary(res, res['fixed'])
    return res


def evaluate_points(results: Sequence[dict],
                    gt: str,
                    lexicon: Optional[str] = None) -> Dict:
    """Point end-to-end P/R/H (InstructOCR's protocol) of any results.

    Args:
        results (Sequence[dict]): Result dicts of the pipeline (each
            instance's ``point``, ``text`` and ``score`` are used).
        gt (str): mmocr textspotting JSON of the same images.
        lexicon (str, optional): Generic lexicon file.

    Returns:
        dict: ``precision``, ``recall``, ``hmean`` and ``best_score_thr``
        (best of the sweep), ``fixed`` (every prediction), ``num_images``,
        ``images_without_predictions``, ``protocol``, ``summary``.

    Raises:
        EvalInputError: A result of an image not in the ground truth.
    """
    gt_images = load_gt_json(gt)
    preds = {}
    for result in results:
        name = osp.basename(result['image'])
        if name not in gt_images:
            raise EvalInputError(
                gt, f'image {name} of the results is not '
                'in the ground truth')
        insts = result['instances']
        preds[name] = ([i['point'] for i in insts], [i['text'] for i in insts],
                       [i['score'] for i in insts])
    images = [
        SpottingImage.build(name, *preds.get(name, ([], [], [])), *gt_image)
        for name, gt_image in gt_images.items()
    ]
    res = evaluate_point_spotting(images, score_thresholds(**SCORE_SWEEP), 0.0,
                                  _lexicons(lexicon))
    best = res['best']
    out = dict(
        protocol='point',
        precision=best['precision'],
        recall=best['recall'],
        hmean=best['hmean'],
        best_score_thr=best['score_thr'],
        fixed=res['fixed'],
        num_images=len(images),
        images_without_predictions=[n for n in gt_images if n not in preds])
    out['summary'] = _summary(out, res['fixed'])
    return out


def _summary(res: Dict, fixed: Optional[Dict]) -> Dict:
    summary = dict(
        protocol=res['protocol'],
        hmean=round(res['hmean'], 4),
        precision=round(res['precision'], 4),
        recall=round(res['recall'], 4),
        best_score_thr=res['best_score_thr'])
    if fixed:
        summary['all_predictions'] = {
            k: round(fixed[k], 4)
            for k in ('hmean', 'precision', 'recall')
        }
    return summary
