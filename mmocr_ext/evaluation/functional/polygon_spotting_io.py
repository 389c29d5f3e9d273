# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Prediction files of the offline polygon end-to-end evaluation
(``tools/eval_e2e.py``).

The composed pipeline (``tools/ocr.py``, :class:`mmocr_ext.apis.
OCRPipeline`) writes one JSON object per image, ``OUT/preds/<name>.json``::

    {"image": "<file name>", "width": W, "height": H,
     "pipeline": {"det": ..., "rec": ..., "spotter": ..., "erase": ...},
     "random_weights": ["det", ...],
     "instances": [{"polygon": [x1, y1, x2, y2, ...] | null,
                    "point": [x, y], "text": "abc", "score": 0.72, ...}],
     ...}

:func:`load_ocr_run` reads such a folder (every ``*.json`` in it, not
recursive; a run folder ``OUT`` holding no JSON but a ``preds`` folder is
read from ``OUT/preds``), one such file, a file holding a JSON list of such
objects, or the pipeline's result dicts in memory. Images are keyed by the
base name of ``"image"``. Instances with ``"polygon": null`` come from a
point spotter: they are refused with a message pointing to the point metric
(``tools/eval_spotting.py``). Only ``polygon``, ``text`` and ``score`` are
read from an instance. Ground truth is read by
:func:`.point_spotting_io.load_gt_json`; :func:`evaluate_ocr_run` scores a
run against it (the body of ``tools/eval_e2e.py``, also usable from memory,
e.g. by ``tools/ocr.py --eval-gt``).
"""
import glob
import json
import math
import os
import os.path as osp
from dataclasses import dataclass, field
from typing import Collection, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from .errors import EvalInputError
from .point_spotting import score_thresholds
from .point_spotting_io import GtImage, load_gt_json
from .point_spotting_lexicon import LexiconSet
from .polygon_spotting import (DEFAULT_SCORE_THRS, PolygonSpottingImage,
                               evaluate_polygon_spotting)

# polygons (each (2K,) float64), texts, scores (N,) float64
OcrPredImage = Tuple[List[np.ndarray], List[str], np.ndarray]

POINT_SPOTTER_MSG = (
    'has no polygon ("polygon": null, a point spotter\'s output): such '
    'predictions need the point-based metric, tools/eval_spotting.py')


@dataclass
class OcrRun:
    """The predictions of a composed-pipeline run.

    Attributes:
        preds (dict): Image base name -> (polygons, texts, scores).
        sources (dict): Image base name -> the file it was read from.
        pipelines (list[dict]): The distinct ``"pipeline"`` entries.
        random_weights (list[str]): Stages that ran without trained weights
            in any image (sorted).
    """
    preds: Dict[str, OcrPredImage] = field(default_factory=dict)
    sources: Dict[str, str] = field(default_factory=dict)
    pipelines: List[dict] = field(default_factory=list)
    random_weights: List[str] = field(default_factory=list)


def _read_json(path: str):
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise EvalInputError(path, f'invalid JSON: {e}') from None


def prediction_files(path: str) -> List[str]:
    """The JSON files of a run: ``path`` itself, or the ``*.json`` of the
    folder ``path`` (else of ``path/preds``), sorted.

    Raises:
        EvalInputError: Missing path, or a folder without JSON files.
    """
    if osp.isfile(path):
        return [path]
    if not osp.isdir(path):
        raise EvalInputError(path, 'prediction file or folder not found')
    files = sorted(glob.glob(osp.join(path, '*.json')))
    if not files and osp.isdir(osp.join(path, 'preds')):
        files = sorted(glob.glob(osp.join(path, 'preds', '*.json')))
    if not files:
        raise EvalInputError(path, 'no .json prediction files in the folder')
    return files


def _instance(inst, path: str, where: str) -> Tuple[np.ndarray, str, float]:
    if not isinstance(inst, dict):
        raise EvalInputError(path, f'{where} is not an object')
    if inst.get('polygon', 0) is None:
        raise EvalInputError(path, f'{where} {POINT_SPOTTER_MSG}')
    try:
        poly = np.asarray(inst['polygon'], dtype=np.float64).reshape(-1)
        text, score = inst['text'], float(inst['score'])
    except (KeyError, TypeError, ValueError) as e:
        raise EvalInputError(
            path, f'{where} needs "polygon" (numbers), "text" and a '
            f'numeric "score" ({e!r})') from None
    if poly.size < 2 or poly.size % 2 or not np.isfinite(poly).all():
        raise EvalInputError(
            path, f'{where}: "polygon" has {poly.size} coordinates '
            '(need finite x, y pairs)')
    if not isinstance(text, str):
        raise EvalInputError(path, f'{where}: "text" is not a string')
    if not math.isfinite(score):
        raise EvalInputError(path, f'{where}: "score" is {score}')
    return poly, text, score


def _read_image(obj, path: str, where: str, run: OcrRun) -> None:
    if not isinstance(obj, dict) or not isinstance(obj.get('image'), str):
        raise EvalInputError(
            path, f'{where}: expected an object with '
            '"image" (the composed-pipeline JSON)')
    name = osp.basename(obj['image'])
    if name in run.sources:
        raise EvalInputError(
            path, f'{where}: image {name} already read from '
            f'{run.sources[name]}')
    instances = obj.get('instances')
    if not isinstance(instances, list):
        raise EvalInputError(path, f'{where} ({name}): "instances" is not '
                             'a list')
    polys, texts, scores = [], [], []
    for k, inst in enumerate(instances):
        poly, text, score = _instance(inst, path, f'{name}: instance {k}')
        polys.append(poly)
        texts.append(text)
        scores.append(score)
    run.preds[name] = (polys, texts, np.asarray(scores, dtype=np.float64))
    run.sources[name] = path
    pipeline = obj.get('pipeline')
    if pipeline is not None and pipeline not in run.pipelines:
        run.pipelines.append(pipeline)
    stages = obj.get('random_weights') or []
    run.random_weights = sorted(
        set(run.random_weights) | set(map(str, stages)))


def load_ocr_run(source: Union[str, Sequence[dict]],
                 known_images: Optional[Collection[str]] = None) -> OcrRun:
    """Read a composed-pipeline run (see the module doc).

    Args:
        source (str or Sequence[dict]): A folder of per-image JSON files,
            one file (one object, or a list of them), or the result dicts
            themselves (``OCRPipeline.__call__``'s output; errors then name
            ``<results>``).
        known_images (Collection[str], optional): The ground-truth image
            names; an image outside them is an error naming its file.
            Defaults to None (no check).

    Returns:
        OcrRun: The predictions and what the files say about the run.

    Raises:
        EvalInputError: Malformed JSON or entries, point-spotter output,
            duplicate or unknown images; the message names the file.
    """
    run = OcrRun()
    if isinstance(source, (str, os.PathLike)):
        batches = [(f, _read_json(f)) for f in prediction_files(str(source))]
    else:
        batches = [('<results>', list(source))]
    for file, data in batches:
        items = data if isinstance(data, list) else [data]
        for k, obj in enumerate(items):
            where = f'entry {k}' if isinstance(data, list) else 'file'
            _read_image(obj, file, where, run)
    if known_images is not None:
        known = set(known_images)
        for name, file in run.sources.items():
            if name not in known:
                raise EvalInputError(
                    file, f'image {name} is not in the ground truth')
    return run


def evaluate_ocr_run(gt: Union[str, Dict[str, GtImage]],
                     run: OcrRun,
                     lexicons: Optional[LexiconSet] = None,
                     score_thrs: Optional[Sequence[float]] = None,
                     fixed_score_thr: Optional[float] = 0.0,
                     iou_thr: float = 0.5,
                     ignore_thr: float = 0.5) -> Dict:
    """Score a run against its ground truth (what ``tools/eval_e2e.py``
    prints, plus the whole sweep).

    Every GT image is evaluated; one without predictions counts as all
    missed and is listed.

    Args:
        gt (str or dict): An mmocr textspotting JSON, or what
            :func:`.point_spotting_io.load_gt_json` returned for one.
        run (OcrRun): The predictions (:func:`load_ocr_run`).
        lexicons (LexiconSet, optional): Lexicon correction. Defaults to
            None.
        score_thrs (Sequence[float], optional): The sweep. Defaults to
            None (0.3, 0.4, ..., 0.8).
        fixed_score_thr (float, optional): Also report this threshold.
            Defaults to 0.0 (every prediction).
        iou_thr (float): Match IoU (``>=``). Defaults to 0.5.
        ignore_thr (float): Don't-care area precision. Defaults to 0.5.

    Returns:
        dict: ``precision``, ``recall``, ``hmean``, ``best_score_thr``,
        ``num_tp``, ``num_pred``, ``num_gt`` (best threshold), ``fixed``
        (dict or None), ``lexicon_type``, ``num_images``,
        ``num_images_without_pred``, ``num_dropped_by_lexicon``,
        ``num_pred_dont_care``, ``pipeline`` (the run's, a list if they
        differ), ``random_weights``, ``images_without_predictions`` (names)
        and ``sweep``.

    Raises:
        EvalInputError: Malformed ground truth, or predictions of an image
            not in it (naming the prediction file).
    """
    if isinstance(gt, (str, os.PathLike)):
        gt = load_gt_json(str(gt))
    for name, file in run.sources.items():
        if name not in gt:
            raise EvalInputError(file,
                                 f'image {name} is not in the ground truth')
    if score_thrs is None:
        score_thrs = score_thresholds(**DEFAULT_SCORE_THRS)
    images = [
        PolygonSpottingImage.build(name, *run.preds.get(name, ([], [], [])),
                                   *gt_image) for name, gt_image in gt.items()
    ]
    res = evaluate_polygon_spotting(images, score_thrs, fixed_score_thr,
                                    lexicons, iou_thr, ignore_thr)
    best = res['best']
    return dict(
        precision=best['precision'],
        recall=best['recall'],
        hmean=best['hmean'],
        best_score_thr=best['score_thr'],
        num_tp=best['num_tp'],
        num_pred=best['num_pred'],
        num_gt=best['num_gt'],
        fixed=res['fixed'],
        lexicon_type=lexicons.lexicon_type if lexicons is not None else None,
        num_images=res['num_images'],
        num_images_without_pred=res['num_images_without_pred'],
        num_dropped_by_lexicon=res['num_dropped_by_lexicon'],
        num_pred_dont_care=res['num_pred_dont_care'],
        pipeline=run.pipelines[0]
        if len(run.pipelines) == 1 else run.pipelines,
        random_weights=run.random_weights,
        images_without_predictions=[n for n in gt if n not in run.preds],
        sweep=res['sweep'])


def load_ocr_predictions(path: str) -> Dict[str, OcrPredImage]:
    """Read a composed-pipeline run: image base name -> (polygons (each
    (2K,) float64), texts, scores (N,) float64).

    Args:
        path (str): A folder of per-image JSON files, or one file.

    Returns:
        dict: See above.

    Raises:
        EvalInputError: See :func:`load_ocr_run`.
    """
    return load_ocr_run(path).preds
