# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""All text files of a submission parsed at once, in numpy.

The files are joined into one byte array; separators, line structure and
every number are found with array operations, with no Python work per
number and none per line (but for the few labels that need unquoting or
stripping). Only plain decimal numbers (``[+-]digits[.digits]`` with a
mantissa below 2**53, i.e. 15 significant digits at least) are converted
here, exactly as ``float()`` would (such a mantissa divided by a power of
ten is the correctly rounded value). A file with anything else -- another
number syntax, a whitespace-only line, a transcription with commas in a
polygon file, a malformed line -- gets ``None``, and the caller parses it
with the careful line-by-line parsers of :mod:`.parsers`, which also name
the file and line of an error. The results are identical either way.
"""
from typing import List, Optional, Sequence, Tuple

import numpy as np

from .parsers import DONT_CARE_LABELS, _unquote

_BOM = b'\xef\xbb\xbf'
_COMMA, _NEWLINE, _QUOTE, _HASH, _DOT = 44, 10, 34, 35, 46
_MAX_TOKEN = 18
_POW10 = 10.0**np.arange(_MAX_TOKEN + 1)
_POW10_INT = 10**np.arange(_MAX_TOKEN + 1, dtype=np.int64)
_SWAR_CHUNK = 1 << 16
# by token length (9: longer): the bytes of the token in its 8-byte window
_SWAR_MASK = np.array([0] + [(1 << 64) - (1 << (64 - 8 * n))
                             for n in range(1, 9)] + [0], np.uint64)
_SWAR_SIZE_OK = np.array([False] + [True] * 8 + [False])
_ZEROS, _SIXES = np.uint64(0x3030303030303030), np.uint64(0x0606060606060606)
_HIGH = np.uint64(0xF0F0F0F0F0F0F0F0)
_LANE8, _LANE16 = np.uint64(0x00FF00FF00FF00FF), np.uint64(0x0000FFFF0000FFFF)


def parse_numbers(u: np.ndarray, start: np.ndarray,
                  end: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Values of the plain decimal numbers ``u[start[n]:end[n]]``.

    Integers of up to 8 digits (almost all coordinates) are read 8 bytes at
    a time (SWAR: the digits of a little-endian uint64 are combined pairwise
    in three multiply-adds); the other tokens column by column.

    Args:
        u (np.ndarray): uint8 text, with at least 8 bytes before the first
            token.
        start (np.ndarray): (T, ) token starts.
        end (np.ndarray): (T, ) token ends (exclusive).

    Returns:
        tuple(np.ndarray, np.ndarray): (T, ) values and (T, ) bool, False
        for a token that is not a plain decimal number (its value is then
        meaningless).
    """
    values = np.empty(len(start))
    ok = np.empty(len(start), bool)
    # the 8 bytes ending at each position, as a little-endian uint64
    words = np.lib.stride_tricks.as_strided(
        u, shape=(len(u) - 7, 8), strides=(1, 1)).view('<u8')[:, 0]
    for s in range(0, len(start), _SWAR_CHUNK):
        part = slice(s, s + _SWAR_CHUNK)
        values[part], ok[part] = _swar_integers(words, start[part], end[part])
    rest = np.flatnonzero(~ok)
    if len(rest):
        values[rest], ok[rest] = _parse_columns(u, start[rest], end[rest])
    return values, ok


def _swar_integers(words: np.ndarray, start: np.ndarray,
                   end: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Tokens of 1 to 8 digits, 8 bytes at a time: the bytes before the
    token are masked to zero, the digits checked, then combined pairwise
    by three multiply-shifts (``10 a + b`` in every 16-bit lane, ``100 a +
    b`` in every 32-bit lane, ``10000 a + b``)."""
    size = np.minimum(end - start, 9)
    digits = words[end - 8] ^ _ZEROS
    digits &= _SWAR_MASK[size]
    fits = _SWAR_SIZE_OK[size]
    fits &= ((digits | (digits + _SIXES)) & _HIGH) == 0
    digits = ((digits * np.uint64(2561)) >> np.uint64(8)) & _LANE8
    digits = ((digits * np.uint64(6553601)) >> np.uint64(16)) & _LANE16
    digits = (digits * np.uint64(42949672960001)) >> np.uint64(32)
    return digits.astype(np.float64), fits


def _parse_columns(u: np.ndarray, start: np.ndarray,
                   end: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Any plain decimal number: digits are accumulated (int64, exact)
    column by column from the right end of each token (tokens sorted by
    length, so column ``k`` is a prefix), then the few non-digit characters
    are applied."""
    length = end - start
    ok = (length >= 1) & (length <= _MAX_TOKEN)
    size = np.where(ok, length, 0).astype(np.uint8)
    order = np.argsort(_MAX_TOKEN - size, kind='stable')  # longest first
    at_least = np.bincount(size, minlength=_MAX_TOKEN + 1)[::-1].cumsum()[::-1]
    ends = end[order]
    mant = np.zeros(len(start), np.int64)
    odd_pos, odd_col, odd_chr = [], [], []
    for k in range(1, int(size.max(initial=0)) + 1):
        chars = u[ends[:at_least[k]] - k]
        digit = chars - np.uint8(48)
        bad = np.flatnonzero(digit >= 10)
        if len(bad):
            digit[bad] = 0
            odd_pos.append(bad)
            odd_col.append(np.full(len(bad), k))
            odd_chr.append(chars[bad])
        mant[:at_least[k]] += digit.astype(np.int64) * _POW10_INT[k - 1]
    ok_sorted = ok[order]
    values = mant.astype(np.float64)
    if odd_pos:
        _fix_odd(mant, values, ok_sorted, size[order], np.concatenate(odd_pos),
                 np.concatenate(odd_col), np.concatenate(odd_chr))
    ok_sorted &= mant < 2**53
    out = np.empty_like(values)
    out[order] = values
    ok[order] = ok_sorted
    return out, ok


def _fix_odd(mant: np.ndarray, values: np.ndarray, ok: np.ndarray,
             size: np.ndarray, pos: np.ndarray, col: np.ndarray,
             chars: np.ndarray) -> None:
    """Apply a decimal point or a leading sign, in place; flag any other
    character, a second point or a token without digits.

    The mantissa must stay below 2**53, so that dividing it by a power of
    ten is the correctly rounded value of the decimal (as ``float()``)."""
    dot = chars == _DOT
    sign = ((chars == 45) | (chars == 43)) & (col == size[pos])
    ok[pos[~dot & ~sign]] = False
    num_odd = np.bincount(pos, minlength=len(mant))
    num_dot = np.bincount(pos[dot], minlength=len(mant))
    ok &= (num_dot <= 1) & (size.astype(np.int64) > num_odd)
    at, frac = pos[dot], col[dot] - 1  # digits after the point
    mant[at] = (mant[at] // _POW10_INT[frac + 1]) * _POW10_INT[frac] + \
        mant[at] % _POW10_INT[frac]
    values[at] = mant[at] / _POW10[frac]
    neg = pos[sign & (chars == 45)]
    values[neg] = -values[neg]


class _Text:
    """Files joined into one uint8 array, cut into lines and tokens.

    Attributes:
        not_utf8 (list[int]): Files that are not UTF-8 (left out).
        u (np.ndarray): The bytes (``\\r`` removed, BOMs stripped, 8
            empty lines first, every file ending with a newline).
        line_file (np.ndarray): (L, ) file of each line.
        line_end (np.ndarray): (L, ) position of each line's newline.
        line_tok (np.ndarray): (L, ) index of each line's first token.
        num_tok (np.ndarray): (L, ) tokens (comma-separated fields) per
            line.
        tok_start (np.ndarray): (T, ) token starts.
        tok_end (np.ndarray): (T, ) token ends (a comma or newline).
    """

    def __init__(self, raws: Sequence[bytes]) -> None:
        clean = [r[3:] if r[:3] == _BOM else r for r in raws]
        joined = b'\n'.join(clean)
        self.not_utf8 = []
        try:  # the newlines between files end any multi-byte sequence
            joined.decode('utf-8')
        except UnicodeDecodeError:
            for f, text in enumerate(clean):
                try:
                    text.decode('utf-8')
                except UnicodeDecodeError:
                    self.not_utf8.append(f)
                    clean[f] = b''
            joined = b'\n'.join(clean)
        lines_per_file = [c.count(b'\n') + 1 for c in clean]
        # 8 empty lines first (of file 0): every token has 8 bytes before
        # its end, as parse_numbers needs
        lines_per_file[0] += 8
        blob = (b'\n' * 8 + joined + b'\n').replace(b'\r', b'')
        self.u = u = np.frombuffer(blob, np.uint8)
        self.tok_end = np.flatnonzero((u == _COMMA) | (u == _NEWLINE))
        self.tok_start = np.empty_like(self.tok_end)
        self.tok_start[0] = 0
        self.tok_start[1:] = self.tok_end[:-1] + 1
        last_tok = np.flatnonzero(u[self.tok_end] == _NEWLINE)
        self.line_end = self.tok_end[last_tok]
        self.line_tok = np.empty_like(last_tok)
        self.line_tok[0] = 0
        self.line_tok[1:] = last_tok[:-1] + 1
        self.num_tok = last_tok + 1 - self.line_tok
        self.line_file = np.repeat(np.arange(len(raws)), lines_per_file)

    def line_start(self) -> np.ndarray:
        """(L, ) position of each line's first byte."""
        return self.tok_start[self.line_tok]

    def has_char(self, char: int, start: np.ndarray) -> np.ndarray:
        """Per line, whether ``u[start[l]:line_end[l]]`` contains ``char``.

        Args:
            char (int): A byte.
            start (np.ndarray): (L, ) int, where to start looking in each
                line (beyond the line end: nowhere).

        Returns:
            np.ndarray: (L, ) bool.
        """
        pos = np.flatnonzero(self.u == char)
        line = np.searchsorted(self.line_end, pos)
        found = np.zeros(len(self.line_end), bool)
        found[line[pos >= start[line]]] = True
        return found

    def equals(self, start: np.ndarray, end: np.ndarray,
               word: bytes) -> np.ndarray:
        """Whether ``u[start[n]:end[n]] == word``, elementwise."""
        same = (end - start) == len(word)
        for k, char in enumerate(word):
            same &= self.u[np.minimum(start + k, len(self.u) - 1)] == char
        return same

    def strings(self, start: np.ndarray, end: np.ndarray) -> List[str]:
        """Decoded ``u[start[n]:end[n]]``."""
        return [
            self.u[s:e].tobytes().decode('utf-8') for s, e in zip(start, end)
        ]


def _layout(fmt: str, gt: bool,
            num_tok: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Which lines fit the format, and how many leading numbers they hold,
    from the number of fields of each line."""
    if fmt == 'icdar2015':
        if gt:
            return num_tok >= 9, np.full(len(num_tok), 8)
        return (num_tok == 8) | (num_tok == 9), num_tok
    if gt:  # polygon: 2n >= 6 numbers and one label field
        return (num_tok % 2 == 1) & (num_tok >= 7), num_tok - 1
    return num_tok - num_tok % 2 >= 6, num_tok


def parse_bulk(raws: Sequence[bytes], fmt: str,
               gt: bool) -> List[Optional[tuple]]:
    """Parse many annotation files of one kind at once.

    Args:
        raws (Sequence[bytes]): File contents.
        fmt (str): ``'icdar2015'`` or ``'polygon'`` (text formats).
        gt (bool): Ground truth (with a label) or results.

    Returns:
        list: Per file what the careful parser of :mod:`.parsers` returns
        (``(polygons, dont_care)`` or ``(polygons, scores)``), or None where
        the careful parser has to be used.
    """
    if not raws:
        return []
    text = _Text(raws)
    fits, num_num = _layout(fmt, gt, text.num_tok)
    ann = np.flatnonzero(text.line_end > text.line_start())  # not empty
    bad_file = np.zeros(len(raws), bool)
    bad_file[text.not_utf8] = True
    bad_file[text.line_file[ann[~fits[ann]]]] = True
    ann = ann[fits[ann] & ~bad_file[text.line_file[ann]]]
    width = num_num[ann]
    offset = np.cumsum(width) - width
    tok = np.repeat(text.line_tok[ann] - offset, width) + np.arange(
        width.sum())
    values, ok = parse_numbers(text.u, text.tok_start[tok], text.tok_end[tok])
    if len(ann):
        bad_file[text.line_file[ann[~np.logical_and.reduceat(ok, offset)]]] \
            = True
    if len(width) and (width == width[0]).all():
        table = values.reshape(len(ann), width[0])
    else:
        table = np.full((len(ann), int(width.max(initial=0))), np.nan)
        table[np.repeat(np.arange(len(ann)), width),
              np.arange(len(tok)) - np.repeat(offset, width)] = values
    file_of = text.line_file[ann]
    first = np.searchsorted(file_of, np.arange(len(raws) + 1))
    polys, scores = _assemble(fmt, table, width, file_of, first)
    dont_care = _dont_care(text, fmt, ann) if gt else None
    out = []
    for f in range(len(raws)):
        if bad_file[f]:
            out.append(None)
        elif gt:
            out.append((polys(f), dont_care[first[f]:first[f + 1]]))
        else:
            out.append((polys(f), scores(f)))
    return out


def _dont_care(text: _Text, fmt: str, ann: np.ndarray) -> np.ndarray:
    """Don't-care flags of ground-truth lines from their labels."""
    if fmt == 'icdar2015':  # everything after the 8th comma, maybe quoted
        start = text.tok_start[text.line_tok + 8 * (text.num_tok >= 9)]
        words, special = (b'###', ), _QUOTE
    else:  # the last field, stripped
        start = text.tok_start[text.line_tok + text.num_tok - 1]
        words, special = (b'#', b'###'), _HASH
    end = text.line_end[ann]
    flags = np.zeros(len(ann), bool)
    for word in words:
        flags |= text.equals(start[ann], end, word)
    odd = np.flatnonzero(text.has_char(special, start)[ann] & ~flags)
    for n, label in zip(odd, text.strings(start[ann[odd]], end[odd])):
        flags[n] = _unquote(label) == '###' if fmt == 'icdar2015' else \
            label.strip() in DONT_CARE_LABELS
    return flags


def _assemble(fmt: str, table: np.ndarray, width: np.ndarray,
              file_of: np.ndarray, first: np.ndarray) -> tuple:
    """Per-file polygons (and scores) from the number table.

    Args:
        fmt (str): Format.
        table (np.ndarray): (L, W) numbers of every kept line.
        width (np.ndarray): (L, ) numbers per line.
        file_of (np.ndarray): (L, ) file of every line.
        first (np.ndarray): (F + 1, ) first line of every file.

    Returns:
        tuple(callable, callable): File index -> polygons, and file index
        -> scores (or None when no line of the file has one).
    """
    if fmt == 'icdar2015':
        quads = np.trunc(table[:, :8]).reshape(-1, 4, 2)
        scores = table[:, 8] if table.shape[1] == 9 else \
            np.full(len(table), np.nan)
        num_coords = np.full(len(table), 8)
    else:  # a result line with an odd count ends with its score
        has_score = width % 2 == 1
        num_coords = width - has_score
        scores = np.where(has_score, table[np.arange(len(table)), width - 1],
                          np.nan)
    scored = np.bincount(file_of, ~np.isnan(scores), len(first) - 1) > 0
    if fmt == 'icdar2015':

        def polys(f: int) -> np.ndarray:
            return quads[first[f]:first[f + 1]]
    else:
        # files with lines of different lengths
        change = (num_coords[1:] != num_coords[:-1]) & \
            (file_of[1:] == file_of[:-1])
        mixed = np.bincount(file_of[1:][change], minlength=len(first) - 1)

        def polys(f: int):
            a, b = first[f], first[f + 1]
            if a < b and not mixed[f]:  # one shape: one array
                return table[a:b, :num_coords[a]].reshape(b - a, -1, 2)
            return [
                row[:n].reshape(-1, 2)
                for row, n in zip(table[a:b], num_coords[a:b])
            ]

    def file_scores(f: int) -> Optional[np.ndarray]:
        return scores[first[f]:first[f + 1]] if scored[f] else None

    return polys, file_scores
