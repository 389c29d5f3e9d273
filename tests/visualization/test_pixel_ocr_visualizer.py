# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""PixelOCRLocalVisualizer: input | prediction | target panels."""
import os
import os.path as osp
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from PIL import Image

from mmocr_ext.structures.pixel_ocr_data_sample import PixelOCRDataSample
from mmocr_ext.visualization import PixelOCRLocalVisualizer

H, W = 4, 6
RNG = np.random.default_rng(0)
IMAGE = RNG.integers(0, 256, (H, W, 3), dtype=np.uint8)


def _vis(name, **kwargs):
    return PixelOCRLocalVisualizer.get_instance(f'pixel_vis_{name}', **kwargs)


def _sample(task, **meta):
    return PixelOCRDataSample(
        metainfo=dict(task=task, ori_shape=(H, W), **meta))


def _panels(drawing, n):
    assert drawing.shape == (H, n * W, 3) and drawing.dtype == np.uint8
    return [drawing[:, i * W:(i + 1) * W] for i in range(n)]


def test_text_removal_panels_and_file(tmp_path):
    pred = RNG.integers(0, 256, (H, W, 3), dtype=np.uint8)
    clean = RNG.integers(0, 256, (H, W, 3), dtype=np.uint8)
    gt_path = str(tmp_path / 'clean.png')
    Image.fromarray(clean).save(gt_path)
    sample = _sample('text_removal', gt_path=gt_path)
    sample.pred_img = PixelData(img=torch.from_numpy(pred).permute(2, 0, 1))
    out_file = str(tmp_path / 'out' / 'panel.png')
    drawing = _vis('removal').add_datasample(
        'x', IMAGE, sample, out_file=out_file)
    inp, prd, tgt = _panels(drawing, 3)
    assert (inp == IMAGE).all() and (prd == pred).all()
    assert (tgt == clean).all()
    assert (np.asarray(Image.open(out_file)) == drawing).all()
    assert os.listdir(osp.dirname(out_file)) == ['panel.png']
    # without the target / the prediction
    only_pred = _vis('removal').add_datasample(
        'x', IMAGE, sample, draw_gt=False)
    assert (only_pred == drawing[:, :2 * W]).all()
    no_pred = _vis('removal').add_datasample(
        'x', IMAGE, sample, draw_pred=False)
    assert (no_pred[:, W:] == clean).all()


def test_network_resolution_prediction_is_resized():
    sample = _sample('text_removal')
    # 8x12 float output in [0, 1]: constant 0.5 -> floor(127.5) = 127
    sample.pred_pixel = PixelData(img=torch.full((3, 8, 12), 0.5))
    sample.gt_pixel = PixelData(
        img=torch.full((3, 8, 12), 9, dtype=torch.uint8))
    _, prd, tgt = _panels(_vis('net').add_datasample('x', IMAGE, sample), 3)
    assert (prd == 127).all() and (tgt == 9).all()


def test_segmentation_masks_white_text_grey_ignore():
    sample = _sample('text_segmentation')
    pred = np.zeros((H, W), np.int64)
    pred[1, 2] = 1
    gt = np.zeros((H, W), np.int64)
    gt[0, 0], gt[3, 5] = 1, 255
    sample.pred_sem_seg = PixelData(data=torch.from_numpy(pred)[None])
    sample.gt_sem_seg = PixelData(data=torch.from_numpy(gt)[None])
    _, prd, tgt = _panels(_vis('seg').add_datasample('x', IMAGE, sample), 3)
    assert (prd[1, 2] == 255).all() and prd.sum() == 3 * 255
    assert (tgt[0, 0] == 255).all() and (tgt[3, 5] == 128).all()
    assert tgt.sum() == 3 * (255 + 128)


def test_tamper_palette():
    sample = _sample('tamper_detection')
    classes = np.array([[0, 1, 2, 0, 1, 2]] * H)
    sample.pred_sem_seg = PixelData(data=torch.from_numpy(classes)[None])
    gt = classes.copy()
    gt[0, 0] = 255
    sample.gt_sem_seg = PixelData(data=torch.from_numpy(gt)[None])
    _, prd, tgt = _panels(_vis('ttd').add_datasample('x', IMAGE, sample), 3)
    colors = {0: (0, 0, 0), 1: (0, 255, 0), 2: (0, 0, 255)}
    for x in range(W):
        assert tuple(prd[1, x]) == colors[classes[1, x]]
    assert tuple(tgt[0, 0]) == (128, 128, 128)
    assert tuple(tgt[0, 1]) == (0, 255, 0)


def test_works_from_mmocr_visualization_hook(tmp_path):
    """mmocr's hook reads img_path with mmcv (RGB, EXIF-rotated): a
    90-degree EXIF image does not match ori_shape and is read again with
    PIL, as the model (LoadRGBImagePIL) saw it."""
    from mmengine.visualization import LocalVisBackend  # noqa: F401
    from mmocr.engine.hooks import VisualizationHook
    img_path = str(tmp_path / 'rot.jpg')
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees when displayed
    Image.fromarray(IMAGE).save(img_path, exif=exif, quality=100)
    stored = np.asarray(Image.open(img_path).convert('RGB'))
    vis = _vis(
        'hook',
        vis_backends=[dict(type='LocalVisBackend')],
        save_dir=str(tmp_path / 'vis'))
    hook = VisualizationHook(enable=True, draw_pred=True, draw_gt=True)
    assert hook._visualizer is vis
    sample = _sample('text_segmentation', img_path=img_path)
    sample.pred_sem_seg = PixelData(data=torch.ones(1, H, W, dtype=int))
    hook.after_test_iter(SimpleNamespace(iter=0), 0, {}, [sample])
    files = [
        osp.join(root, f) for root, _, names in os.walk(tmp_path / 'vis')
        for f in names if f.endswith('.png')
    ]
    assert len(files) == 1
    drawing = np.asarray(Image.open(files[0]))
    inp, prd = _panels(drawing, 2)
    assert (inp == stored).all() and (prd == 255).all()


def test_bad_maps_raise():
    sample = _sample('text_segmentation')
    sample.pred_sem_seg = PixelData(data=torch.zeros(1, H, W))
    vis = _vis('bad')
    with pytest.raises(ValueError, match='unknown image extension'):
        vis.add_datasample('x', IMAGE, sample, out_file='/tmp/x.unknown')
