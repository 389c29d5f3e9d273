# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""FontPool include/exclude: fnmatch font selection by file name."""
import shutil

import numpy as np
import pytest

from mmocr_ext.datasets.synth import build_renderer
from mmocr_ext.datasets.synth.fonts import FontPool, bundled_font_dir
from mmocr_ext.datasets.synth.generate import renderer_settings


def _names(pool):
    return [p.rsplit('/', 1)[-1] for p in pool.fonts]


def test_default_unchanged():
    pool = FontPool()
    assert pool.fonts == FontPool(include=(), exclude=()).fonts
    assert 'DejaVuSans.ttf' in _names(pool) and 'cmr10.ttf' in _names(pool)


def test_include():
    names = _names(FontPool(include=['DejaVuSans*.ttf']))
    assert names and all(n.startswith('DejaVuSans') for n in names)
    assert 'DejaVuSansMono.ttf' in names  # a pattern, not a family name
    assert _names(FontPool(include='cmr10.ttf')) == ['cmr10.ttf']


def test_include_several_patterns_and_exclude():
    names = _names(
        FontPool(include=['STIX*', 'cm*'], exclude=['cmtt*', '*Ita*']))
    assert names and all(n.startswith(('STIX', 'cm')) for n in names)
    assert 'cmtt10.ttf' not in names
    assert not any('Ita' in n for n in names)
    assert 'STIXGeneral.ttf' in names and 'cmr10.ttf' in names


def test_exclude_only():
    names = _names(FontPool(exclude='DejaVu*'))
    assert names and not any(n.startswith('DejaVu') for n in names)


def test_coverage_check_still_applies():
    # cmex10 maps ASCII to delimiters: selected, then dropped by coverage.
    names = _names(FontPool(include=['cm*']))
    assert 'cmex10.ttf' not in names and 'cmr10.ttf' in names
    with pytest.raises(ValueError, match='no usable font') as err:
        FontPool(include=['cmex10.ttf'])
    assert 'cmex10.ttf' in str(err.value)


def test_font_dirs_selected_too(tmp_path):
    for name in ('a.ttf', 'b.ttf'):
        shutil.copy(bundled_font_dir() / 'DejaVuSans.ttf', tmp_path / name)
    pool = FontPool([str(tmp_path)], use_bundled=False, include='b*')
    assert pool.fonts == [str((tmp_path / 'b.ttf').resolve())]


@pytest.mark.parametrize('kwargs', [
    dict(include=['Arial*.ttf']),
    dict(include=['DejaVu*'], exclude=['*.ttf']),
])
def test_nothing_matches_names_the_patterns(kwargs):
    with pytest.raises(ValueError, match='no font file name matches') as err:
        FontPool(**kwargs)
    for pattern in kwargs.get('include', []) + kwargs.get('exclude', []):
        assert pattern in str(err.value)


def test_empty_pattern():
    with pytest.raises(ValueError, match='empty pattern'):
        FontPool(include=[''])


def test_build_renderer_passes_selection():
    cfg = renderer_settings(['rec'],
                            dict(
                                height=96,
                                width=192,
                                num_words=(2, 2),
                                fonts=dict(include=['STIXGeneral*.ttf']),
                                lexicon=dict(
                                    words=['hello', 'world'], number_prob=0.)))
    renderer = build_renderer(**cfg)
    assert _names(renderer.fonts) == [
        'STIXGeneral.ttf', 'STIXGeneralBol.ttf', 'STIXGeneralBolIta.ttf',
        'STIXGeneralItalic.ttf'
    ]
    sample = renderer.render(0, 0)
    assert sample.words
    for word in sample.words:
        assert word.font.rsplit('/', 1)[-1].startswith('STIXGeneral')
        assert word.crop is not None
    again = renderer.render(0, 0)
    assert np.array_equal(sample.image, again.image)


def _tool():
    import importlib.util
    import os.path as osp
    repo = osp.dirname(osp.dirname(osp.dirname(osp.dirname(__file__))))
    path = osp.join(repo, 'tools', 'dataset_converters', 'generate_synth.py')
    spec = importlib.util.spec_from_file_location('generate_synth', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generate_synth_cli_flags(tmp_path, capsys):
    tool = _tool()
    args = tool.parse_args([
        '--num', '1', '--out', 'x', '--font-include', 'STIX*',
        '--font-include', 'cm*', '--font-exclude', 'cmtt*'
    ])
    cfg = tool.renderer_cfg(args)
    assert cfg['fonts'] == dict(include=['STIX*', 'cm*'], exclude=['cmtt*'])
    out = tmp_path / 'synth'
    with pytest.raises(SystemExit) as exc:
        tool.cli([
            '--num', '1', '--out',
            str(out), '--height', '64', '--width', '64', '--font-include',
            'NoSuchFont*'
        ])
    assert 'NoSuchFont*' in str(exc.value.code)
    assert not out.exists()
