# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/infer.py``: mmocr's inferencer CLI; drawn images + JSON out."""
import importlib.util
import json
import os
import os.path as osp

import pytest

from conftest import REPO, TOY_CFG, TOY_TEST_IMGS, infer_and_check, run

SCRIPT = osp.join(REPO, 'tools', 'infer.py')


def load_script():
    """Import the script as a module (its ``main`` takes an argv list)."""
    spec = importlib.util.spec_from_file_location('infer_tool', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_infer_folder_and_files(dist_trained, tmp_path):
    infer_and_check(TOY_CFG, dist_trained['checkpoint'], str(tmp_path / 'out'))
    # A single file with mmocr's option names; mmocr's --save_* flags are
    # accepted (both outputs are always written).
    one = osp.join(TOY_TEST_IMGS, sorted(os.listdir(TOY_TEST_IMGS))[0])
    run([
        'python', 'tools/infer.py', one, '--det', TOY_CFG, '--det-weights',
        dist_trained['checkpoint'], '--out-dir',
        str(tmp_path / 'one'), '--device', 'cpu', '--batch-size', '2',
        '--save_pred', '--save_vis'
    ])
    stem = osp.splitext(osp.basename(one))[0]
    assert os.listdir(tmp_path / 'one' / 'preds') == [f'{stem}.json']
    assert os.listdir(tmp_path / 'one' / 'vis') == [f'{stem}.jpg']
    with open(tmp_path / 'one' / 'preds' / f'{stem}.json') as f:
        pred = json.load(f)
    assert set(pred) == {'polygons', 'scores'}


def test_command_line_follows_mmocr(capsys):
    tool = load_script()
    args = tool.parse_args([
        'a.jpg', 'imgs/', '--det', 'det.py', '--det-weights', 'det.pth',
        '--rec', 'SAR', '--rec-weights', 'rec.pth', '--device', 'cpu',
        '--batch-size', '4', '--out-dir', 'out', '--pred-score-thr', '0.5'
    ])
    init_args, call_args = tool.split_args(args)
    assert init_args == dict(
        det='det.py',
        det_weights='det.pth',
        rec='SAR',
        rec_weights='rec.pth',
        kie=None,
        kie_weights=None,
        device='cpu')
    assert call_args == dict(
        batch_size=4,
        out_dir='out',
        save_vis=True,
        save_pred=True,
        show=False,
        print_result=False,
        pred_score_thr=0.5)
    assert tool.parse_args(['a.jpg', '--det', 'x.py']).out_dir == 'results/'

    for bad, message in (
        (['a.jpg'], 'give a model'),
        (['a.jpg', '--config', 'a.py', '--checkpoint',
          'a.pth'], 'unrecognized arguments: --config'),
        (['a.jpg', '--det', 'a.py', '--kie', 'SDMGR'], '--kie needs'),
        (['a.jpg', '--det', 'a.py', '--batch-size', '0'], 'at least 1'),
    ):
        with pytest.raises(SystemExit):
            tool.parse_args(bad)
        assert message in capsys.readouterr().err

    with pytest.raises(SystemExit):
        tool.parse_args(['--help'])
    help_text = ' '.join(capsys.readouterr().out.split())
    assert 'mmocr_ext tasks: text detection (--det: TCM, FastTCM)' in (
        help_text)
    assert '--rec and --kie use mmocr models' in help_text


def test_missing_files_fail_early(tmp_path):
    tool = load_script()
    cfg = tmp_path / 'det.py'
    cfg.write_text('')
    for argv, missing in (
        (['--det', str(tmp_path / 'no.py')], 'no.py'),
        (['--det',
          str(cfg), '--det-weights',
          str(tmp_path / 'no.pth')], 'no.pth'),
        (['--det', str(cfg), '--rec',
          str(tmp_path / 'r' / 'rec.py')], 'rec.py'),
    ):
        with pytest.raises(SystemExit, match=missing):
            tool.check_model_files(tool.parse_args(['a.jpg', *argv]))
    with pytest.raises(SystemExit, match='--rec-weights given without'):
        tool.check_model_files(
            tool.parse_args(
                ['a.jpg', '--det',
                 str(cfg), '--rec-weights', 'x.pth']))
    # Model-zoo names and URLs are left to mmocr / mmengine.
    tool.check_model_files(
        tool.parse_args([
            'a.jpg', '--det', 'DBNet', '--rec', 'CRNN', '--rec-weights',
            'https://example.org/crnn.pth'
        ]))
    with pytest.raises(FileNotFoundError, match='nothing.jpg'):
        tool.collect_images([str(tmp_path / 'nothing.jpg')])
    with pytest.raises(ValueError, match='no images'):
        tool.collect_images([str(tmp_path)])


class _FakeInferencer:
    """Records how ``tools/infer.py`` builds and calls mmocr's inferencer."""
    calls = []

    def __init__(self, *args, **kwargs):
        self.calls.append(('init', type(self).__name__, args, kwargs))

    def __call__(self, inputs, **kwargs):
        self.calls.append(('call', type(self).__name__, inputs, kwargs))


class MMOCRInferencer(_FakeInferencer):
    pass


class TextDetInferencer(_FakeInferencer):
    pass


def test_rec_goes_to_mmocr_inferencer(monkeypatch, tmp_path):
    import mmocr.apis
    tool = load_script()
    monkeypatch.setattr(mmocr.apis, 'MMOCRInferencer', MMOCRInferencer)
    monkeypatch.setattr(mmocr.apis, 'TextDetInferencer', TextDetInferencer)
    _FakeInferencer.calls.clear()
    images = sorted(
        osp.join(TOY_TEST_IMGS, n) for n in os.listdir(TOY_TEST_IMGS))
    out = str(tmp_path / 'out')
    tool.main([
        TOY_TEST_IMGS, '--det', TOY_CFG, '--rec', 'CRNN', '--out-dir', out,
        '--batch-size', '2'
    ])
    (_, name, _, init), (_, _, inputs, call) = _FakeInferencer.calls
    assert name == 'MMOCRInferencer'
    assert init == dict(
        det=TOY_CFG,
        det_weights=None,
        rec='CRNN',
        rec_weights=None,
        kie=None,
        kie_weights=None,
        device=None)
    assert inputs == images
    assert call['out_dir'] == out and call['batch_size'] == 2
    assert call['save_vis'] and call['save_pred']

    # Detection alone: the TextDetInferencer (JSON keys polygons/scores).
    _FakeInferencer.calls.clear()
    tool.main([images[0], '--det', TOY_CFG, '--out-dir', out])
    (_, name, _, init), (_, _, inputs, _) = _FakeInferencer.calls
    assert name == 'TextDetInferencer'
    assert init == dict(model=TOY_CFG, weights=None, device=None)
    assert inputs == images[:1]
