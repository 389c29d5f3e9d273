# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Files of the offline point-spotting evaluation (``tools/eval_spotting.py``).

Ground truth: an mmocr 1.x textspotting annotation JSON
(``{"data_list": [{"img_path", "instances": [{"polygon", "text",
"ignore"}]}]}``). Images are keyed by the base name of ``img_path``.

Predictions, a JSON list in either of two forms (mixed is an error):

* per image (this project's dump)::

    {"img_path" | "filename": str, "points": [[x, y], ...],
     "texts": [str, ...], "scores": [float, ...]}

* per instance (the official InstructOCR / SPTS results)::

    {"image_id": int, "filename": str, "polys": [[x, y]], "rec": str,
     "score": float}

  where ``polys`` holds one point (several: their mean is used).
"""
import json
import os.path as osp
from typing import Dict, List, Tuple

import numpy as np

from .errors import EvalInputError

GtImage = Tuple[List[np.ndarray], List[str], np.ndarray]
PredImage = Tuple[np.ndarray, List[str], np.ndarray]


def _load_json(path: str):
    if not osp.isfile(path):
        raise EvalInputError(path, 'file not found')
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise EvalInputError(path, f'invalid JSON: {e}') from None


def load_gt_json(path: str) -> Dict[str, GtImage]:
    """Read an mmocr 1.x textspotting annotation file.

    Args:
        path (str): The JSON file.

    Returns:
        dict: Image base name -> (polygons (list of (2K,) float64), texts,
        ignored (M,) bool), in file order.

    Raises:
        EvalInputError: Malformed file, duplicate image names.
    """
    data = _load_json(path)
    if not isinstance(data, dict) or not isinstance(
            data.get('data_list'), list):
        raise EvalInputError(path, 'expected an object with "data_list"')
    out: Dict[str, GtImage] = {}
    for k, item in enumerate(data['data_list']):
        if not isinstance(item, dict) or 'img_path' not in item:
            raise EvalInputError(path, f'data_list[{k}] has no "img_path"')
        name = osp.basename(item['img_path'])
        if name in out:
            raise EvalInputError(path, f'image {name} listed twice')
        polys, texts, ignored = [], [], []
        for j, inst in enumerate(item.get('instances', [])):
            poly = np.asarray(inst.get('polygon', []), dtype=np.float64)
            if poly.size < 2 or poly.size % 2 or 'text' not in inst:
                raise EvalInputError(
                    path, f'{name}: instance {j} needs a polygon of x, y '
                    'pairs and a "text"')
            polys.append(poly.reshape(-1))
            texts.append(str(inst['text']))
            ignored.append(bool(inst.get('ignore', False)))
        out[name] = (polys, texts, np.array(ignored, dtype=bool))
    return out


def _point(value, path: str, where: str) -> List[float]:
    pts = np.asarray(value, dtype=np.float64)
    if pts.size < 2 or pts.size % 2:
        raise EvalInputError(path, f'{where}: not an [x, y] point')
    return pts.reshape(-1, 2).mean(axis=0).tolist()


def load_predictions(path: str) -> Dict[str, PredImage]:
    """Read a predictions file (either form of the module doc).

    Args:
        path (str): The JSON file.

    Returns:
        dict: Image base name -> (points (N, 2) float64, texts,
        scores (N,) float64).

    Raises:
        EvalInputError: Malformed entries, naming the entry and image.
    """
    data = _load_json(path)
    if not isinstance(data, list):
        raise EvalInputError(path, 'expected a JSON list')
    acc: Dict[str, Tuple[list, list, list]] = {}
    forms = set()
    for k, item in enumerate(data):
        if not isinstance(item, dict):
            raise EvalInputError(path, f'entry {k} is not an object')
        name = item.get('img_path', item.get('filename'))
        if name is None:
            raise EvalInputError(
                path, f'entry {k} has no "img_path" or '
                '"filename"')
        name = osp.basename(str(name))
        where = f'entry {k} ({name})'
        if 'rec' in item:
            forms.add('instance')
            try:
                pts = [_point(item['polys'], path, where)]
                texts, scores = [str(item['rec'])], [float(item['score'])]
            except (KeyError, TypeError, ValueError) as e:
                if isinstance(e, EvalInputError):
                    raise
                raise EvalInputError(
                    path, f'{where}: needs "polys", "rec" and a '
                    f'numeric "score" ({e!r})') from None
        else:
            forms.add('image')
            if name in acc:
                raise EvalInputError(path, f'{where}: image listed twice')
            try:
                pts = [
                    _point(p, path, f'{where} point {i}')
                    for i, p in enumerate(item['points'])
                ]
                texts = [str(t) for t in item['texts']]
                scores = [float(s) for s in item['scores']]
            except (KeyError, TypeError, ValueError) as e:
                if isinstance(e, EvalInputError):
                    raise
                raise EvalInputError(
                    path, f'{where}: needs "points", "texts" and numeric '
                    f'"scores" ({e!r})') from None
            if not len(pts) == len(texts) == len(scores):
                raise EvalInputError(
                    path, f'{where}: {len(pts)} points, {len(texts)} '
                    f'texts, {len(scores)} scores')
        if len(forms) > 1:
            raise EvalInputError(
                path, f'{where}: per-image and per-instance entries mixed')
        entry = acc.setdefault(name, ([], [], []))
        entry[0].extend(pts)
        entry[1].extend(texts)
        entry[2].extend(scores)
    return {
        name: (np.asarray(p, dtype=np.float64).reshape(-1, 2), t,
               np.asarray(s, dtype=np.float64))
        for name, (p, t, s) in acc.items()
    }
