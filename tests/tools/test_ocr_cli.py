# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""tools/ocr.py: presets, refusals, the spotter path end to end."""
import glob
import importlib.util
import json
import os.path as osp

import cv2
import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
IMGS = sorted(
    glob.glob(
        osp.join(REPO, 'data', 'icdar2015_toy', 'textdet_imgs', 'test',
                 '*.jpg')))


def _tool():
    spec = importlib.util.spec_from_file_location(
        'ocr_tool', osp.join(REPO, 'tools', 'ocr.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_list_shows_every_preset_with_its_config_and_weights(capsys):
    from mmocr_ext.apis.ocr_presets import PRESETS
    _tool().main(['--list', '--weights-dir', 'no_such_dir'])
    out = capsys.readouterr().out
    for name, preset in PRESETS.items():
        assert f'  {name} ' in out
        assert preset.config in out
        assert osp.isfile(osp.join(REPO, preset.config)), preset.config
    assert 'tcm-toy' in out and 'RANDOM weights' in out


@pytest.mark.parametrize('argv, message', [
    (['--det', 'e2str', '--rec', 'e2str'], 'is a rec preset, not a det one'),
    (['--det', 'nope', '--rec', 'e2str'], 'neither a preset'),
    ([
        '--det', 'tcm-toy', '--rec', 'e2str-toy', '--instruction',
        'what is the price?'
    ], 'not one of the InstructOCR templates'),
    (['--spotter', 'instructocr-toy', '--erase', 'upocr-toy'
      ], 'point spotter gives points only'),
    (['--spotter', 'BERTLESS'], 'instruction encoder needs its weights'),
])
def test_bad_choices_exit_2_with_one_line(argv, message, tmp_path, capsys):
    if 'BERTLESS' in argv:  # an InstructOCR whose BERT folder is missing
        from mmocr_ext.apis.ocr_presets import PRESETS
        cfg = tmp_path / 'bertless.py'
        cfg.write_text(
            f"_base_ = [{osp.join(REPO, PRESETS['instructocr-toy'].config)!r}]"
            "\nmodel = dict(encoder=dict(text_encoder=dict("
            f"pretrained={str(tmp_path / 'no_bert')!r})))\n")
        argv = [str(cfg) if a == 'BERTLESS' else a for a in argv]
    with pytest.raises(SystemExit) as exit_info:
        _tool().main([IMGS[0], '--out-dir', str(tmp_path)] + argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err


@pytest.mark.parametrize('argv', [
    ['--det', 'tcm-toy'],
    ['--spotter', 'instructocr-toy', '--det', 'tcm-toy'],
    ['--det', 'tcm-toy', '--rec', 'e2str-toy', '--lexicon', 'x.txt'],
])
def test_incomplete_command_lines_are_refused(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        _tool().parse_args([IMGS[0]] + argv)
    assert exit_info.value.code == 2


def test_spotter_end_to_end_with_a_free_form_instruction(tmp_path, capsys):
    out = tmp_path / 'out'
    gt = tmp_path / 'gt.json'
    gt.write_text(
        json.dumps(
            dict(
                metainfo={},
                data_list=[
                    dict(
                        img_path='img_10.jpg',
                        instances=[
                            dict(
                                polygon=[0, 0, 50, 0, 50, 20, 0, 20],
                                text='ten')
                        ])
                ])))
    _tool().main([
        IMGS[0], '--spotter', 'instructocr-toy', '--instruction',
        'what is the price?', '--out-dir',
        str(out), '--device', 'cpu', '--eval-gt',
        str(gt)
    ])
    with open(out / 'e2e_metrics.json') as f:
        metrics = json.load(f)
    assert metrics['protocol'] == 'point' and metrics['num_images'] == 1
    assert metrics['images_without_predictions'] == []
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert summary.startswith('1 images: 1 written')
    assert 'RANDOM WEIGHTS for spotter' in summary
    with open(out / 'preds' / 'img_10.json') as f:
        result = json.load(f)
    assert result['pipeline']['spotter'] == 'instructocr-toy'
    assert result['instruction'] == 'what is the price?'
    assert result['counts']['kept'] == len(result['instances'])
    for inst in result['instances']:
        assert inst['polygon'] is None and len(inst['point']) == 2
    drawing = cv2.imread(str(out / 'vis' / 'img_10.jpg'))
    assert drawing.shape[1] == 2 * 1280  # image | texts
