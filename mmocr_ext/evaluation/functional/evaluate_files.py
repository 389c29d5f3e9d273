# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Offline evaluation of result files against ground-truth files."""
import re
from typing import Dict, List, Optional

from .deteval_protocol import evaluate_deteval
from .errors import EvalInputError
from .iou_protocol import evaluate_iou
from .parsers import parse_text_files
from .sources import image_id, natural_key, read_files
from .structures import EvalSample
from .totaltext_mat import parse_totaltext_det_mat, parse_totaltext_gt_mat

FORMATS = ('icdar2015', 'polygon', 'totaltext-mat')
PROTOCOLS = ('iou', 'deteval')
# format -> extensions of its ground-truth and of its result files
_EXTENSIONS = {
    'icdar2015': (('.txt', ), ('.txt', )),
    'polygon': (('.txt', ), ('.txt', )),
    'totaltext-mat': (('.mat', ), ('.mat', '.txt')),
}
_IC15_NAMES = {
    'gt': re.compile(r'(?:.*[/:])?gt_img_\d+\.txt'),
    'det': re.compile(r'(?:.*[/:])?res_img_\d+\.txt')
}


def _check_ic15_name(where: str, kind: str) -> None:
    """RRC's file-name rule (``gt_img_N.txt`` / ``res_img_N.txt``)."""
    if not _IC15_NAMES[kind].fullmatch(where):
        pattern = 'gt_img_N.txt' if kind == 'gt' else 'res_img_N.txt'
        raise EvalInputError(where, f'file name does not match {pattern}')


def _parse(files: Dict[str, bytes], fmt: str, gt: bool) -> List:
    """Per file its parse result or its :class:`EvalInputError`: text files
    all at once (:func:`parse_text_files`), ``.mat`` files one by one."""
    text = [w for w in files if w[-4:].lower() == '.txt']
    kind = 'icdar2015' if fmt == 'icdar2015' else 'polygon'
    out = dict(
        zip(text, parse_text_files([files[w] for w in text], text, kind, gt)))
    parse_mat = parse_totaltext_gt_mat if gt else parse_totaltext_det_mat
    for where in files:
        if where not in out:
            try:
                out[where] = parse_mat(files[where], where)
            except EvalInputError as e:
                out[where] = e
    return [out[w] for w in files]


def _checked(parsed):
    """A parse result, or raise its error."""
    if isinstance(parsed, EvalInputError):
        raise parsed
    return parsed


def load_samples(gt_path: str,
                 pred_path: str,
                 fmt: str = 'icdar2015') -> List[EvalSample]:
    """Read and pair ground-truth and result files.

    An image without a result file has no detections (as in the RRC
    script); a result file whose image has no ground-truth file is an
    error. Errors are raised in file order (the first malformed file and
    its first malformed line).

    Args:
        gt_path (str): Ground-truth directory or zip.
        pred_path (str): Result directory or zip.
        fmt (str): One of :data:`FORMATS`. Defaults to 'icdar2015'.

    Returns:
        list[EvalSample]: One per ground-truth file, naturally sorted by id.
    """
    if fmt not in _EXTENSIONS:
        raise ValueError(f'format must be one of {FORMATS}, got {fmt!r}')
    gt_ext, det_ext = _EXTENSIONS[fmt]
    samples: Dict[str, EvalSample] = {}
    gt_files = read_files(gt_path, gt_ext)
    for where, parsed in zip(gt_files, _parse(gt_files, fmt, gt=True)):
        if fmt == 'icdar2015':
            _check_ic15_name(where, 'gt')
        key = image_id(where)
        if key in samples:
            raise EvalInputError(where, f'second ground truth for {key!r}')
        samples[key] = EvalSample(key, *_checked(parsed))
    if not samples:
        raise EvalInputError(
            gt_path, 'no ground-truth files '
            f'({"/".join(gt_ext)}) found')
    seen, keys = set(), []
    det_files = read_files(pred_path, det_ext)
    for where in det_files:
        if fmt == 'icdar2015':
            _check_ic15_name(where, 'det')
        key = image_id(where)
        if key not in samples:
            raise EvalInputError(
                where, f'prediction for image {key!r}, which is not in the '
                'ground truth')
        if key in seen:
            raise EvalInputError(where, f'second result file for {key!r}')
        seen.add(key)
        keys.append(key)
    for key, parsed in zip(keys, _parse(det_files, fmt, gt=False)):
        samples[key].det_polys, samples[key].det_scores = _checked(parsed)
    return [samples[k] for k in sorted(samples, key=natural_key)]


def evaluate_files(gt_path: str,
                   pred_path: str,
                   fmt: str = 'icdar2015',
                   protocol: str = 'iou',
                   iou_thr: float = 0.5,
                   area_precision_thr: float = 0.5,
                   score_thr: Optional[float] = None,
                   per_image: bool = False) -> Dict:
    """Evaluate a folder/zip of results against a folder/zip of ground truth.

    Args:
        gt_path (str): Ground truth.
        pred_path (str): Results.
        fmt (str): File format, one of :data:`FORMATS`.
            Defaults to 'icdar2015'.
        protocol (str): ``'iou'`` (RRC) or ``'deteval'`` (Total-Text).
            Defaults to 'iou'.
        iou_thr (float): IoU threshold of ``iou``. Defaults to 0.5.
        area_precision_thr (float): Don't-care threshold (both protocols).
            Defaults to 0.5.
        score_thr (float, optional): Drop detections scored below it first.
            Defaults to None.
        per_image (bool): Add per-image results. Defaults to False.

    Returns:
        dict: ``precision``, ``recall``, ``hmean``, ``num_gt_care``,
        ``num_det_care``, ``num_matched``, ``num_images`` and the settings.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f'protocol must be one of {PROTOCOLS}')
    samples = load_samples(gt_path, pred_path, fmt)
    if protocol == 'iou':
        result = evaluate_iou(samples, iou_thr, area_precision_thr, score_thr,
                              per_image)
        settings = dict(iou_thr=iou_thr, area_precision_thr=area_precision_thr)
    else:
        if score_thr is not None:
            for s in samples:
                keep = s.scores_or_ones() >= score_thr
                s.det_polys = [p for p, k in zip(s.det_polys, keep) if k]
                s.det_scores = None
        result = evaluate_deteval(
            samples, dc_thr=area_precision_thr, per_image=per_image)
        settings = dict(
            tr=0.7,
            tp=0.6,
            k=2,
            fsc_k=0.8,
            area_precision_thr=area_precision_thr)
    per_img = result.pop('per_image', None)
    result.update(
        num_images=len(samples),
        format=fmt,
        protocol=protocol,
        score_thr=score_thr,
        **settings)
    if per_img is not None:
        result['per_image'] = per_img
    return result
