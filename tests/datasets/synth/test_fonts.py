# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""FontPool: bundled fonts, exact coverage, errors, determinism, pickling."""
import logging
import pickle
import shutil

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import ImageFont

from mmocr_ext.datasets.synth import fonts as fonts_module
from mmocr_ext.datasets.synth.fonts import FontPool, bundled_font_dir

CJK = '\u4e2d'


@pytest.fixture(scope='module')
def pool():
    return FontPool()


def _index(pool, name):
    return [p.rsplit('/', 1)[-1] for p in pool.fonts].index(name)


def test_bundled_pool(pool):
    names = [p.rsplit('/', 1)[-1] for p in pool.fonts]
    assert len(pool) == len(names) > 10
    assert 'DejaVuSans.ttf' in names
    assert not any(n.startswith('LastResortHE') for n in names)
    assert 'cmex10.ttf' not in names  # symbol font: ASCII -> delimiters
    assert not any(n.startswith('STIXSiz') for n in names)
    assert pool.fonts == sorted(pool.fonts)
    assert all(p.startswith('/') for p in pool.fonts)


def test_covers(pool):
    i = _index(pool, 'DejaVuSans.ttf')
    assert pool.covers(i, 'Hello42')
    with TTFont(pool.fonts[i], lazy=True) as font:
        assert ord(CJK) not in font.getBestCmap()  # really lacks it
    assert not pool.covers(i, CJK)
    assert not pool.covers(i, 'ab' + CJK)
    with pytest.raises(ValueError):
        pool.covers(i, '')


def test_choose(pool):
    assert pool.choose(np.random.default_rng(0), CJK) is None
    picks = [pool.choose(np.random.default_rng(s), 'Hello') for s in range(40)]
    again = [pool.choose(np.random.default_rng(s), 'Hello') for s in range(40)]
    assert picks == again
    assert len(set(picks)) > 5
    assert all(pool.covers(i, 'Hello') for i in picks)


def test_get_cached(pool):
    font = pool.get(0, 24)
    assert isinstance(font, ImageFont.FreeTypeFont)
    assert pool.get(0, 24) is font
    assert pool.get(0, 25) is not font


def test_pickle(pool):
    pool.get(0, 20)
    clone = pickle.loads(pickle.dumps(pool))
    assert clone.fonts == pool.fonts
    assert clone.covers(_index(clone, 'DejaVuSans.ttf'), 'Hello42')
    assert clone.get(1, 20).getbbox('Hi')[2] > 0


def test_font_dir_only(tmp_path):
    shutil.copy(bundled_font_dir() / 'DejaVuSans.ttf', tmp_path / 'a.ttf')
    pool = FontPool([str(tmp_path)], use_bundled=False)
    assert pool.fonts == [str((tmp_path / 'a.ttf').resolve())]
    assert pool.choose(np.random.default_rng(0), 'Hello') == 0


def test_font_dir_symbol_font_excluded(tmp_path):
    shutil.copy(bundled_font_dir() / 'cmex10.ttf', tmp_path / 'sym.ttf')
    with pytest.raises(ValueError, match='no usable font'):
        FontPool([str(tmp_path)], use_bundled=False)


def test_unusable_font_of_the_user_is_warned_with_its_path(
        tmp_path, monkeypatch):
    logged = []
    monkeypatch.setattr(fonts_module, 'print_log',
                        lambda msg, logger, level: logged.append((level, msg)))
    shutil.copy(bundled_font_dir() / 'cmex10.ttf', tmp_path / 'sym.ttf')
    pool = FontPool([str(tmp_path)])
    assert str(tmp_path / 'sym.ttf') not in pool.fonts
    warned = [msg for level, msg in logged if level == logging.WARNING]
    assert len(warned) == 1 and str(tmp_path / 'sym.ttf') in warned[0]
    # matplotlib's own symbol fonts are expected: DEBUG, not a warning.
    assert 'cmex10' not in warned[0]
    assert any('cmex10' in msg for level, msg in logged
               if level == logging.DEBUG)


def test_bad_font(tmp_path):
    bad = tmp_path / 'sub' / 'bad.ttf'
    bad.parent.mkdir()
    bad.write_bytes(np.random.default_rng(0).bytes(2000))
    with pytest.raises(ValueError, match='cannot read font') as err:
        FontPool([str(tmp_path)], use_bundled=False)
    assert str(bad) in str(err.value)


def test_missing_dir(tmp_path):
    missing = str(tmp_path / 'nope')
    with pytest.raises(FileNotFoundError, match=missing):
        FontPool([missing])


def test_no_font(tmp_path):
    with pytest.raises(ValueError, match='no usable font'):
        FontPool([str(tmp_path)], use_bundled=False)
