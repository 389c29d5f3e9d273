# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The text parsers against a line-by-line reading of the documented
grammar, their numbers against ``float()``, their errors, and the zip
reader."""
import io
import math
import zipfile

import numpy as np
import pytest

from mmocr_ext.evaluation.functional import (EvalInputError, evaluate_files,
                                             parse_text_files, read_files)
from mmocr_ext.evaluation.functional.parsers import digit_strings
from eval_test_utils import write_files

KINDS = [('icdar2015', True), ('icdar2015', False), ('polygon', True),
         ('polygon', False)]


def number(tok):
    """The grammar's number: a finite float(), else None."""
    try:
        value = float(tok)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def unquote(label):
    """RRC's double-quoted transcription."""
    stripped = label.strip()
    if '"' in label and len(stripped) > 1 and stripped[0] == stripped[-1] \
            == '"':
        return stripped[1:-1].replace('\\\\', '\\').replace('\\"', '"')
    return label


def read_line(line, fmt, gt):
    """One line, as docs/evaluation.md describes it: (coordinates, label or
    score) or an error message."""
    toks = line.split(',', 8) if fmt == 'icdar2015' and gt else \
        line.split(',')
    if fmt == 'icdar2015':
        if (len(toks) < 9) if gt else len(toks) not in (8, 9):
            return ('expected x1,y1,x2,y2,x3,y3,x4,y4,transcription, found '
                    f'{len(toks)} comma-separated fields') if gt else (
                        'expected 8 coordinates x1,y1,...,x4,y4 and an '
                        f'optional confidence, found {len(toks)} values')
        for tok in toks[:8] if gt else toks:
            if number(tok) is None:
                return f'{tok.strip()!r} is not a number'
        coords = [math.trunc(number(t)) for t in toks[:8]]
        if gt:
            return coords, unquote(toks[8]) == '###'
        return coords, number(toks[8]) if len(toks) == 9 else math.nan
    if gt:
        lead = 0
        while lead < len(toks) and number(toks[lead]) is not None:
            lead += 1
        n = lead - lead % 2
        if n == len(toks):
            return ('missing label after the coordinates (a transcription, '
                    "or # / ### for don't care)")
        label = ','.join(toks[n:]).strip()
        if n < 6 and label not in ('#', '###'):
            bad = toks[lead] if lead < len(toks) else label
            return ('expected at least 3 points x1,y1,x2,y2,x3,y3 before the '
                    f'label; {bad.strip()!r} is not a number')
        return [number(t) for t in toks[:n]], label in ('#', '###')
    for tok in toks:
        if number(tok) is None:
            return f'{tok.strip()!r} is not a number'
    if len(toks) // 2 < 3:
        return f'a polygon needs at least 3 points, found {len(toks) // 2}'
    n = len(toks) - len(toks) % 2
    return [number(t) for t in toks[:n]], \
        number(toks[-1]) if len(toks) % 2 else math.nan


def read_file(raw, where, fmt, gt):
    """A whole file, line by line: (polygons, flags or scores) or the
    message and line of its first error."""
    try:
        text = raw.decode('utf-8-sig')
    except UnicodeDecodeError as e:
        return f'{where}: not UTF-8 text ({e})'
    polys, extra = [], []
    for num, line in enumerate(text.split('\n'), 1):
        line = line.replace('\r', '')
        if not line.strip():
            continue
        res = read_line(line, fmt, gt)
        if isinstance(res, str):
            return f'{where}, line {num}: {res}'
        polys.append(np.reshape(res[0], (-1, 2)))
        extra.append(res[1])
    return polys, extra


def same(parsed, ref, gt):
    if isinstance(ref, str):
        assert isinstance(parsed, EvalInputError) and str(parsed) == ref
        return
    assert not isinstance(parsed, EvalInputError), parsed
    polys, extra = parsed
    assert len(polys) == len(ref[0])
    for p, q in zip(polys, ref[0]):
        np.testing.assert_array_equal(np.asarray(p), q)
    if gt:
        assert extra.dtype == bool and extra.tolist() == ref[1]
    elif np.isnan(ref[1]).all():
        assert extra is None
    else:
        np.testing.assert_array_equal(extra, ref[1])


TRICKY = [
    '7', '-7', '+7', '007', '-0', '0.5', '.5', '5.', '-.25', '1e3', '1E-3',
    ' 7', '7 ', '\t7', '\xa07', '1_000', '\uff11', '\u0663', 'nan', 'inf',
    '-inf', '0x10', '', '-', '.', '1.2.3', '--1', '1-', 'x', '12345678901234',
    '123456789012345', '1234567890123456', '9007199254740993',
    '0.30000000000000004', '99999999999999999999999'
]
LABELS = [
    'word', '###', '#', '"###"', ' "###" ', 'Hello, world', '2016', '#1',
    ' ### ', '', 'CARE', '"quoted, text"', '"a\\"b"', '12,34', '###,', 'é'
]


def random_file(rng, fmt, gt, p_odd):
    """Lines mixing the features the format allows, some malformed."""
    lines = []
    width = 4 if fmt == 'icdar2015' else int(rng.choice([4, 7, 14]))
    for _ in range(rng.integers(0, 8)):
        num = width if fmt == 'icdar2015' or rng.random() > p_odd else \
            int(rng.integers(1, 16))
        coords = rng.integers(-50, 1500, 2 * num).astype(object)
        if rng.random() < p_odd:
            coords[rng.integers(0, len(coords))] = rng.choice(TRICKY)
        line = ','.join(str(v) for v in coords)
        if gt:
            line += ',' + rng.choice(LABELS)
        elif rng.random() < 0.7:
            line += rng.choice([f',{rng.uniform():.4f}', ',1', ',0.5e-1'])
        if rng.random() < p_odd:
            line = rng.choice(['', '   ', '\u2003', '\x0c', '1,2,3', 'x,y'])
        lines.append(line)
    newline = rng.choice(['\n', '\r\n'])
    text = newline.join(lines) + (newline if rng.random() < 0.8 else '')
    raw = text.encode('utf-8')
    return b'\xef\xbb\xbf' + raw if rng.random() < 0.2 else raw


@pytest.mark.parametrize('fmt, gt', KINDS)
def test_parser_equals_line_by_line_reading(fmt, gt):
    rng = np.random.default_rng(len(fmt) * 2 + gt)
    raws = [random_file(rng, fmt, gt, p) for p in [0.02] * 300 + [0.3] * 300]
    raws += [b'', b'\n\n', b'\xef\xbb\xbf', b'\xff\xfe not utf-8', b'1,2\xc3']
    wheres = [f'f{i}.txt' for i in range(len(raws))]
    out = parse_text_files(raws, wheres, fmt, gt)
    errors = 0
    for raw, where, parsed in zip(raws, wheres, out):
        ref = read_file(raw, where, fmt, gt)
        same(parsed, ref, gt)
        errors += isinstance(ref, str)
    assert 100 < errors < 450
    # a file parses the same alone as among others
    for i in rng.choice(len(raws), 20, replace=False):
        same(
            parse_text_files([raws[i]], [wheres[i]], fmt, gt)[0],
            read_file(raws[i], wheres[i], fmt, gt), gt)


def test_digit_strings_are_floats():
    rng = np.random.default_rng(0)
    tokens = TRICKY + [
        ''.join(rng.choice(list('0123456789'), rng.integers(1, 18)))
        for _ in range(2000)
    ]
    tokens = [t for t in tokens if ',' not in t]
    blob = ','.join(tokens).encode() + b','
    u = np.frombuffer(blob, np.uint8)
    end = np.flatnonzero(u == 44)
    start = np.concatenate([[0], end[:-1] + 1])
    values, ok = digit_strings(u, start, end)
    for tok, value, good in zip(tokens, values, ok):
        assert good == (tok.isascii() and tok.isdigit() and len(tok) <= 15)
        if good:
            assert value == float(tok)


@pytest.mark.parametrize('tok', TRICKY)
def test_every_number_is_what_float_reads(tok):
    raw = f'0,0,10,0,10,10,{tok}\n'.encode()
    parsed = parse_text_files([raw], ['res_1.txt'], 'polygon', False)[0]
    value = number(tok)
    if value is None:
        assert str(parsed) == \
            f'res_1.txt, line 1: {tok.strip()!r} is not a number'
    else:
        polys, scores = parsed
        assert scores.tolist() == [value]
        assert math.copysign(1, scores[0]) == math.copysign(1, value)


def test_labels_scores_and_shapes():
    gt = '\n'.join([
        '1,2,3,4,5,6,7,8,Hello, world',  # commas in a transcription: care
        '1,2,3,4,5,6,7,8,"###"',  # quoted: don't care
        '1,2,3,4,5,6,7,8,###,',  # not exactly ###: care
    ]).encode()
    polys, dont_care = parse_text_files([gt], ['gt_img_1.txt'], 'icdar2015',
                                        True)[0]
    assert polys.shape == (3, 4, 2) and dont_care.tolist() == [0, 1, 0]
    poly_gt = '\n'.join([
        '0,0,10,0,10,10,0,10,2016',  # a numeric label after 2n numbers
        '0,0,10,0,10,10,Hello, world',  # a label with a comma
        '0,0,1,1,#',  # a don't care may have fewer than 3 points
        '5,5,###',
    ]).encode()
    polys, dont_care = parse_text_files([poly_gt], ['gt_1.txt'], 'polygon',
                                        True)[0]
    assert [len(p) for p in polys] == [4, 3, 2, 1]
    assert dont_care.tolist() == [False, False, True, True]
    det = b'1.5,0,10,0,10,10,0.9\n0,0,10,0,10,10,0,10\n'
    (polys, scores), = parse_text_files([det], ['r.txt'], 'polygon', False)
    assert polys[0][0].tolist() == [1.5, 0.] and len(polys[1]) == 4
    assert scores[0] == 0.9 and np.isnan(scores[1])
    (polys, scores), = parse_text_files([b'0,0,9,0,9,9,0,9\n'] * 1, ['r.txt'],
                                        'icdar2015', False)
    assert polys.shape == (1, 4, 2) and scores is None


def test_error_in_one_of_many_files_names_file_and_line(tmp_path):
    good = [f'{x},0,{x + 9},0,{x + 9},9,{x},9,w' for x in range(0, 90, 10)]
    files = {f'gt_img_{i}.txt': good for i in range(1, 60)}
    files['gt_img_33.txt'] = good[:2] + ['1,2,3,4,5,6,7,x,w'] + good[2:]
    files['gt_img_34.txt'] = good + ['1,2,3']
    gt = write_files(tmp_path / 'gt', files)
    det = write_files(tmp_path / 'det', {'res_img_1.txt': []})
    with pytest.raises(
            EvalInputError,
            match=r'gt_img_33\.txt, line 3: .x. is not a number'):
        evaluate_files(gt, det, 'icdar2015')
    out = parse_text_files(
        [('\n'.join(good[:4] + ['1,2,3'] + ['x'])).encode()], ['f.txt'],
        'icdar2015', True)
    assert str(out[0]) == ('f.txt, line 5: expected x1,y1,x2,y2,x3,y3,x4,y4,'
                           'transcription, found 3 comma-separated fields')


def zip_bytes(members, compression=zipfile.ZIP_DEFLATED, comment=b''):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.comment = comment
    return buf.getvalue()


@pytest.mark.parametrize(
    'compression, prefix, comment',
    [
        (zipfile.ZIP_DEFLATED, b'', b''),
        (zipfile.ZIP_STORED, b'', b'a comment'),
        (zipfile.ZIP_DEFLATED, b'#!/bin/sh\nexit 0\n', b''),  # data first
    ])
def test_zip_reader(tmp_path, compression, prefix, comment):
    members = {
        'sub/gt_img_1.txt': b'1,2',
        'gt_img_2.txt': 'é'.encode(),
        'sub/': b'',
        '__MACOSX/sub/._gt_img_1.txt': b'x',
        'README.md': b'no',
        'sub/.hidden.txt': b'no'
    }
    path = tmp_path / 'a.zip'
    path.write_bytes(prefix + zip_bytes(members, compression, comment))
    files = read_files(str(path), ('.txt', ))
    assert files == {
        f'{path}:sub/gt_img_1.txt': b'1,2',
        f'{path}:gt_img_2.txt': 'é'.encode()
    }


def test_zip_reader_errors(tmp_path):
    path = tmp_path / 'dup.zip'
    path.write_bytes(zip_bytes({'a/x.txt': b'1', 'b/x.txt': b'2'}))
    with pytest.raises(EvalInputError, match='duplicate file name'):
        read_files(str(path), ('.txt', ))
    path = tmp_path / 'bad.zip'
    blob = bytearray(zip_bytes({'x.txt': b'12345' * 20}, zipfile.ZIP_STORED))
    blob[40] ^= 1  # corrupt the content: a CRC error, naming the member
    path.write_bytes(bytes(blob))
    with pytest.raises(EvalInputError, match=r'bad\.zip:x\.txt: unreadable'):
        read_files(str(path), ('.txt', ))
    path = tmp_path / 'not.zip'
    path.write_bytes(b'plain text')
    with pytest.raises(EvalInputError, match='neither a directory'):
        read_files(str(path), ('.txt', ))
