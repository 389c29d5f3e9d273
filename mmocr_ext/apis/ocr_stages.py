# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The stages of :class:`mmocr_ext.apis.OCRPipeline`, on decoded images.

Each takes mmocr inferencers (or objects with the same call) and fills
the pipeline's JSON-ready results (format: ``docs/ocr.md``).
"""
import time
from typing import Dict, List, Optional, Sequence

import numpy as np

from .text_crops import crop_text_region

STAGE_KEYS = ('det', 'rec', 'spotter', 'erase')


def _numpy(value) -> np.ndarray:
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


def mean_score(score) -> float:
    """Mean of a recogniser's per-character scores (0 for none)."""
    score = _numpy(score).reshape(-1)
    return float(score.mean()) if score.size else 0.0


def as_list(array) -> list:
    """Flat list of floats rounded to 0.01 pixel."""
    return _numpy(array).reshape(-1).round(2).tolist()


def empty_result(names: Dict[str,
                             Optional[str]], random_weights: Sequence[str],
                 instruction: Optional[str]) -> dict:
    """A result without instances (image name and size filled later)."""
    return dict(
        image=None,
        width=None,
        height=None,
        pipeline={k: names.get(k)
                  for k in STAGE_KEYS},
        instruction=instruction,
        random_weights=list(random_weights),
        instances=[],
        counts=dict(
            detected=0,
            below_score_thr=0,
            degenerate_crop=0,
            filtered_by_instruction=0,
            kept=0))


def detect_and_crop(det,
                    images: List[np.ndarray],
                    results: List[dict],
                    score_thr: float,
                    timings: Optional[Dict[str, float]] = None) -> tuple:
    """Detect text in a batch of images and crop every kept polygon.

    Args:
        det: mmocr ``TextDetInferencer``.
        images (list[np.ndarray]): (H, W, 3) uint8 BGR images.
        results (list[dict]): Their results (instances appended, counts
            filled).
        score_thr (float): Polygons scoring less are counted, not kept.
        timings (dict, optional): Seconds added to its ``det`` (the
            detector) and ``crop`` (cropping) entries.

    Returns:
        tuple[list, list]: The crops and, for each, the instance dict its
        text goes to.
    """
    started = time.perf_counter()
    dets = det(
        images,
        batch_size=len(images),
        return_datasamples=True,
        progress_bar=False)['predictions']
    crops, owners = [], []
    det_done = time.perf_counter()
    for img, sample, result in zip(images, dets, results):
        pred = sample.pred_instances
        polygons = list(pred.get('polygons', []))
        scores = _numpy(pred.scores).reshape(-1)
        counts = result['counts']
        counts['detected'] = len(polygons)
        height, width = img.shape[:2]
        for polygon, score in zip(polygons, scores):
            if score < score_thr:
                counts['below_score_thr'] += 1
                continue
            crop = crop_text_region(img, polygon)
            if crop is None:
                counts['degenerate_crop'] += 1
                continue
            poly = _numpy(polygon).reshape(-1, 2)
            # The part inside the image: what was cropped and recognised.
            poly = np.stack([
                poly[:, 0].clip(0, width - 1), poly[:, 1].clip(0, height - 1)
            ], 1)
            instance = dict(
                polygon=as_list(poly),
                point=as_list(poly.mean(0)),
                text='',
                det_score=round(float(score), 4),
                rec_score=None,
                score=None)
            result['instances'].append(instance)
            crops.append(crop)
            owners.append(instance)
    if timings is not None:
        timings['det'] = timings.get('det', 0.) + det_done - started
        timings['crop'] = (
            timings.get('crop', 0.) + time.perf_counter() - det_done)
    return crops, owners


def recognize_crops(rec, crops: List[np.ndarray], owners: List[dict],
                    batch_size: int) -> None:
    """Recognise all crops, ``batch_size`` at a time, and write each text
    and score into the instance its crop came from.

    ``score`` = detection score x recognition score (the mean character
    score).
    """
    for start in range(0, len(crops), batch_size):
        chunk = crops[start:start + batch_size]
        samples = rec(
            chunk,
            batch_size=len(chunk),
            return_datasamples=True,
            progress_bar=False)['predictions']
        if len(samples) != len(chunk):
            raise RuntimeError(f'the recogniser returned {len(samples)} '
                               f'results for {len(chunk)} crops')
        for owner, sample in zip(owners[start:start + len(chunk)], samples):
            rec_score = mean_score(sample.pred_text.score)
            owner['text'] = sample.pred_text.item
            owner['rec_score'] = round(rec_score, 4)
            owner['score'] = round(owner['det_score'] * rec_score, 4)


def filter_by_instruction(result: dict, instruction: Optional[str]) -> None:
    """Keep the instances a template instruction selects (InstructOCR's
    semantics on the recognised texts) and count the others."""
    instances = result['instances']
    if instruction is not None:
        from mmocr_ext.datasets.instructions import select_instances
        keep = select_instances(instruction,
                                [inst['text'] for inst in instances])
        if keep is None:
            raise ValueError(f'{instruction!r} is not an InstructOCR '
                             'template')
        result['instances'] = [i for i, k in zip(instances, keep) if k]
        result['counts']['filtered_by_instruction'] = (
            len(instances) - len(result['instances']))
    result['counts']['kept'] = len(result['instances'])


def spot(spotter, images: List[np.ndarray], results: List[dict],
         instruction: Optional[str]) -> None:
    """Run a point spotter (InstructOCR) on a batch of images.

    The instruction is given to the model (any text); each result records
    the one it followed.
    """
    from .instruction import set_spotter_instruction, spotter_instruction
    if instruction is not None:
        set_spotter_instruction(spotter, instruction)
    samples = spotter(
        images,
        batch_size=len(images),
        return_datasamples=True,
        progress_bar=False)['predictions']
    for sample, result in zip(samples, results):
        result['instruction'] = spotter_instruction(spotter,
                                                    sample) or instruction
        pred = sample.pred_instances
        points = _numpy(pred.points).reshape(-1, 2)
        scores = _numpy(pred.scores).reshape(-1)
        result['counts']['detected'] = len(points)
        for point, text, score in zip(points, pred.texts, scores):
            result['instances'].append(
                dict(
                    polygon=None,
                    point=as_list(point),
                    text=text,
                    det_score=None,
                    rec_score=None,
                    score=round(float(score), 4)))
        result['counts']['kept'] = len(result['instances'])


def erase_kept(eraser, images: List[np.ndarray], results: List[dict],
               dilate: int) -> None:
    """Text removal inside the kept polygons, original pixels elsewhere;
    each result gets ``erased``, (H, W, 3) uint8 RGB."""
    polygons = [[_numpy(inst['polygon']) for inst in result['instances']]
                for result in results]
    out = eraser(
        images,
        task='text_removal',
        batch_size=len(images),
        polygons=polygons,
        dilate=dilate,
        save_vis=False)['predictions']
    for result, pred in zip(results, out):
        result['erased'] = pred['output']
