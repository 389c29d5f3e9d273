# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/infer.py --spot``: InstructOCR points, texts, instructions."""
import importlib.util
import json
import os.path as osp
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from conftest import REPO, TOY_CFG, TOY_TEST_IMGS

SCRIPT = osp.join(REPO, 'tools', 'infer.py')
SPOT_TOY = osp.join(REPO, 'configs', 'textspot', 'instructocr',
                    'instructocr_clip-r50-tiny_toy.py')
# 1280 x 720 ICDAR 2015 test images bundled with the repository.
IMGS = [osp.join(TOY_TEST_IMGS, n) for n in ('img_10.jpg', 'img_11.jpg')]
W, H = 1280, 720
PALETTE = [(220, 20, 60), (119, 11, 32), (0, 0, 142)]  # mmocr's, RGB


def load_script():
    """Import the script as a module (its ``main`` takes an argv list)."""
    spec = importlib.util.spec_from_file_location('infer_spot_tool', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def spotter(tmp_path_factory):
    """The toy InstructOCR, random, made to spot 3 instances per image.

    Slot-constrained decoding (every block a point and characters), EOS
    never chosen (so the decoder's 3 instances), a sharper head (scores
    well above the drawing threshold) and the image-text fusion at full
    strength (LayerScale 1 instead of 1e-4: the instruction matters).

    Returns:
        SimpleNamespace: ``config`` and ``checkpoint`` paths.
    """
    import torch
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS
    tmp = tmp_path_factory.mktemp('instructocr_spot')
    config = str(tmp / 'spot_toy.py')
    with open(config, 'w') as f:
        f.write(f'_base_ = [{SPOT_TOY!r}]\n'
                'model = dict(decoder=dict(decode_cfg=dict('
                'constrained=True)))\n')
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(Config.fromfile(config).model)
    with torch.no_grad():
        head = model.decoder.vocab_embed
        head.weight.mul_(20)
        head.bias[model.decoder.dictionary.eos_idx] = -1e4
        for name, param in model.named_parameters():
            if name.endswith('gamma_v'):
                param.fill_(1.0)
    checkpoint = str(tmp / 'random.pth')
    torch.save({'state_dict': model.state_dict()}, checkpoint)
    return SimpleNamespace(config=config, checkpoint=checkpoint)


def _spot(tool, spotter, inputs, out, *extra):
    """Run the tool in-process with the same random BERT every time."""
    import torch
    torch.manual_seed(0)  # BERT is random, built with the model
    tool.main([
        *inputs, '--spot', spotter.config, '--spot-weights',
        spotter.checkpoint, '--out-dir',
        str(out), '--device', 'cpu', *extra
    ])


def _json(path):
    with open(path) as f:
        return json.load(f)


def test_spot_points_texts_and_drawings(spotter, tmp_path, capsys):
    tool = load_script()
    bad = tmp_path / 'broken.png'
    bad.write_bytes(b'not an image')
    _spot(tool, spotter, [*IMGS, str(bad)], tmp_path / 'out')
    out = capsys.readouterr()
    assert f'3 images: 2 written, 1 skipped: {bad}' in out.out
    assert f'skipped {bad}: cannot be decoded' in out.err
    for img in IMGS:
        name = osp.splitext(osp.basename(img))[0]
        pred = _json(tmp_path / 'out' / 'preds' / f'{name}.json')
        assert set(pred) == {'points', 'texts', 'scores', 'instruction'}
        assert pred['instruction'] == 'all text'  # the test pipeline's
        points = np.array(pred['points'])
        assert points.shape == (3, 2)  # the toy decoder's 3 instances
        assert len(pred['texts']) == len(pred['scores']) == 3
        assert all(isinstance(t, str) and len(t) <= 12 for t in pred['texts'])
        assert all(0.3 < s <= 1 for s in pred['scores'])
        # Original-image pixels: the bins (of 100) scaled by W and H.
        assert (points >= 0).all() and (points <= [W, H]).all()
        assert np.allclose(
            points / [W / 100, H / 100],
            np.round(points / [W / 100, H / 100]),
            atol=1e-3)
        # The drawing: the image beside a white canvas, a dot per point.
        drawn = cv2.imread(str(tmp_path / 'out' / 'vis' / f'{name}.jpg'))
        image = cv2.imread(img)
        assert drawn.shape == (H, 2 * W, 3)
        for i, (x, y) in enumerate(np.clip(points, 0, [W - 1, H - 1])):
            x, y = int(round(x)), int(round(y))
            dot = drawn[y, W + x].astype(int)[::-1]  # RGB, canvas side
            assert np.abs(dot - PALETTE[i]).max() < 60, (i, dot)
            on_image = drawn[y, x].astype(int)[::-1]
            assert np.abs(on_image - PALETTE[i]).max() < 60, (i, on_image)
        assert np.abs(drawn[:, :W].astype(int) - image).mean() > 0.5


def test_instruction_reaches_the_model(spotter, tmp_path, monkeypatch):
    from mmocr_ext.models.textspot.instructocr.instructocr_encoder import \
        InstructOCREncoder
    tool = load_script()
    seen = []
    wrap = InstructOCREncoder.format_instructions

    def spy(self, instructions):
        seen.append(list(instructions))
        return wrap(self, instructions)

    monkeypatch.setattr(InstructOCREncoder, 'format_instructions', spy)
    _spot(tool, spotter, IMGS[:1], tmp_path / 'all')
    assert seen == [['all text']]
    _spot(tool, spotter, IMGS[:1], tmp_path / 'number', '--instruction',
          'text of number')
    assert seen[1:] == [['text of number']]
    every, number = (
        _json(tmp_path / run / 'preds' / 'img_10.json')
        for run in ('all', 'number'))
    assert every['instruction'] == 'all text'
    assert number['instruction'] == 'text of number'
    # Same weights, same image: the instruction alone changed the output.
    assert (every['points'], every['texts']) != (number['points'],
                                                 number['texts'])


def test_instruction_needs_an_instruction_spotter(tmp_path, capsys):
    tool = load_script()
    argv = [IMGS[0], '--out-dir', str(tmp_path / 'out'), '--device', 'cpu']
    with pytest.raises(SystemExit) as exc:  # a detector config
        tool.main([*argv, '--spot', TOY_CFG, '--instruction', 'text of x'])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]  # after warnings
    assert err == (f'error: --instruction with --spot {TOY_CFG}: the model '
                   'DBNet does not take instructions (only '
                   'instruction-following spotters such as InstructOCR do)')
    with pytest.raises(SystemExit) as exc:  # no instruction: still refused
        tool.main([*argv, '--spot', TOY_CFG])
    assert exc.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f'error: --spot {TOY_CFG}: DBNet is a text detector, not a text '
        'spotter (tools/infer.py: --det)')
    for bad, message in (
        (['--det', TOY_CFG, '--instruction', 'x'], '--instruction needs'),
        (['--spot', TOY_CFG, '--det', TOY_CFG], '--spot does not go with'),
        (['--spot-weights', 'x.pth', '--det', TOY_CFG], '--spot-weights'),
    ):
        with pytest.raises(SystemExit) as exc:
            tool.main([*argv, *bad])
        assert exc.value.code == 2
        assert message in capsys.readouterr().err
    assert not (tmp_path / 'out').exists()


def test_set_spotter_instruction():
    from mmocr.structures import TextDetDataSample

    from mmocr_ext.apis import set_spotter_instruction, spotter_instruction
    model = SimpleNamespace(
        instruction_override=None, default_instruction='all text')
    inferencer = SimpleNamespace(model=model)
    sample = TextDetDataSample(metainfo=dict(instruction='text of 5 chars'))
    assert spotter_instruction(inferencer, sample) == 'text of 5 chars'
    assert spotter_instruction(model, TextDetDataSample()) == 'all text'
    assert set_spotter_instruction(inferencer, 'what is the price?') is None
    assert model.instruction_override == 'what is the price?'
    assert spotter_instruction(inferencer, sample) == 'what is the price?'
    assert set_spotter_instruction(model, None) == 'what is the price?'
    assert model.instruction_override is None
    with pytest.raises(ValueError, match='empty'):
        set_spotter_instruction(inferencer, '  ')
    with pytest.raises(TypeError, match='string'):
        set_spotter_instruction(inferencer, ['all text'])
    with pytest.raises(TypeError, match='Namespace does not take'):
        set_spotter_instruction(SimpleNamespace(model=SimpleNamespace()), 'x')
    assert spotter_instruction(SimpleNamespace(), sample) is None


def _sample(gt_polygons, points, scores, texts):
    import torch
    from mmengine.structures import InstanceData
    from mmocr.structures import TextSpottingDataSample
    sample = TextSpottingDataSample()
    sample.gt_instances = InstanceData(
        polygons=[np.array(p, dtype=np.float32) for p in gt_polygons],
        texts=['gt'] * len(gt_polygons))
    sample.pred_instances = InstanceData(
        points=torch.tensor(points, dtype=torch.float32),
        scores=torch.tensor(scores),
        texts=texts,
        polygons=[np.zeros(8, np.float32) for _ in points])
    return sample


def test_point_visualizer_draws_points_gt_above_pred(tmp_path):
    from mmocr_ext.visualization import PointSpottingLocalVisualizer
    vis = PointSpottingLocalVisualizer(
        name='test_point_spotting', point_radius=3, font_size=6)
    image = np.full((40, 60, 3), 100, dtype=np.uint8)
    # GT quadrilateral: centre = mean of the midpoints of p1p2 and p3p4.
    sample = _sample([[10, 10, 30, 10, 30, 20, 10, 20]], [[5, 30], [50, 8]],
                     [0.9, 0.2], ['', 'low'])
    drawn = vis.add_datasample(
        'x',
        image,
        sample,
        pred_score_thr=0.5,
        out_file=str(tmp_path / 'x.jpg'))
    assert drawn.shape == (80, 120, 3)  # (gt | canvas) above (pred | canvas)
    assert drawn[15, 20].tolist() == list(PALETTE[0])  # GT centre (20, 15)
    assert drawn[15, 60 + 20].tolist() == list(PALETTE[0])
    assert drawn[40 + 30, 5].tolist() == list(PALETTE[0])  # pred (5, 30)
    assert drawn[40 + 30, 60 + 5].tolist() == list(PALETTE[0])
    # Below the threshold: not drawn; the fake squares never are.
    assert drawn[40 + 8, 50].tolist() == [100, 100, 100]
    assert (drawn[40:, 60:] != 255).any(axis=-1).sum() < 100  # one dot
    assert cv2.imread(str(tmp_path / 'x.jpg')).shape == (80, 120, 3)
    only_pred = vis.add_datasample('y', image, sample, draw_gt=False)
    assert only_pred.shape == (40, 120, 3)


def test_scaled_drawing_points():
    from mmocr_ext.apis.infer_drawing import scaled_sample
    sample = _sample([], [[10., 20.]], [0.9], ['a'])
    half = scaled_sample(sample, 0.5).pred_instances
    assert half.points.tolist() == [[5., 10.]]
    assert sample.pred_instances.points.tolist() == [[10., 20.]]


def test_missing_instruction_encoder_weights_stop_before_any_image(
        tmp_path, capsys):
    """InstructOCR's BERT (never in its checkpoint) is loaded at the first
    image; a folder that is not there is refused when the model is built."""
    config = tmp_path / 'bertless.py'
    config.write_text(f'_base_ = [{SPOT_TOY!r}]\n'
                      'model = dict(encoder=dict(text_encoder=dict('
                      f'pretrained={str(tmp_path / "no_bert")!r})))\n')
    with pytest.raises(SystemExit) as exc:
        load_script().main([
            IMGS[0], '--out-dir',
            str(tmp_path / 'out'), '--device', 'cpu', '--spot',
            str(config)
        ])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith(f'error: --spot {config}: the spotter\'s '
                          'instruction encoder needs its weights in ')
    assert not (tmp_path / 'out' / 'preds').exists()
