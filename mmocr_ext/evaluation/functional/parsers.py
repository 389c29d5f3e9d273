# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Line parsers of the supported ground-truth and result formats.

Every parser returns ``(polygons, flags_or_scores)`` for one file and raises
:class:`EvalInputError` naming the file and line for malformed input; no line
is ever skipped silently (empty lines are not annotations and are skipped,
as the RRC script does).
"""
import io
import math
import re
from typing import List, Optional, Sequence, Tuple

import numpy as np

from .errors import EvalInputError

Polys = List[np.ndarray]
_QUOTED = re.compile(r'^\s*"(.*)"\s*$')
DONT_CARE_LABELS = ('#', '###')


def _numbers(tokens: Sequence[str], where: str, line: int) -> List[float]:
    """Parse tokens as finite numbers or raise naming the bad token."""
    values = []
    for tok in tokens:
        try:
            value = float(tok)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise EvalInputError(where, f'{tok.strip()!r} is not a number',
                                 line)
        values.append(value)
    return values


def _is_number(tok: str) -> bool:
    try:
        return math.isfinite(float(tok))
    except ValueError:
        return False


def _lines(text: str):
    """Non-empty lines (CRLF or LF) with their 1-based numbers."""
    for num, line in enumerate(text.split('\n'), 1):
        line = line.replace('\r', '')
        if line.strip():
            yield num, line


def _points(values: Sequence[float], truncate: bool = False) -> np.ndarray:
    pts = np.asarray(values, dtype=np.float64).reshape(-1, 2)
    return np.trunc(pts) if truncate else pts


def parse_icdar2015_gt(text: str, where: str) -> Tuple[Polys, np.ndarray]:
    """``x1,y1,...,x4,y4,transcription`` lines; ``###`` is don't care.

    The transcription is everything after the 8th comma (it may contain
    commas); a double-quoted one is unquoted as RRC does. Coordinates are
    truncated to integers as RRC's ``polygon_from_points`` does.

    Args:
        text (str): File content (BOM already removed).
        where (str): File name for error messages.

    Returns:
        tuple(list[np.ndarray], np.ndarray): Quadrilaterals and the bool
        don't-care flags.
    """
    coords, ignored = [], []
    for num, line in _lines(text):
        parts = line.split(',', 8)
        if len(parts) < 9:
            raise EvalInputError(
                where, 'expected x1,y1,x2,y2,x3,y3,x4,y4,transcription, '
                f'found {len(parts)} comma-separated fields', num)
        coords.append(_numbers(parts[:8], where, num))
        ignored.append(_unquote(parts[8]) == '###')
    return np.trunc(np.asarray(coords, dtype=np.float64).reshape(
        -1, 4, 2)), np.array(ignored, dtype=bool)


def _unquote(trans: str) -> str:
    """RRC's handling of a double-quoted transcription."""
    if '"' in trans:
        quoted = _QUOTED.match(trans)
        if quoted:
            return quoted.group(1).replace('\\\\', '\\').replace('\\"', '"')
    return trans


def parse_icdar2015_det(text: str,
                        where: str) -> Tuple[Polys, Optional[np.ndarray]]:
    """``x1,y1,...,x4,y4[,confidence]`` lines.

    Args:
        text (str): File content.
        where (str): File name for error messages.

    Returns:
        tuple(list[np.ndarray], np.ndarray or None): Quadrilaterals
        (truncated to integers) and the scores (NaN where a line has none;
        None when no line has one).
    """
    rows = []
    for num, line in _lines(text):
        parts = line.split(',')
        if len(parts) not in (8, 9):
            raise EvalInputError(
                where, 'expected 8 coordinates x1,y1,...,x4,y4 and an '
                f'optional confidence, found {len(parts)} values', num)
        row = _numbers(parts, where, num)
        rows.append(row + [math.nan] * (9 - len(row)))
    if not rows:
        return np.zeros((0, 4, 2)), None
    values = np.asarray(rows, dtype=np.float64)
    return np.trunc(values[:, :8].reshape(-1, 4, 2)), _scores(values[:, 8])


def _scores(scores) -> Optional[np.ndarray]:
    """None when no line has a score (all NaN)."""
    arr = np.asarray(scores, dtype=np.float64)
    return None if np.isnan(arr).all() else arr


def parse_polygon_gt(text: str, where: str) -> Tuple[Polys, np.ndarray]:
    """``x1,y1,...,xn,yn,LABEL`` lines (Total-Text / CTW1500 text GT).

    ``LABEL`` is ``#`` or ``###`` for don't care, anything else (a
    transcription, ``CARE``) for care. It starts after the longest run of
    leading numbers of even length, so a numeric transcription (``2016``)
    after an even number of coordinates is read as the label. A care
    ground truth needs at least 3 points; a don't-care one may have fewer
    (Total-Text has one-point ``#`` entries) and then has no area.

    Args:
        text (str): File content.
        where (str): File name for error messages.

    Returns:
        tuple(list[np.ndarray], np.ndarray): Polygons and don't-care flags.
    """
    lines = list(_lines(text))
    tokens = [line.split(',') for _, line in lines]
    polys, ignored = [], []
    for (num, _), toks in zip(lines, tokens):
        n_num = 0
        while n_num < len(toks) and _is_number(toks[n_num]):
            n_num += 1
        n_coord = n_num - (n_num % 2)
        if n_coord == len(toks):
            raise EvalInputError(
                where, 'missing label after the coordinates (a '
                'transcription, or # / ### for don\'t care)', num)
        label = ','.join(toks[n_coord:]).strip()
        dont_care = label in DONT_CARE_LABELS
        if n_coord < 6 and not dont_care:
            bad = toks[n_num] if n_num < len(toks) else label
            raise EvalInputError(
                where, 'expected at least 3 points x1,y1,x2,y2,x3,y3 before '
                f'the label; {bad.strip()!r} is not a number', num)
        polys.append(_points(_numbers(toks[:n_coord], where, num)))
        ignored.append(dont_care)
    return polys, np.asarray(ignored, dtype=bool)


def parse_polygon_det(text: str,
                      where: str) -> Tuple[Polys, Optional[np.ndarray]]:
    """``x1,y1,...,xn,yn[,score]`` lines, a score only if the count is odd.

    Args:
        text (str): File content.
        where (str): File name for error messages.

    Returns:
        tuple(list[np.ndarray], np.ndarray or None): Polygons and scores.
    """
    lines = list(_lines(text))
    tokens = [line.split(',') for _, line in lines]
    polys, scores = [], []
    for (num, _), toks in zip(lines, tokens):
        values = _numbers(toks, where, num)
        score = values.pop() if len(values) % 2 else math.nan
        if len(values) < 6:
            raise EvalInputError(
                where, f'a polygon needs at least 3 points, found '
                f'{len(values) // 2}', num)
        polys.append(_points(values))
        scores.append(score)
    return polys, _scores(scores)


def _cell_str(cell) -> str:
    arr = np.asarray(cell).ravel()
    return str(arr[0]) if arr.size else ''


def parse_totaltext_gt_mat(raw: bytes, where: str) -> Tuple[Polys, np.ndarray]:
    """Total-Text ``poly_gt_*.mat`` (variable ``polygt`` or ``gt``).

    Each row is ``['x:', xs, 'y:', ys, transcription, orientation]``;
    orientation ``#`` marks don't care (as ``Deteval.py`` reads it).

    Args:
        raw (bytes): File content.
        where (str): File name for error messages.

    Returns:
        tuple(list[np.ndarray], np.ndarray): Polygons and don't-care flags.
    """
    from scipy.io import loadmat
    try:
        mat = loadmat(io.BytesIO(raw))
    except Exception as e:  # noqa: B902  (scipy raises many types)
        raise EvalInputError(where, f'not a readable .mat file ({e})')
    key = 'polygt' if 'polygt' in mat else 'gt' if 'gt' in mat else None
    if key is None:
        raise EvalInputError(where, 'no variable "polygt" or "gt"')
    rows = mat[key]
    polys, ignored = [], []
    for i, row in enumerate(
            rows.reshape(-1, rows.shape[-1]) if rows.size else [], 1):
        if len(row) < 6:
            raise EvalInputError(
                where, f'row {i} has {len(row)} cells, '
                'expected 6 (x:, xs, y:, ys, text, '
                'orientation)')
        xs = np.asarray(row[1], dtype=np.float64).ravel()
        ys = np.asarray(row[3], dtype=np.float64).ravel()
        if len(xs) != len(ys):
            raise EvalInputError(
                where, f'row {i}: {len(xs)} x but '
                f'{len(ys)} y values')
        polys.append(np.stack([xs, ys], axis=1))
        ignored.append(_cell_str(row[5]) == '#')
    return polys, np.asarray(ignored, dtype=bool)


def parse_totaltext_det_mat(raw: bytes,
                            where: str) -> Tuple[Polys, Optional[np.ndarray]]:
    """Total-Text result ``.mat``: cell ``accuInf`` of (K, 2) ``x, y``.

    Args:
        raw (bytes): File content.
        where (str): File name for error messages.

    Returns:
        tuple(list[np.ndarray], None): Polygons, no scores.
    """
    from scipy.io import loadmat
    try:
        mat = loadmat(io.BytesIO(raw))
    except Exception as e:  # noqa: B902
        raise EvalInputError(where, f'not a readable .mat file ({e})')
    if 'accuInf' not in mat:
        raise EvalInputError(where, 'no variable "accuInf"')
    polys = []
    for i, cell in enumerate(mat['accuInf'].ravel(), 1):
        pts = np.asarray(cell, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 3:
            raise EvalInputError(
                where, f'accuInf cell {i} has shape {pts.shape}, expected '
                '(K, 2) with K >= 3')
        polys.append(pts)
    return polys, None
