# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Turn saved predictions into a result zip that ``eval_hmean.py`` accepts.

Inputs:

- the pickle of ``tools/test.py --save-preds`` (a list of data samples as
  dicts: ``img_path`` and ``pred_instances.polygons/scores``), read through
  a restricted unpickler that refuses any global such a file does not need
  (exit code 2, naming the file and the global);
- ``tools/infer.py`` JSON: a folder of ``<image>.json`` (or one file) with
  ``polygons``/``scores`` (mmocr's ``det_polygons``/``det_scores`` too).

Outputs ``res_img_N.txt`` (``--format icdar2015``: integer clockwise quads,
other polygons replaced by their minimum rotated rectangle) or
``res_<image>.txt`` (``--format polygon``: the points, written losslessly),
zipped when ``--out`` ends with ``.zip``, else into a folder; or, with
``--format art``, the one JSON file of the ICDAR2019-ArT detection task
(``--out`` ending with ``.json``, written atomically)::

    {"res_<id>": [{"points": [[x, y], ...], "confidence": s}, ...], ...}

where ``<id>`` is the number ending the image name (``gt_<id>.jpg``, ArT's
test images, or ``<prefix>_<id>.jpg``), every image has its key (an empty
list without detections), and the points of each polygon (>= 3, written
losslessly) are in clockwise order in image coordinates (y down).

Example::

    python tools/make_submission.py \
        work_dirs/dbnet/epoch_1200.pth_predictions.pkl \
        --format icdar2015 --out work_dirs/dbnet/submit.zip
"""
import argparse
import importlib
import io
import json
import os
import os.path as osp
import pickle
import re
import sys
import zipfile
from typing import Callable, Dict, List, Tuple

import numpy as np

from mmocr_ext.evaluation.functional import (EvalInputError, result_file_name,
                                             result_lines)

Prediction = Tuple[str, List[np.ndarray], np.ndarray]

# What a --save-preds pickle may hold (mmengine's DumpResults writes the
# data samples as dicts, with protocol 2, which writes bytes as
# _codecs.encode(...) or bytes()): plain containers, numpy arrays, scalars
# and dtypes, and torch tensors.
_SAFE_GLOBALS = {('builtins', 'set'), ('builtins', 'frozenset'),
                 ('builtins', 'bytes'), ('collections', 'OrderedDict'),
                 ('_codecs', 'encode'), ('numpy', 'ndarray'),
                 ('numpy', 'dtype'), ('numpy.core.multiarray', '_reconstruct'),
                 ('numpy.core.multiarray', 'scalar'),
                 ('numpy.core.numeric', '_frombuffer')}
_SAFE_GLOBALS |= {(m.replace('numpy.core', 'numpy._core'), n)
                  for m, n in _SAFE_GLOBALS}  # numpy 2 names


def _load_storage(data: bytes):
    """torch's ``_load_from_bytes``, with torch's restricted unpickler."""
    import torch
    try:
        return torch.load(io.BytesIO(data), weights_only=True)
    except pickle.UnpicklingError:
        raise pickle.UnpicklingError(
            'refusing a tensor storage that torch.load(weights_only=True) '
            'does not accept') from None


def _rebuild_tensor(*args):
    """torch's ``_rebuild_tensor_v2`` (its storage comes from
    :func:`_load_storage`)."""
    from torch._utils import _rebuild_tensor_v2
    return _rebuild_tensor_v2(*args)


_TORCH_GLOBALS: Dict[Tuple[str, str], Callable] = {
    ('torch.storage', '_load_from_bytes'): _load_storage,
    ('torch._utils', '_rebuild_tensor_v2'): _rebuild_tensor,
}


class PredictionUnpickler(pickle.Unpickler):
    """Unpickles what ``tools/test.py --save-preds`` writes and nothing else.

    Any other global (a function or class, e.g. ``os.system``) is refused
    before it is looked up, so a crafted file cannot run code; tensor
    storages are read by ``torch.load(weights_only=True)``.
    """

    def find_class(self, module: str, name: str):
        if module == '__builtin__':  # its Python 2 name (protocol 2)
            module = 'builtins'
        if (module, name) in _SAFE_GLOBALS:
            return getattr(importlib.import_module(module), name)
        if (module, name) in _TORCH_GLOBALS:
            return _TORCH_GLOBALS[module, name]
        raise pickle.UnpicklingError(
            f'refusing to load the global {module}.{name}: a --save-preds '
            'pickle holds only containers, numpy arrays and torch tensors')


def load_pickle(path: str):
    """Read a ``--save-preds`` pickle with :class:`PredictionUnpickler`.

    Args:
        path (str): The file.

    Returns:
        The unpickled object.

    Raises:
        ValueError: naming the file, for a refused or unreadable pickle.
    """
    with open(path, 'rb') as f:
        try:
            return PredictionUnpickler(f).load()
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                IndexError, TypeError, ValueError, RuntimeError) as e:
            raise ValueError(f'{path}: {e}') from None


def _array(value) -> np.ndarray:
    """numpy view of a list, array or tensor (without importing torch)."""
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


def _from_sample(sample: Dict, where: str) -> Prediction:
    if not isinstance(sample, dict):
        raise ValueError(f'{where}: a {type(sample).__name__}, not a data '
                         'sample dict')
    pred = sample.get('pred_instances')
    if pred is None or 'polygons' not in pred:
        raise ValueError(f'{where}: no pred_instances.polygons (was the '
                         'pickle written by a text detector?)')
    polys = [_array(p).reshape(-1, 2) for p in pred['polygons']]
    scores = _array(pred.get('scores', np.ones(len(polys)))).reshape(-1)
    return sample.get('img_path', where), polys, scores


def _from_json(data: Dict, where: str) -> Prediction:
    polys = data.get('polygons', data.get('det_polygons'))
    if polys is None:
        raise ValueError(f'{where}: no "polygons" (or "det_polygons")')
    scores = data.get('scores', data.get('det_scores', [1.] * len(polys)))
    return (data.get('img_path',
                     osp.splitext(osp.basename(where))[0]),
            [_array(p).reshape(-1, 2)
             for p in polys], _array(scores).reshape(-1))


def read_predictions(path: str) -> List[Prediction]:
    """Read a ``--save-preds`` pickle (through :class:`PredictionUnpickler`)
    or infer.py JSON (a file or a folder).

    Args:
        path (str): The input.

    Returns:
        list[tuple]: ``(image name, polygons, scores)`` per image.
    """
    if osp.isdir(path):
        names = sorted(n for n in os.listdir(path) if n.endswith('.json'))
        if not names:
            raise ValueError(f'{path}: no .json files')
        out = []
        for name in names:
            with open(osp.join(path, name), encoding='utf-8') as f:
                out.append(_from_json(json.load(f), osp.join(path, name)))
        return out
    if path.endswith('.json'):
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
        items = data if isinstance(data, list) else [data]
        return [_from_json(d, path) for d in items]
    samples = load_pickle(path)
    if isinstance(samples, dict):
        samples = [samples]
    return [_from_sample(s, f'{path}[{i}]') for i, s in enumerate(samples)]


_ART_STEM = re.compile(r'(?:.*_)?(\d+)')


def art_key(image: str) -> str:
    """``res_<id>`` for an image named ``gt_<id>.jpg``/``<prefix>_<id>.jpg``.

    Args:
        image (str): Image path or name.

    Returns:
        str: The key of the image in an ArT result file.
    """
    stem = osp.splitext(osp.basename(image))[0]
    match = _ART_STEM.fullmatch(stem)
    if not match:
        raise ValueError(f'{image}: the art format needs images named '
                         'gt_<id> (or <prefix>_<id>) with a numeric id')
    return f'res_{match.group(1)}'


def _number(value: float):
    """An int when integral, else the float (lossless in JSON)."""
    value = float(value)
    return int(value) if value.is_integer() else value


def art_entries(polys: List[np.ndarray], scores: np.ndarray) -> List[Dict]:
    """The ArT result entries of one image.

    Args:
        polys (list[np.ndarray]): (K, 2) polygons.
        scores (np.ndarray): One score per polygon.

    Returns:
        list[dict]: ``points`` (clockwise in image coordinates) and
        ``confidence`` per polygon of >= 3 points, in the input order.
    """
    entries = []
    for poly, score in zip(polys, scores):
        pts = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
        if len(pts) < 3:
            continue
        x, y = pts[:, 0], pts[:, 1]
        # clockwise on screen (y down): sum((x2 - x1)(y2 + y1)) <= 0
        if np.sum((np.roll(x, -1) - x) * (np.roll(y, -1) + y)) > 0:
            pts = pts[::-1]
        entries.append(
            dict(
                points=[[_number(a), _number(b)] for a, b in pts],
                confidence=float(score)))
    return entries


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(
        description='Saved detections -> RRC / polygon result files.')
    parser.add_argument(
        'preds', help='--save-preds pickle, infer.py JSON file or folder')
    parser.add_argument(
        '--format',
        default='icdar2015',
        choices=['icdar2015', 'polygon', 'art'])
    parser.add_argument(
        '--out',
        required=True,
        help='a .zip file or a folder (art: a .json file)')
    parser.add_argument(
        '--score-thr',
        type=float,
        default=None,
        help='keep detections scored >= it (default: all)')
    parser.add_argument(
        '--with-score',
        action='store_true',
        help='append the score to each line (the official RRC validator '
        'rejects it unless confidences are enabled)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Write the submission; returns the exit code."""
    args = parse_args(argv)
    if args.format == 'art' and not args.out.endswith('.json'):
        print(
            'error: --format art writes one JSON file: --out must end '
            'with .json',
            file=sys.stderr)
        return 2
    try:
        preds = read_predictions(args.preds)
        files = {}
        art = {}
        num_det = 0
        for image, polys, scores in preds:
            if len(scores) != len(polys):
                raise ValueError(f'{image}: {len(polys)} polygons but '
                                 f'{len(scores)} scores')
            if args.score_thr is not None:
                keep = scores >= args.score_thr
                polys = [p for p, k in zip(polys, keep) if k]
                scores = scores[keep]
            if args.format == 'art':
                key = art_key(image)
                if key in art:
                    raise ValueError(f'{image}: two images map to {key}')
                art[key] = art_entries(polys, scores)
                num_det += len(art[key])
                continue
            name = result_file_name(image, args.format)
            if name in files:
                raise ValueError(f'{image}: two images map to {name}')
            lines = result_lines(polys, scores, args.format, args.with_score)
            num_det += len(lines)
            files[name] = ''.join(line + '\n' for line in lines)
    except (ValueError, OSError, EvalInputError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    if args.format == 'art':
        from mmocr_ext.compat.atomic_save import atomic_write
        atomic_write(json.dumps(art, ensure_ascii=False), args.out)
        print(
            f'wrote {len(art)} images, {num_det} detections, to {args.out}',
            file=sys.stderr)
        return 0
    if args.out.endswith('.zip'):
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with zipfile.ZipFile(args.out, 'w', zipfile.ZIP_DEFLATED) as zf:
            for name, text in files.items():
                zf.writestr(name, text)
    else:
        os.makedirs(args.out, exist_ok=True)
        for name, text in files.items():
            with open(osp.join(args.out, name), 'w', encoding='utf-8') as f:
                f.write(text)
    print(
        f'wrote {len(files)} result files, {num_det} detections, to '
        f'{args.out}',
        file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
