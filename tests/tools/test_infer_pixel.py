# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/infer.py --pixel --task ...``: UPOCR on images without ground
truth (the tiny random toy model), and text removal restricted to a detector's
polygons (``--erase-in-det``)."""
import importlib.util
import json
import os
import os.path as osp

import numpy as np
import pytest
import torch
from PIL import Image

from mmocr_ext.apis import polygons_mask
from conftest import REPO, TOY_CFG

SCRIPT = osp.join(REPO, 'tools', 'infer.py')
# The tiny random UPOCR of the suite (spec-upocr.md section 8 sizes,
# 128 x 128 inputs).
PIXEL_TOY = osp.join(REPO, 'configs', 'pixel', 'upocr',
                     'upocr_swinv2-tiny_toy.py')
# The toy DBNet of the suite at a small test scale (fast on CPU).
DET_SMALL = f'''_base_ = [{TOY_CFG!r}]
test_dataloader = dict(dataset=dict(pipeline=[
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(128, 128), keep_ratio=True),
    dict(type='PackTextDetInputs',
         meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))]))
'''
TASKS = ('text_removal', 'text_segmentation', 'tamper_detection')
RNG = np.random.default_rng(1)
IMGS = {
    'wide': RNG.integers(0, 256, (48, 80, 3), dtype=np.uint8),
    'tall': RNG.integers(0, 256, (70, 36, 3), dtype=np.uint8)
}


def load_script():
    """Import the script as a module (its ``main`` takes an argv list)."""
    spec = importlib.util.spec_from_file_location('infer_pixel_tool', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    """The toy config, a checkpoint of it, a folder of images (no ground
    truth)."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS
    tmp = tmp_path_factory.mktemp('infer_pixel')
    config = PIXEL_TOY
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(Config.fromfile(config).model)
    ckpt = str(tmp / 'upocr_tiny.pth')
    torch.save({'state_dict': model.state_dict()}, ckpt)
    folder = tmp / 'imgs'
    folder.mkdir()
    for name, img in IMGS.items():
        Image.fromarray(img).save(folder / f'{name}.png')
    return dict(config=config, ckpt=ckpt, folder=str(folder))


def test_three_tasks_without_ground_truth(files, tmp_path, capsys):
    tool = load_script()
    broken = tmp_path / 'in' / 'broken.jpg'
    broken.parent.mkdir()
    broken.write_bytes(b'\xff\xd8 truncated')
    out = tmp_path / 'out'
    for task in TASKS:
        tool.main([
            files['folder'],
            str(broken), '--pixel', files['config'], '--task', task,
            '--out-dir',
            str(out), '--device', 'cpu', '--batch-size', '2'
        ])
        captured = capsys.readouterr()
        assert f'skipped {broken}' in captured.err
        summary = captured.out.strip().splitlines()[-1]
        assert summary.startswith('3 images: 2 written, 1 skipped')
        assert 'WARNING: random weights' in summary
        for name, img in IMGS.items():
            h, w = img.shape[:2]
            result = Image.open(out / 'preds' / f'{name}_{task}.png')
            assert result.size == (w, h)
            values = set(np.unique(np.asarray(result)))
            if task == 'text_removal':
                assert result.mode == 'RGB'
            elif task == 'text_segmentation':
                assert result.mode == 'L' and values <= {0, 255}
            else:
                assert result.mode == 'P' and values <= {0, 1, 2}
            panel = np.asarray(Image.open(out / 'vis' / f'{name}_{task}.png'))
            assert panel.shape == (h, 2 * w, 3) and (panel[:, :w] == img).all()
    assert osp.isfile(out / 'WARNING_RANDOM_WEIGHTS.txt')
    assert not [f for f in os.listdir(out / 'preds') if f.endswith('.tmp')]


def test_erase_in_detector_polygons(files, tmp_path, capsys, monkeypatch):
    """--erase-in-det runs the (random, small) toy DBNet of the suite on
    the decoded image; its predictions are replaced by a known box (0.9)
    and a low-scoring triangle (0.2) so that the result is checkable:
    outside the kept, dilated box the input stays byte for byte, inside is
    the plain text-removal output."""
    from mmengine.structures import InstanceData
    from mmocr.apis import TextDetInferencer
    seen = []
    real_call = TextDetInferencer.__call__

    def call(self, inputs, **kwargs):
        seen.extend(inputs)
        result = real_call(self, inputs, **kwargs)
        for sample in result['predictions']:
            assert 'pred_instances' in sample  # the detector really ran
            pred = InstanceData()
            pred.polygons = [
                np.array([10, 5, 30, 5, 30, 20, 10, 20.]),
                np.array([40, 30, 60, 30, 50, 45.])
            ]
            pred.scores = torch.tensor([0.9, 0.2])
            sample.pred_instances = pred
        return result

    monkeypatch.setattr(TextDetInferencer, '__call__', call)
    tool = load_script()
    common = [
        osp.join(files['folder'],
                 'wide.png'), '--pixel', files['config'], '--pixel-weights',
        files['ckpt'], '--task', 'text_removal', '--device', 'cpu', '--no-vis'
    ]
    tool.main(common + ['--out-dir', str(tmp_path / 'plain')])
    det_config = tmp_path / 'dbnet_small.py'
    det_config.write_text(DET_SMALL)
    tool.main(common + [
        '--out-dir',
        str(tmp_path / 'det'), '--erase-in-det',
        str(det_config), '--dilate', '1', '--pred-score-thr', '0.5'
    ])
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert summary.startswith('1 images: 1 written') and 'WARN' not in summary
    img = IMGS['wide']
    assert len(seen) == 1 and (seen[0] == img[..., ::-1]).all()  # BGR
    name = 'wide_text_removal'
    with open(tmp_path / 'det' / 'preds' / f'{name}.json') as f:
        assert json.load(f)['polygons'] == [[10, 5, 30, 5, 30, 20, 10, 20]]
    plain = np.asarray(
        Image.open(tmp_path / 'plain' / 'preds' / f'{name}.png'))
    erased = np.asarray(Image.open(tmp_path / 'det' / 'preds' / f'{name}.png'))
    # the box (rows 5-20, columns 10-30, borders included) dilated by the
    # 3x3 disc: one more pixel on each side, without the four corners
    mask = np.zeros(img.shape[:2], bool)
    mask[4:22, 9:32] = True
    mask[[4, 4, 21, 21], [9, 31, 9, 31]] = False
    assert (mask == polygons_mask(img.shape, [[10, 5, 30, 5, 30, 20, 10, 20]],
                                  1)).all()
    assert (erased[~mask] == img[~mask]).all()
    assert (erased[mask] == plain[mask]).all()
    assert not (plain[mask] == img[mask]).all()


def test_det_weights_name_the_erase_detector_weights():
    tool = load_script()
    base = ['img.jpg', '--pixel', 'c.py', '--task', 'text_removal']
    args = tool.parse_args(
        base + ['--erase-in-det', 'd.py', '--det-weights', 'w.pth'])
    assert args.erase_det_weights == 'w.pth' and args.det_weights is None
    for extra in (['--det-weights', 'w.pth'], [
            '--erase-in-det', 'd.py', '--det-weights', 'w.pth',
            '--erase-det-weights', 'w.pth'
    ]):
        with pytest.raises(SystemExit):
            tool.parse_args(base + extra)


def test_task_choices_are_the_pixel_tasks():
    from mmocr_ext.apis.infer_pixel import PIXEL_TASK_CHOICES
    from mmocr_ext.structures.pixel_ocr_data_sample import PIXEL_TASKS
    assert sorted(PIXEL_TASK_CHOICES) == sorted(PIXEL_TASKS)


@pytest.mark.parametrize('extra, message', [
    (['--pixel', 'c.py', '--task', 'ocr'], "invalid choice: 'ocr'"),
    (['--pixel', 'c.py'], '--pixel needs --task'),
    (['--task', 'text_removal', '--det', 'd.py'], '--task needs --pixel'),
    (['--pixel', 'c.py', '--task', 'text_removal', '--det', 'd.py'
      ], '--pixel does not go with --det'),
    ([
        '--pixel', 'c.py', '--task', 'text_segmentation', '--erase-in-det',
        'd.py'
    ], '--erase-in-det needs --task text_removal'),
    ([
        '--pixel', 'c.py', '--task', 'text_removal', '--erase-det-weights',
        'w.pth'
    ], '--erase-det-weights (--det-weights) needs --erase-in-det'),
])
def test_bad_command_lines(extra, message, capsys):
    tool = load_script()
    with pytest.raises(SystemExit) as exc:
        tool.parse_args(['img.jpg', *extra])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_missing_config_and_task_unknown_to_the_model(files, tmp_path):
    tool = load_script()
    img = osp.join(files['folder'], 'tall.png')
    with pytest.raises(SystemExit, match='nothere.py does not exist'):
        tool.main([
            img, '--pixel',
            str(tmp_path / 'nothere.py'), '--task', 'text_removal'
        ])
    config = tmp_path / 'two_tasks.py'
    config.write_text(f'_base_ = [{files["config"]!r}]\n'
                      "model = dict(task_list=['text_removal', "
                      "'text_segmentation'])\n")
    with pytest.raises(SystemExit) as exc:
        tool.main([
            img, '--pixel',
            str(config), '--task', 'tamper_detection', '--out-dir',
            str(tmp_path), '--device', 'cpu'
        ])
    assert exc.value.code == 2
