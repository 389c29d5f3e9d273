# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Parsers of the supported ground-truth and result formats.

Each text format has one grammar, :func:`parse_text_files`, applied to all
files of one side at once: the files are joined into one byte array and cut
into lines and comma-separated fields with array operations, so there is no
Python work per number. The rules are those of the RRC ``script.py``, which
reads its files line by line (docs/evaluation.md lists where we deviate):

- UTF-8 with an optional BOM; ``\\r`` is dropped; empty and whitespace-only
  lines are not annotations and are skipped.
- A number is a field that Python's ``float()`` reads as a finite value.
- ``icdar2015`` ground truth: ``x1,y1,...,x4,y4,transcription``, the
  transcription being everything after the 8th comma; ``###`` (or
  ``"###"``) is don't care. Results: ``x1,...,y4[,confidence]``.
  Coordinates are truncated to integers, as RRC's ``polygon_from_points``.
- ``polygon`` ground truth: ``x1,y1,...,xn,yn,LABEL``; the label starts
  after the longest even run of leading numbers; ``#`` or ``###`` is don't
  care, anything else care; a care polygon needs 3 points. Results:
  ``x1,y1,...,xn,yn[,score]``, with a score when the count is odd.

A malformed file gets an :class:`EvalInputError` naming it and its first
malformed line instead of a result; nothing is skipped silently.
"""
import re
from typing import List, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from .errors import EvalInputError

Polys = Union[List[np.ndarray], np.ndarray]
Parsed = Union[Tuple[Polys, Optional[np.ndarray]], EvalInputError]
DONT_CARE_LABELS = ('#', '###')
_QUOTED = re.compile(r'^\s*"(.*)"\s*$')
_BOM = b'\xef\xbb\xbf'
_COMMA, _NEWLINE = 44, 10
# bytes that make a line non-blank (ASCII, not whitespace); lines starting
# with another byte are checked with str.strip()
_SOLID = np.array([b < 128 and not chr(b).isspace() for b in range(256)])
# integers of up to 15 digits are below 2**53, exact in float64
_MAX_DIGITS = 15
_NONE = np.iinfo(np.int64).max
# line errors, in the order they are checked within a line
_FIELDS, _NUMBER, _LABEL, _POINTS = 1, 2, 3, 4


def digit_strings(u: np.ndarray, start: np.ndarray,
                  end: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Values of the fields ``u[start[n]:end[n]]`` that are 1 to 15 ASCII
    digits (almost every coordinate): exactly ``float()``'s, as they are
    integers below 2**53.

    Fields are read column by column from the left, longest first, so that
    column ``k`` is a prefix of the sorted fields.

    Args:
        u (np.ndarray): uint8 text.
        start (np.ndarray): (T, ) field starts.
        end (np.ndarray): (T, ) field ends (exclusive).

    Returns:
        tuple(np.ndarray, np.ndarray): (T, ) values and (T, ) bool, False for
        another field (its value is then meaningless).
    """
    size = end - start
    size = np.where(size <= _MAX_DIGITS, size, 0).astype(np.uint8)
    order = np.argsort(_MAX_DIGITS - size, kind='stable')  # longest first
    per_size = np.bincount(size, minlength=_MAX_DIGITS + 1)
    at_least = np.cumsum(per_size[::-1])[::-1]  # fields of >= k characters
    pos = start[order]  # of column k, from k = 0
    mant = np.zeros(len(order))  # exact: below 2**53
    digits = size[order] > 0
    for k in range(int(size.max(initial=0))):
        m = at_least[k + 1]  # fields longer than k
        digit = u[pos[:m]] - np.uint8(48)
        pos[:m] += 1
        digits[:m] &= digit < 10
        mant[:m] *= 10
        mant[:m] += digit
    values, ok = np.empty(len(order)), np.empty(len(order), bool)
    values[order], ok[order] = mant, digits
    return values, ok


class _Lines:
    """The non-blank lines of many files, cut into fields.

    Args:
        raws (Sequence[bytes]): UTF-8 files.

    Attributes:
        file (np.ndarray): (L, ) file index of each non-blank line.
        number (np.ndarray): (L, ) its 1-based line number in its file.
        first (np.ndarray): (L, ) index of its first field.
        count (np.ndarray): (L, ) its number of fields.
    """

    def __init__(self, raws: Sequence[bytes]) -> None:
        clean = [r[3:] if r[:3] == _BOM else r for r in raws]
        self.blob = (b'\n'.join(clean) + b'\n').replace(b'\r', b'')
        self.u = u = np.frombuffer(self.blob, np.uint8)
        # int32 positions: half the memory (and page faults) of int64
        seps = np.flatnonzero((u == _COMMA) | (u == _NEWLINE)).astype(np.int32)
        is_end = u[seps] == _NEWLINE
        ends = seps[is_end]
        starts = np.concatenate([[0], ends[:-1] + 1])
        segments = [c.count(b'\n') + 1 for c in clean]
        number = np.arange(len(ends)) - np.repeat(
            np.cumsum(segments) - segments, segments) + 1
        keep = (starts < ends) & _SOLID[u[starts]]
        for i in np.flatnonzero((starts < ends) & ~keep):
            keep[i] = bool(self.blob[starts[i]:ends[i]].decode().strip())
        last = np.flatnonzero(is_end).astype(np.int32)  # of each line
        first = np.concatenate([np.zeros(1, np.int32), last[:-1] + 1])
        self.file = np.repeat(np.arange(len(raws)), segments)[keep]
        self.number, self.first = number[keep], first[keep]
        self.count = (last - first + 1)[keep]
        self.field_start = np.concatenate(
            [np.zeros(1, np.int32), seps[:-1] + 1])
        self.field_end = seps

    def fields(self, take: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Fields ``0 .. take[l] - 1`` of every line ``l``.

        Returns:
            tuple(np.ndarray, np.ndarray): (F, ) field indices, line by line,
            and (F, ) their position in their line.
        """
        line = np.repeat(np.arange(len(take), dtype=np.int32), take)
        local = np.arange(
            len(line), dtype=np.int32) - np.repeat(
                (np.cumsum(take) - take).astype(np.int32), take)
        return self.first[line] + local, local

    def text(self, field: int, last: Optional[int] = None) -> str:
        """Text of a field, or of fields ``field .. last`` with their
        commas."""
        last = field if last is None else last
        return self.blob[self.field_start[field]:self.field_end[last]].decode()

    def numbers(self, field: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Values of fields and whether each is a number (a finite
        ``float()``): digit strings in numpy, the others by ``float()``."""
        start, end = self.field_start[field], self.field_end[field]
        values, ok = digit_strings(self.u, start, end)
        rest = np.flatnonzero(~ok)
        if len(rest):
            values[rest], ok[rest] = _floats(
                self.texts(start[rest], end[rest]))
        return values, ok

    def texts(self, start: np.ndarray, end: np.ndarray) -> List[str]:
        """Decoded ``blob[start[n]:end[n]]`` of many fields (or runs of
        fields of a line) at once."""
        size = end - start + 1  # with the separator that ends each field
        offset = np.cumsum(size) - size
        chars = self.u[np.arange(size.sum()) + np.repeat(start - offset, size)]
        chars[offset + size - 1] = _NEWLINE
        return chars.tobytes().decode().split('\n')[:-1]


def _floats(texts: List[str]) -> Tuple[np.ndarray, np.ndarray]:
    """``float()`` of each text, and whether it is a finite number."""
    try:
        values = np.array([float(t) for t in texts])
    except ValueError:
        values = np.full(len(texts), np.nan)
        for n, text in enumerate(texts):
            try:
                values[n] = float(text)
            except ValueError:
                pass
    return values, np.isfinite(values)


def _unquote(trans: str) -> str:
    """RRC's handling of a double-quoted transcription."""
    if '"' in trans:
        quoted = _QUOTED.match(trans)
        if quoted:
            return quoted.group(1).replace('\\\\', '\\').replace('\\"', '"')
    return trans


def _message(lines: _Lines, i: int, error: int, gt: bool, first_bad: int,
             label: str) -> str:
    """What is wrong with line ``i``."""
    count = int(lines.count[i])
    if error == _FIELDS:
        if gt:
            return ('expected x1,y1,x2,y2,x3,y3,x4,y4,transcription, found '
                    f'{count} comma-separated fields')
        return ('expected 8 coordinates x1,y1,...,x4,y4 and an optional '
                f'confidence, found {count} values')
    if error == _NUMBER:
        token = lines.text(lines.first[i] + first_bad).strip()
        return f'{token!r} is not a number'
    if error == _LABEL:
        return ('missing label after the coordinates (a transcription, or '
                "# / ### for don't care)")
    if not gt:
        return f'a polygon needs at least 3 points, found {count // 2}'
    bad = lines.text(lines.first[i] + first_bad) if first_bad < count \
        else label
    return ('expected at least 3 points x1,y1,x2,y2,x3,y3 before the label; '
            f'{bad.strip()!r} is not a number')


class _Grammar(NamedTuple):
    """Every non-blank line read by the grammar of one format.

    Attributes:
        error (np.ndarray): (L, ) 0, or the first error of the line.
        first_bad (np.ndarray): (L, ) the first field that is not a number
            (polygon ground truth: the number of leading numbers).
        labels (list[str]): Ground-truth labels ('' where an error).
        dont_care (np.ndarray): (L, ) bool, don't-care ground truth.
        n_coord (np.ndarray): (L, ) number of coordinates (0 where an error).
        coords (np.ndarray): The coordinates, line after line.
        scores (np.ndarray): (L, ) the score of a result line, else NaN.
    """
    error: np.ndarray
    first_bad: np.ndarray
    labels: List[str]
    dont_care: np.ndarray
    n_coord: np.ndarray
    coords: np.ndarray
    scores: np.ndarray


def _read(lines: _Lines, fmt: str, gt: bool) -> _Grammar:
    """Apply the grammar of ``fmt`` (module doc) to all lines at once."""
    count, ic15 = lines.count, fmt == 'icdar2015'
    odd = count % 2 == 1
    if ic15:
        take = np.minimum(count, 8) if gt else count
    else:  # an odd ground-truth count ends with the label, whatever it is
        take = count - (odd & gt)
    field, local = lines.fields(take)
    values, is_num = lines.numbers(field)
    line = np.repeat(np.arange(len(count)), take)
    first_bad = np.full(len(count), _NONE)
    bad_lines, at = np.unique(line[~is_num], return_index=True)
    first_bad[bad_lines] = local[~is_num][at]
    error = np.where(first_bad < _NONE, _NUMBER, 0)
    if ic15:
        n_coord = np.full(len(count), 8)
        error[(count < 9) if gt else (count != 8) & (count != 9)] = _FIELDS
    elif gt:
        first_bad = np.minimum(first_bad, count)  # the leading numbers
        n_coord = first_bad - first_bad % 2
        error = np.where(n_coord == count, _LABEL, 0)
    else:
        n_coord = count - count % 2
        error[(error == 0) & (n_coord < 6)] = _POINTS
    labels, dont_care = [], np.zeros(len(count), bool)
    if gt:
        # the fields after the coordinates ('' for a line in error)
        last = lines.first + count - 1
        start = lines.field_start[np.where(error, last, lines.first + n_coord)]
        end = np.where(error, start, lines.field_end[last])
        labels = lines.texts(start, end)
        if ic15:
            dont_care[:] = [_unquote(text) == '###' for text in labels]
        else:
            dont_care[:] = [t.strip() in DONT_CARE_LABELS for t in labels]
            error[(error == 0) & (n_coord < 6) & ~dont_care] = _POINTS
    n_coord[error > 0] = 0
    coords = values[local < n_coord[line]]
    scores = np.full(len(count), np.nan)
    if not gt:
        scored = odd & (error == 0)
        scores[scored] = values[(local == count[line] - 1) & scored[line]]
    return _Grammar(error, first_bad, labels, dont_care, n_coord,
                    np.trunc(coords) if ic15 else coords, scores)


def parse_text_files(raws: Sequence[bytes], wheres: Sequence[str], fmt: str,
                     gt: bool) -> List[Parsed]:
    """Parse the text files of one side (the grammar of the module doc).

    Args:
        raws (Sequence[bytes]): File contents.
        wheres (Sequence[str]): File names, for error messages.
        fmt (str): ``'icdar2015'`` or ``'polygon'``.
        gt (bool): Ground truth (with labels) or results.

    Returns:
        list: Per file ``(polygons, dont_care)`` (ground truth) or
        ``(polygons, scores)`` (results; a score is NaN for a line without
        one, the scores None when no line has one), or the
        :class:`EvalInputError` of its first malformed line. Polygons are
        one (N, K, 2) array when all lines of the file have K points, else
        a list of (K, 2) arrays.
    """
    raws, errors = list(raws), [None] * len(raws)
    for f, raw in enumerate(raws):
        try:
            raw.decode('utf-8-sig')
        except UnicodeDecodeError as e:
            errors[f] = EvalInputError(wheres[f], f'not UTF-8 text ({e})')
            raws[f] = b''
    if not raws:
        return []
    lines = _Lines(raws)
    read = _read(lines, fmt, gt)
    for i in np.flatnonzero(read.error):
        f = lines.file[i]
        if errors[f] is None:
            errors[f] = EvalInputError(
                wheres[f],
                _message(lines, i, read.error[i], gt, int(read.first_bad[i]),
                         read.labels[i] if gt else ''), int(lines.number[i]))
    # files whose lines all have the same number of coordinates
    n_coord, num_files = read.n_coord, len(raws)
    change = np.flatnonzero(n_coord[1:] != n_coord[:-1])
    mixed = np.bincount(
        lines.file[change + 1][lines.file[change] == lines.file[change + 1]],
        minlength=num_files)
    has_scores = np.bincount(lines.file, ~np.isnan(read.scores), num_files)
    has_scores, uniform = (has_scores > 0).tolist(), (mixed == 0).tolist()
    offset = np.concatenate([[0], np.cumsum(n_coord)]).tolist()
    bounds = np.searchsorted(lines.file, np.arange(num_files + 1)).tolist()
    out: List[Parsed] = []
    for f, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
        flat = read.coords[offset[a]:offset[b]]
        if errors[f] is not None:
            out.append(errors[f])
            continue
        if uniform[f] and b > a:
            polys = flat.reshape(b - a, -1, 2)
        elif fmt == 'icdar2015':
            polys = flat.reshape(0, 4, 2)
        else:
            cuts = np.cumsum(n_coord[a:b])[:-1]
            polys = [p.reshape(-1, 2) for p in np.split(flat, cuts)][:b - a]
        out.append((polys, read.dont_care[a:b]
                    if gt else read.scores[a:b] if has_scores[f] else None))
    return out
