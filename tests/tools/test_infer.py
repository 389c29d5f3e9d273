# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/infer.py``: mmocr's inferencer CLI; drawn images + JSON out."""
import importlib.util
import json
import os
import os.path as osp

import cv2
import numpy as np
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
        pred_score_thr=0.5,
        max_vis_size=2048)
    args = tool.parse_args(['a.jpg', '--det', 'x.py'])
    assert args.out_dir == 'results/' and not args.no_vis
    _, call_args = tool.split_args(
        tool.parse_args(
            ['a.jpg', '--det', 'x.py', '--no-vis', '--max-vis-size', '0']))
    assert not call_args['save_vis'] and call_args['max_vis_size'] == 0

    for bad, message in (
        (['a.jpg'], 'give a model'),
        (['a.jpg', '--config', 'a.py', '--checkpoint',
          'a.pth'], 'unrecognized arguments: --config'),
        (['a.jpg', '--det', 'a.py', '--kie', 'SDMGR'], '--kie needs'),
        (['a.jpg', '--det', 'a.py', '--batch-size', '0'], 'at least 1'),
        (['a.jpg', '--det', 'a.py', '--max-vis-size', '-1'], '0 (full size)'),
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
    """Records how ``tools/infer.py`` builds mmocr's inferencer."""
    calls = []

    def __init__(self, *args, **kwargs):
        self.calls.append(('init', type(self).__name__, args, kwargs))


class MMOCRInferencer(_FakeInferencer):
    pass


class TextDetInferencer(_FakeInferencer):
    pass


def test_rec_goes_to_mmocr_inferencer(monkeypatch, tmp_path):
    import mmocr.apis
    tool = load_script()
    monkeypatch.setattr(mmocr.apis, 'MMOCRInferencer', MMOCRInferencer)
    monkeypatch.setattr(mmocr.apis, 'TextDetInferencer', TextDetInferencer)
    ran = []
    monkeypatch.setattr(
        tool, 'infer_images', lambda inferencer, images, call_args:
        (ran.append((type(inferencer).__name__, images, call_args)) or
         (len(images), [])))
    _FakeInferencer.calls.clear()
    images = sorted(
        osp.join(TOY_TEST_IMGS, n) for n in os.listdir(TOY_TEST_IMGS))
    out = str(tmp_path / 'out')
    tool.main([
        TOY_TEST_IMGS, '--det', TOY_CFG, '--rec', 'CRNN', '--out-dir', out,
        '--batch-size', '2'
    ])
    (_, name, _, init), = _FakeInferencer.calls
    assert name == 'MMOCRInferencer'
    assert init == dict(
        det=TOY_CFG,
        det_weights=None,
        rec='CRNN',
        rec_weights=None,
        kie=None,
        kie_weights=None,
        device=None)
    (name, inputs, call), = ran
    assert name == 'MMOCRInferencer' and inputs == images
    assert call['out_dir'] == out and call['batch_size'] == 2
    assert call['save_vis'] and call['save_pred']

    # Detection alone: the TextDetInferencer (JSON keys polygons/scores).
    _FakeInferencer.calls.clear()
    tool.main([images[0], '--det', TOY_CFG, '--out-dir', out])
    (_, name, _, init), = _FakeInferencer.calls
    assert name == 'TextDetInferencer'
    assert init == dict(model=TOY_CFG, weights=None, device=None)
    assert ran[-1][1] == images[:1]


# Robustness (issue 9): the DBNet toy config with random weights and a
# small test resize (mmocr's 1333x736 costs seconds per image on a shared
# 2-core VM), images made in tmp_path, the script run in this process.


@pytest.fixture(scope='module')
def random_ckpt(tmp_path_factory):
    """Config and randomly initialised checkpoint: the DBNet toy model."""
    import torch
    from mmengine.config import Config
    from mmocr.registry import MODELS
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(TOY_CFG).model)
    tmp = tmp_path_factory.mktemp('ckpt')
    path = str(tmp / 'random.pth')
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    cfg = tmp / 'dbnet_toy_small.py'
    cfg.write_text(
        f'_base_ = [{TOY_CFG!r}]\n'
        'test_dataloader = dict(dataset=dict(pipeline=[\n'
        "    dict(type='LoadImageFromFile',\n"
        "         color_type='color_ignore_orientation'),\n"
        "    dict(type='Resize', scale=(320, 160), keep_ratio=True),\n"
        "    dict(type='PackTextDetInputs',\n"
        "         meta_keys=('img_path', 'ori_shape', 'img_shape',\n"
        "                    'scale_factor'))]))\n")
    return str(cfg), path


def _image(height, width, seed=0):
    """A small BGR image: light background, dark bars (text-like)."""
    rng = np.random.RandomState(seed)
    img = np.full((height, width, 3), 220, np.uint8)
    for _ in range(3):
        y, x = rng.randint(0, height - 8), rng.randint(0, width - 20)
        img[y:y + 6, x:x + 18] = 30
    return img


def _infer(tool, model, inputs, out, *extra):
    cfg, ckpt = model
    tool.main([
        *inputs, '--det', cfg, '--det-weights', ckpt, '--out-dir',
        str(out), '--device', 'cpu', *extra
    ])


def _json(path):
    with open(path) as f:
        return json.load(f)


def test_output_names_unique():
    tool = load_script()
    assert tool.output_names(['d/a.jpg', 'd/b.png']) == ['a', 'b']
    # Same name without extension: both keep their extension.
    assert tool.output_names(['d/a.jpg', 'd/a.png',
                              'd/b.jpg']) == ['a.jpg', 'a.png', 'b']
    # The same file name in two folders (or differing in case only).
    assert tool.output_names(['x/a.jpg', 'y/a.jpg',
                              'z/A.JPG']) == ['a.jpg', 'a.jpg-2', 'A.JPG-3']
    # A name without extension keeps priority over a kept extension.
    assert tool.output_names(['a.jpg', 'a.png',
                              'a.jpg.png']) == ['a.jpg-2', 'a.png', 'a.jpg']


def test_bad_files_skipped_names_unique(random_ckpt, tmp_path, capsys):
    tool = load_script()
    imgs = tmp_path / 'imgs'
    imgs.mkdir()
    cv2.imwrite(str(imgs / 'a.jpg'), _image(60, 90, 0))
    cv2.imwrite(str(imgs / 'a.png'), _image(60, 90, 1))
    cv2.imwrite(str(imgs / 'b.jpg'), _image(60, 90, 2))
    (imgs / 'text.jpg').write_text('not an image\n')
    (imgs / 'zero.jpg').write_bytes(b'')
    data = cv2.imencode('.jpg', _image(60, 90, 3))[1].tobytes()
    (imgs / 'cut.jpg').write_bytes(data[:len(data) // 2])
    out = tmp_path / 'out'
    _infer(tool, random_ckpt, [str(imgs)], out, '--batch-size', '2')
    captured = capsys.readouterr()
    assert sorted(os.listdir(
        out / 'preds')) == ['a.jpg.json', 'a.png.json', 'b.json']
    assert sorted(os.listdir(out /
                             'vis')) == ['a.jpg.jpg', 'a.png.jpg', 'b.jpg']
    bad = [str(imgs / n) for n in ('cut.jpg', 'text.jpg', 'zero.jpg')]
    assert f'6 images: 3 written, 3 skipped: {", ".join(bad)}' in (
        captured.out)
    assert f'skipped {bad[0]}: cannot be decoded' in captured.err
    assert f'skipped {bad[1]}: cannot be decoded' in captured.err
    assert f'skipped {bad[2]}: empty file' in captured.err
    # Every image failed: exit status 1, after the same summary.
    with pytest.raises(SystemExit) as exc:
        _infer(tool, random_ckpt, bad, tmp_path / 'none')
    assert exc.value.code == 1
    assert '3 images: 0 written, 3 skipped' in capsys.readouterr().out


def test_no_images_plain_message(tmp_path):
    (tmp_path / 'empty').mkdir()
    (tmp_path / 'empty' / 'notes.txt').write_text('')
    for missing in ('empty', 'nothing.jpg'):
        proc = run([
            'python', 'tools/infer.py',
            str(tmp_path / missing), '--det', TOY_CFG
        ],
                   check=False)
        assert proc.returncode == 2
        assert proc.stdout.count('\n') == 1 and 'Traceback' not in proc.stdout
        assert proc.stdout.startswith('error: no images' if missing ==
                                      'empty' else 'error: input ')


def test_drawings_bounded_predictions_not(random_ckpt, tmp_path):
    # (Full-size drawings: the EXIF test, below the 2048 px default.)
    tool = load_script()
    cv2.imwrite(str(tmp_path / 'wide.png'), _image(120, 300))
    img = [str(tmp_path / 'wide.png')]
    _infer(tool, random_ckpt, img, tmp_path / 'small', '--max-vis-size', '64')
    _infer(tool, random_ckpt, img, tmp_path / 'novis', '--no-vis')
    assert cv2.imread(str(tmp_path / 'small' / 'vis' /
                          'wide.jpg')).shape == (26, 64, 3)
    assert not (tmp_path / 'novis' / 'vis').exists()
    # Predictions in original-image coordinates, whatever the drawing.
    small, novis = (
        _json(tmp_path / run_dir / 'preds' / 'wide.json')
        for run_dir in ('small', 'novis'))
    assert small == novis and small['polygons']
    assert max(max(p[0::2]) for p in small['polygons']) > 64


def test_scaled_drawing_geometry():
    import torch
    from mmengine.structures import InstanceData
    from mmocr.structures import TextDetDataSample
    tool = load_script()
    sample = TextDetDataSample()
    sample.pred_instances = InstanceData(
        polygons=[np.array([0., 0., 10., 0., 10., 20.])],
        bboxes=torch.tensor([[0., 0., 10., 20.]]),
        scores=torch.tensor([0.9]))
    half = tool._scaled(sample, 0.5).pred_instances
    assert half.polygons[0].tolist() == [0, 0, 5, 0, 5, 10]
    assert half.bboxes.tolist() == [[0, 0, 5, 10]]
    assert sample.pred_instances.polygons[0][2] == 10  # the JSON's: untouched


def test_exif_orientation_applied_everywhere(random_ckpt, tmp_path,
                                             monkeypatch):
    from PIL import Image
    tool = load_script()
    # Stored 40 high x 80 wide; EXIF orientation 6: shown rotated 90
    # degrees clockwise, i.e. 80 high x 40 wide.
    stored = _image(40, 80)
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(stored[..., ::-1]).save(
        tmp_path / 'photo.jpg', exif=exif, quality=95)
    oriented = tool.load_image(str(tmp_path / 'photo.jpg'))
    assert oriented.shape == (80, 40, 3)
    # The same pixels, oriented and without EXIF (lossless PNG).
    cv2.imwrite(str(tmp_path / 'upright.png'), oriented)

    seen = []
    predict = tool._predict
    monkeypatch.setattr(
        tool, '_predict', lambda inferencer, imgs:
        (seen.extend(i.shape for i in imgs) or predict(inferencer, imgs)))
    _infer(tool, random_ckpt,
           [str(tmp_path / 'photo.jpg'),
            str(tmp_path / 'upright.png')], tmp_path / 'out')
    assert seen == [(80, 40, 3), (80, 40, 3)]  # the model saw it oriented
    assert cv2.imread(str(tmp_path / 'out' / 'vis' / 'photo.jpg')).shape == (
        80, 40, 3)  # so is the drawing
    # and the JSON coordinates are those of the oriented image.
    assert _json(tmp_path / 'out' / 'preds' / 'photo.json') == _json(
        tmp_path / 'out' / 'preds' / 'upright.json')
