# Copyright (c) OpenMMLab. All rights reserved.
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
_IC15_GT_LINE = re.compile(r'^((?:[^,\n]*,){8})(.*)$', re.M)
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


def _bulk(rows: List[List[str]]) -> Optional[np.ndarray]:
    """Convert equally long token rows at once; None if any token is not a
    finite number (the caller then finds it line by line)."""
    try:
        arr = np.array(rows, dtype=np.float64)
    except ValueError:
        return None
    return arr if np.isfinite(arr).all() else None


def _fromstring(text: str, count: int) -> Optional[np.ndarray]:
    """Parse ``count`` comma-separated numbers in C; None on any problem
    (then the caller re-parses line by line to name the bad token)."""
    try:
        arr = np.fromstring(text, dtype=np.float64, sep=',')
    except ValueError:
        return None
    if arr.size != count or not np.isfinite(arr).all():
        return None
    return arr


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
    text = text.replace('\r', '')
    found = _IC15_GT_LINE.findall(text)
    num_lines = sum(1 for line in text.split('\n') if line.strip())
    if len(found) == num_lines:
        coords = _fromstring(''.join(h for h, _ in found)[:-1], 8 * num_lines)
        if coords is not None:
            return np.trunc(coords.reshape(-1, 4, 2)), np.array(
                [_unquote(t) == '###' for _, t in found], dtype=bool)
    lines = list(_lines(text))
    parts = [line.split(',', 8) for _, line in lines]
    coords = None
    if all(len(p) == 9 for p in parts):
        coords = _bulk([p[:8] for p in parts])
    if coords is None:  # locate the error
        for (num, _), p in zip(lines, parts):
            if len(p) < 9:
                raise EvalInputError(
                    where, 'expected x1,y1,x2,y2,x3,y3,x4,y4,transcription, '
                    f'found {len(p)} comma-separated fields', num)
            _numbers(p[:8], where, num)
        coords = np.asarray(
            [_numbers(p[:8], where, num) for (num, _), p in zip(lines, parts)],
            dtype=np.float64)
    ignored = np.array([_unquote(p[8]) == '###' for p in parts], dtype=bool)
    return np.trunc(coords.reshape(-1, 4, 2)), ignored


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
    text = text.replace('\r', '')
    rows = [line for line in text.split('\n') if line.strip()]
    if not rows:
        return np.zeros((0, 4, 2)), None
    commas = {line.count(',') for line in rows}
    values = None
    if len(commas) == 1 and min(commas) in (7, 8):
        width = min(commas) + 1
        values = _fromstring(','.join(rows), width * len(rows))
        if values is not None:
            values = values.reshape(len(rows), width)
    if values is None:  # mixed lengths or an error somewhere
        rows = []
        for num, line in _lines(text):
            p = line.split(',')
            if len(p) not in (8, 9):
                raise EvalInputError(
                    where, 'expected 8 coordinates x1,y1,...,x4,y4 and an '
                    f'optional confidence, found {len(p)} values', num)
            row = _numbers(p, where, num)
            rows.append(row + [math.nan] * (9 - len(row)))
        values = np.asarray(rows, dtype=np.float64)
    scores = values[:, 8] if values.shape[1] == 9 else np.full(
        len(values), math.nan)
    return np.trunc(values[:, :8].reshape(-1, 4, 2)), _scores(scores)


def _scores(scores) -> Optional[np.ndarray]:
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
    # fast path: every line is 2n >= 6 numbers and one label field
    if tokens and all(len(t) % 2 == 1 and len(t) >= 7 for t in tokens) and \
            len({len(t) for t in tokens}) == 1:
        coords = _bulk([t[:-1] for t in tokens])
        if coords is not None:
            labels = [t[-1].strip() for t in tokens]
            if not any(_is_number(lab) for lab in labels):
                return (coords.reshape(len(tokens), -1, 2),
                        np.array([lab in DONT_CARE_LABELS for lab in labels],
                                 dtype=bool))
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
    if tokens and len({len(t) for t in tokens}) == 1 and len(tokens[0]) >= 6:
        values = _bulk(tokens)
        if values is not None:
            if values.shape[1] % 2:
                return (values[:, :-1].reshape(len(values), -1,
                                               2), _scores(values[:, -1]))
            return values.reshape(len(values), -1, 2), None
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


def parse_icdar2015_many(texts: Sequence[Tuple[str, str]],
                         gt: bool) -> Optional[list]:
    """Parse many well-formed icdar2015 files with one numeric conversion.

    Args:
        texts (Sequence[tuple[str, str]]): ``(where, text)`` per file.
        gt (bool): Ground-truth (with transcription) or result files.

    Returns:
        list or None: What :func:`parse_icdar2015_gt` /
        :func:`parse_icdar2015_det` return, per file; None when any file is
        not in the common shape (the caller then parses file by file, which
        also names the error).
    """
    heads, counts, extra = [], [], []
    width = 8 if gt else None
    for _, text in texts:
        text = text.replace('\r', '')
        if gt:
            found = _IC15_GT_LINE.findall(text)
            if len(found) != sum(1 for ln in text.split('\n') if ln.strip()):
                return None
            heads.extend(h[:-1] for h, _ in found)
            extra.append([_unquote(t) == '###' for _, t in found])
            counts.append(len(found))
        else:
            rows = [ln for ln in text.split('\n') if ln.strip()]
            for row in rows:
                commas = row.count(',')
                if width is None and commas in (7, 8):
                    width = commas + 1
                if commas + 1 != width:
                    return None
            heads.extend(rows)
            counts.append(len(rows))
    width = width or 8
    values = _fromstring(','.join(heads), width * len(heads))
    if values is None:
        return None
    values = values.reshape(-1, width)
    quads = np.trunc(values[:, :8]).reshape(-1, 4, 2)
    splits = np.cumsum(counts)[:-1]
    out = []
    if gt:
        for polys, flags in zip(np.split(quads, splits), extra):
            out.append((polys, np.array(flags, dtype=bool)))
    else:
        scores = np.split(values[:, 8], splits) if width == 9 else \
            [None] * len(counts)
        out = list(zip(np.split(quads, splits), scores))
    return out
