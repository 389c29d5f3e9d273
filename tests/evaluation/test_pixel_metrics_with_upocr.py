# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The UPOCR metrics and visualizer on real pieces: files -> the pixel
transforms (test pipelines) -> a tiny random UPOCR -> mmengine's Evaluator
and PixelOCRLocalVisualizer."""
import math
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.evaluator import Evaluator
from mmengine.registry import DefaultScope
from PIL import Image

from mmocr_ext.visualization import PixelOCRLocalVisualizer

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# The toy config's tiny UPOCR (spec-upocr.md section 8).
TOY = osp.join(REPO, 'configs', 'pixel', 'upocr', 'upocr_swinv2-tiny_toy.py')
SIZE = 64  # network resolution of these tests
H, W = 40, 56
RNG = np.random.default_rng(3)


@pytest.fixture(scope='module')
def model():
    from mmocr.registry import MODELS
    cfg = Config.fromfile(TOY)
    cfg.model.loss_removal = [dict(type='MultiScaleMaskedL1Loss')]
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmocr'):
        return MODELS.build(cfg.model).eval()


def _run(model, pipeline, infos, metric):
    with DefaultScope.overwrite_default_scope('mmocr'):
        transforms = Compose(pipeline + [
            dict(
                type='PixelResize',
                scale=(SIZE, SIZE),
                keep_ori_target_for_eval=True),
            dict(type='PackPixelOCRInputs')
        ])
        evaluator = Evaluator([metric])
    data = pseudo_collate([transforms(dict(info)) for info in infos])
    with torch.no_grad():
        samples = model.test_step(data)
    evaluator.process(samples, data)
    return samples, evaluator.evaluate(len(samples))


def _image(path, size=(H, W)):
    img = RNG.integers(0, 256, size + (3, ), dtype=np.uint8)
    Image.fromarray(img).save(path)
    return str(path), img


def test_text_removal(model, tmp_path):
    from mmocr_ext.evaluation.functional.pixel_metrics import (
        read_removal_image, text_removal_metrics)
    from mmocr_ext.evaluation.metrics import TextRemovalMetric
    infos = []
    for i in range(2):
        # square: the official Resize(shorter side) keeps a 1:1 shape only
        img_path, _ = _image(tmp_path / f'{i}.jpg', (48, 48))
        gt_path, _ = _image(tmp_path / f'{i}_gt.png', (48, 48))
        infos.append(
            dict(img_path=img_path, gt_path=gt_path, task='text_removal'))
    # predictions at the network resolution (64): the GT is resized to it
    samples, res = _run(
        model, [
            dict(type='LoadRGBImagePIL'),
            dict(type='LoadRemovalTargets', with_mask=False)
        ], infos,
        TextRemovalMetric(gt_resize=SIZE, dump_dir=str(tmp_path / 'd')))
    assert samples[0].pred_pixel.img.shape == (3, SIZE, SIZE)
    rows = []
    for sample, info in zip(samples, infos):
        pred = np.floor(sample.pred_pixel.img.numpy() * 255) / 255
        gt = read_removal_image(info['gt_path'], SIZE)
        # at 64 x 64, pEPs / pCEPs are fractions of the image's pixels
        rows.append(
            text_removal_metrics(gt, pred.transpose(1, 2, 0), num_pixels=None))
    for key in ('PSNR', 'MSSIM', 'MSE', 'AGE', 'pEPs', 'pCEPs'):
        expected = (rows[0][key] + rows[1][key]) / 2
        assert res[f'textremoval/{key}'] == pytest.approx(expected, rel=1e-4)
    assert math.isfinite(res['textremoval/MS_SSIM'])
    assert osp.isfile(tmp_path / 'd' / '1.png')


def _counts(gt, pred, ignore=255):
    valid = gt != ignore
    g, p = gt[valid], pred[valid]
    return [
        int(((g == a) & (p == b)).sum()) for a in (0, 1, 2) for b in (0, 1, 2)
    ]


def test_text_segmentation_and_visualizer(model, tmp_path):
    from mmocr_ext.evaluation.metrics import TextSegMetric
    img_path, img = _image(tmp_path / 'a.jpg')
    label = np.zeros((H, W), np.uint8)
    label[5:20, 10:40] = 255
    Image.fromarray(label).save(tmp_path / 'a_mask.png')
    info = dict(
        img_path=img_path,
        seg_map_path=str(tmp_path / 'a_mask.png'),
        task='text_segmentation')
    samples, res = _run(model, [
        dict(type='LoadRGBImagePIL'),
        dict(type='LoadTextSegLabel', label_format='binary')
    ], [info], TextSegMetric())
    pred = samples[0].pred_sem_seg.data[0].numpy()
    assert pred.shape == (H, W)  # original resolution
    c = np.array(_counts((label == 255).astype(int), pred)).reshape(3, 3)
    tp, fp, fn = c[1, 1], c[0, 1], c[1, 0]
    assert res['textseg/fgIoU'] == pytest.approx(tp / (tp + fp + fn))
    assert res['textseg/R'] == pytest.approx(tp / (tp + fn))
    # input | prediction | target of the same sample
    vis = PixelOCRLocalVisualizer.get_instance('pixel_vis_integration')
    drawing = vis.add_datasample('a', img, samples[0])
    assert drawing.shape == (H, 3 * W, 3)
    assert (drawing[:, 2 * W:, 0] == label).all()
    assert (drawing[:, W:2 * W, 0] == pred * 255).all()


def test_tamper_detection(model, tmp_path):
    from mmocr_ext.evaluation.metrics import TamperedTextMetric
    img_path, _ = _image(tmp_path / 't.jpg')
    info = dict(
        img_path=img_path,
        gt_boxes=[[2, 2, 20, 15], [30, 20, 50, 35]],
        gt_box_labels=[1, 2],
        task='tamper_detection')
    samples, res = _run(
        model,
        [dict(type='LoadRGBImagePIL'),
         dict(type='RenderTamperedBoxMap')], [info], TamperedTextMetric())
    gt = samples[0].gt_sem_seg.data[0].numpy()
    pred = samples[0].pred_sem_seg.data[0].numpy()
    assert gt.shape == pred.shape == (H, W)
    assert (gt[2:16, 2:21] == 1).all() and (gt[20:36, 30:51] == 2).all()
    c = np.array(_counts(gt, pred)).reshape(3, 3)
    for cls, name in ((1, 'real'), (2, 'tampered')):
        tp = c[cls, cls]
        union = c[cls].sum() + c[:, cls].sum() - tp
        assert res[f'ttd/{name}_IoU'] == pytest.approx(tp / union)
    assert res['ttd/mIoU'] == pytest.approx(
        (res['ttd/real_IoU'] + res['ttd/tampered_IoU']) / 2)
