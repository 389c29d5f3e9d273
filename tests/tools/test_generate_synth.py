# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/dataset_converters/generate_synth.py``: a run end to end, and
one clear error line (nothing left on disk) for each kind of bad input."""
import importlib.util
import json
import os
import os.path as osp
import subprocess
import sys

import pytest

from conftest import REPO

TOOL = osp.join(REPO, 'tools', 'dataset_converters', 'generate_synth.py')
SMALL = ['--height', '128', '--width', '128', '--num-words', '2', '3']


def _run(*args):
    return subprocess.run([sys.executable, TOOL, *args],
                          cwd=REPO,
                          capture_output=True,
                          text=True)


@pytest.fixture(scope='module')
def tool():
    """The script imported as a module (``cli`` takes an argv list)."""
    spec = importlib.util.spec_from_file_location('generate_synth', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fails(tool, argv, capsys):
    """Run ``cli(argv)`` in-process; the exit message."""
    with pytest.raises(SystemExit) as exc:
        tool.cli(argv)
    out = capsys.readouterr().out
    assert 'images/s' not in out and 'task/s' not in out  # no generation
    message = exc.value.code
    assert isinstance(message, str)
    assert message.startswith('generate_synth: error: ')
    assert '\n' not in message
    return message


def _nothing_left(parent, out):
    assert not osp.lexists(out)
    assert [p for p in os.listdir(parent) if '.partial-' in p] == []


def test_cli_generates(tmp_path):
    out = tmp_path / 'synth'
    proc = _run('--num', '3', '--out', str(out), '--tasks', 'det,spot',
                '--seed', '5', '--img-format', 'jpg', *SMALL)
    assert proc.returncode == 0, proc.stderr
    assert '3 images' in proc.stdout and str(out) in proc.stdout
    with open(out / 'textdet_test.json') as f:
        det = json.load(f)
    assert det['metainfo']['task_name'] == 'textdet'
    assert [d['img_path'] for d in det['data_list']
            ] == [f'textdet_imgs/test/{i:07d}.jpg' for i in range(3)]
    assert sorted(os.listdir(out)) == [
        'textdet_imgs', 'textdet_test.json', 'textspotting_test.json'
    ]
    _nothing_left(tmp_path, tmp_path / 'missing')


def test_cli_bad_num_exits_nonzero(tmp_path):
    out = tmp_path / 'synth'
    proc = _run('--num', '0', '--out', str(out))
    assert proc.returncode != 0
    assert 'generate_synth: error:' in proc.stderr and '--num' in proc.stderr
    assert 'Traceback' not in proc.stderr
    _nothing_left(tmp_path, out)


def test_cli_bad_inputs(tool, tmp_path, capsys):
    out = str(tmp_path / 'synth')
    base = ['--num', '2', '--out', out, *SMALL]

    msg = _fails(tool, base + ['--tasks', 'det,ocr'], capsys)
    assert "'ocr'" in msg
    _nothing_left(tmp_path, out)

    fonts = tmp_path / 'fonts'
    fonts.mkdir()
    (fonts / 'broken.ttf').write_bytes(b'not a font at all')
    msg = _fails(tool, base + ['--font-dir', str(fonts)], capsys)
    assert str((fonts / 'broken.ttf').resolve()) in msg
    _nothing_left(tmp_path, out)

    lexicon = tmp_path / 'words.txt'
    lexicon.write_text('\n  \n')
    msg = _fails(tool, base + ['--lexicon', str(lexicon)], capsys)
    assert str(lexicon) in msg
    _nothing_left(tmp_path, out)

    bgs = tmp_path / 'bgs'
    bgs.mkdir()
    (bgs / 'broken.jpg').write_bytes(b'\xff\xd8 not a jpeg')
    msg = _fails(tool, base + ['--bg-dir', str(bgs)], capsys)
    assert str((bgs / 'broken.jpg').resolve()) in msg
    _nothing_left(tmp_path, out)

    msg = _fails(tool, base + ['--tasks', 'pixel', '--tamper-words', '0'],
                 capsys)
    assert '--tamper-words' in msg
    _nothing_left(tmp_path, out)


def test_cli_existing_out_untouched(tool, tmp_path, capsys):
    out = tmp_path / 'synth'
    out.mkdir()
    (out / 'keep.txt').write_text('old data')
    msg = _fails(tool, ['--num', '2', '--out', str(out), *SMALL], capsys)
    assert 'FileExistsError' not in msg and str(out) in msg
    assert os.listdir(out) == ['keep.txt']
    assert (out / 'keep.txt').read_text() == 'old data'
    assert [p for p in os.listdir(tmp_path) if '.partial-' in p] == []


def test_renderer_config_settings_are_used(tmp_path):
    """--renderer-config renders what the config trains on; options win."""
    cfg = osp.join(REPO, 'configs', 'textdet', 'tcm',
                   'tcm_clip-r50-slim_fpnc_synth.py')
    out = tmp_path / 'held_out'
    proc = _run('--renderer-config', cfg, '--num', '2', '--seed', '2',
                '--width', '160', '--out', str(out))
    assert proc.returncode == 0, proc.stderr
    data = json.loads((out / 'textdet_test.json').read_text())['data_list']
    assert [(d['height'], d['width']) for d in data] == [(320, 160)] * 2
    bad = _run(
        '--renderer-config',
        osp.join(REPO, 'configs', 'textdet', 'dbnet',
                 'dbnet_resnet18_fpnc_toy.py'), '--num', '1', '--out',
        str(tmp_path / 'x'))
    assert bad.returncode == 1
    assert 'not SynthRenderDataset' in bad.stderr
    assert not (tmp_path / 'x').exists()
