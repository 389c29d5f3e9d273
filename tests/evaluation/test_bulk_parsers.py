# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The all-files-at-once parser against the careful line-by-line parsers,
the numpy number reader against ``float()``, and the zip reader."""
import io
import math
import zipfile

import numpy as np
import pytest
from eval_test_utils import core, core_module, write_files

CAREFUL = {
    ('icdar2015', True): 'parse_icdar2015_gt',
    ('icdar2015', False): 'parse_icdar2015_det',
    ('polygon', True): 'parse_polygon_gt',
    ('polygon', False): 'parse_polygon_det',
}


def numbers(tokens):
    """parse_numbers on a list of str tokens."""
    bulk = core_module('bulk_parsers')
    blob = b'\n' * 8 + b''.join(t.encode() + b',' for t in tokens)
    ends = np.flatnonzero(np.frombuffer(blob, np.uint8) == 44)
    starts = np.concatenate([[8], ends[:-1] + 1])
    return bulk.parse_numbers(np.frombuffer(blob, np.uint8), starts, ends)


def python_float(tok):
    try:
        value = float(tok)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def test_numbers_equal_python_float():
    rng = np.random.default_rng(0)
    tokens = [
        '0', '7', '-0', '+7', '007', '12345678', '123456789',
        '999999999999999', '9007199254740993', '1234567890123456789', '0.5',
        '.5', '5.', '-.5', '-3.25', '+0.125', '1.000', '0.30000000000000004',
        '123456789.123456', '1e5', '1E-3', ' 1', '1 ', '', '-', '+', '.', '-.',
        '1.2.3', '--1', '1-', '+-1', 'a', '0x10', 'nan', 'inf', '1_000',
        '\uff11', '٣', '1,5'
    ]
    for _ in range(3000):
        digits = ''.join(rng.choice(list('0123456789'), rng.integers(1, 17)))
        kind = rng.integers(0, 4)
        if kind == 1:
            cut = rng.integers(0, len(digits) + 1)
            digits = digits[:cut] + '.' + digits[cut:]
        elif kind == 2:
            digits = rng.choice(['-', '+']) + digits
        tokens.append(digits)
    tokens = [t for t in tokens if ',' not in t]
    values, ok = numbers(tokens)
    for tok, value, good in zip(tokens, values, ok):
        ref = python_float(tok)
        if good:  # accepted: exactly float(), sign of zero included
            assert ref is not None and value == ref, tok
            assert math.copysign(1, value) == math.copysign(1, ref), tok
        elif ref is not None:  # declined: only outside the plain syntax
            assert not all(c in '0123456789.+-' for c in tok) or \
                sum(c.isdigit() for c in tok) > 15 or \
                len(tok) > 18, tok
    assert ok.sum() > 2500
    assert numbers(['12', 'x'])[1].tolist() == [True, False]


def lines_to_bytes(lines, newline='\n', bom=False, final=True):
    text = newline.join(lines) + (newline if final else '')
    return (b'\xef\xbb\xbf' if bom else b'') + text.encode('utf-8')


def random_file(rng, fmt, gt):
    """Lines mixing the features the format allows, sometimes malformed."""
    lines = []
    width = 4 if fmt == 'icdar2015' else int(rng.choice([4, 7, 14]))
    for _ in range(rng.integers(0, 8)):
        num = width if fmt == 'icdar2015' or rng.random() < 0.8 else \
            int(rng.integers(3, 16))
        coords = rng.integers(-50, 1500, 2 * num).astype(object)
        if rng.random() < 0.2:
            coords[rng.integers(0, len(coords))] = f'{rng.uniform(0, 99):.3f}'
        line = ','.join(str(v) for v in coords)
        if gt:
            label = rng.choice([
                'word', '###', '#', '"###"', 'Hello, world', '2016', '#1',
                ' ### ', '', 'CARE', '"quoted, text"', 'é###', '24HR'
            ])
            line += ',' + label
        elif rng.random() < 0.7:
            line += f',{rng.uniform():.4f}'
        lines.append(line)
        if rng.random() < 0.05:
            lines.append(rng.choice(['', '   ', '1,2,3', 'x,y', '1e3,2']))
    return lines_to_bytes(lines, rng.choice(['\n', '\r\n']),
                          rng.random() < 0.2,
                          rng.random() < 0.8)


def same_result(fast, careful):
    (polys, extra), (ref_polys, ref_extra) = fast, careful
    assert len(polys) == len(ref_polys)
    for p, q in zip(polys, ref_polys):
        np.testing.assert_array_equal(np.asarray(p), np.asarray(q))
    if ref_extra is None or extra is None:
        assert extra is None and ref_extra is None
    else:
        np.testing.assert_array_equal(extra, ref_extra)
        assert extra.dtype == ref_extra.dtype


@pytest.mark.parametrize('fmt, gt', list(CAREFUL))
def test_bulk_equals_careful_parser(fmt, gt):
    rng = np.random.default_rng(len(fmt) * 2 + gt)
    raws = [random_file(rng, fmt, gt) for _ in range(400)]
    raws += [b'\xff\xfe not utf-8', b'1,2,3,4,5,6,7,8,caf\xc3\r\xa9\n']
    careful = getattr(core_module('parsers'), CAREFUL[(fmt, gt)])
    out = core_module('bulk_parsers').parse_bulk(raws, fmt, gt)
    declined = 0
    for raw, fast in zip(raws, out):
        try:
            ref = careful(raw.decode('utf-8-sig'), 'f.txt')
        except (ValueError, UnicodeDecodeError):  # EvalInputError too
            assert fast is None
            continue
        if fast is None:
            declined += 1
        else:
            same_result(fast, ref)
    assert declined < 0.6 * len(raws)  # commas in polygon labels, etc.


def test_clean_files_take_the_fast_path():
    bulk = core_module('bulk_parsers')
    gt = lines_to_bytes(
        ['1,2,3,4,5,6,7,8,Hello, world', '1,2,3,4,5,6,7,8,###'],
        '\r\n',
        bom=True)
    det = lines_to_bytes(['1,2,3,4,5,6,7,8', '1,2,3,4,5,6,7,8,0.5'])
    polys = lines_to_bytes(['0,0,10,0,10,10,0,10,2016', '0,0,1,0,1,1,#'])
    assert all(r is not None for r in bulk.parse_bulk([gt], 'icdar2015', True))
    assert bulk.parse_bulk([det], 'icdar2015', False)[0][1].tolist()[1] == 0.5
    out = bulk.parse_bulk([polys, b''], 'polygon', True)
    assert [len(p) for p, _ in out] == [2, 0]
    assert out[0][1].tolist() == [False, True]


def test_error_in_one_of_many_files_names_file_and_line(tmp_path):
    good = [f'{x},0,{x + 9},0,{x + 9},9,{x},9,w' for x in range(0, 90, 10)]
    files = {f'gt_img_{i}.txt': good for i in range(1, 60)}
    files['gt_img_33.txt'] = good[:2] + ['1,2,3,4,5,6,7,x,w'] + good[2:]
    gt = write_files(tmp_path / 'gt', files)
    det = write_files(tmp_path / 'det', {'res_img_1.txt': []})
    with pytest.raises(
            core().EvalInputError,
            match=r'gt_img_33\.txt, line 3: .x. is not a number'):
        core().evaluate_files(gt, det, 'icdar2015')


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
        (zipfile.ZIP_DEFLATED, b'#!/bin/sh\nexit 0\n', b''),  # zipfile's path
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
    files = core_module('sources').read_files(str(path), ('.txt', ))
    assert files == {
        f'{path}:sub/gt_img_1.txt': b'1,2',
        f'{path}:gt_img_2.txt': 'é'.encode()
    }


def test_zip_reader_errors(tmp_path):
    sources = core_module('sources')
    path = tmp_path / 'dup.zip'
    path.write_bytes(zip_bytes({'a/x.txt': b'1', 'b/x.txt': b'2'}))
    with pytest.raises(core().EvalInputError, match='duplicate file name'):
        sources.read_files(str(path), ('.txt', ))
    path = tmp_path / 'bad.zip'
    blob = bytearray(zip_bytes({'x.txt': b'12345' * 20}, zipfile.ZIP_STORED))
    blob[40] ^= 1  # corrupt the content: zipfile's CRC error
    path.write_bytes(bytes(blob))
    with pytest.raises(zipfile.BadZipFile):
        sources.read_files(str(path), ('.txt', ))
    path = tmp_path / 'not.zip'
    path.write_bytes(b'plain text')
    with pytest.raises(core().EvalInputError, match='neither a directory'):
        sources.read_files(str(path), ('.txt', ))
