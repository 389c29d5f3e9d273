# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR metric classes (TextRemovalMetric, TextSegMetric,
TamperedTextMetric) on hand-made data samples, hand-computed values."""
import math
import os

import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from PIL import Image

from mmocr_ext.evaluation.metrics import (TamperedTextMetric,
                                          TextRemovalMetric, TextSegMetric)
from mmocr_ext.structures.pixel_ocr_data_sample import PixelOCRDataSample


def _seg_sample(gt, pred, name='a.jpg'):
    """A data sample as mmengine's Evaluator hands it over (to_dict)."""
    sample = PixelOCRDataSample(metainfo=dict(img_path=name))
    sample.gt_sem_seg = PixelData(data=torch.tensor(gt)[None])
    sample.pred_sem_seg = PixelData(data=torch.tensor(pred)[None])
    return sample.to_dict()


def _evaluate(metric, samples):
    metric.process([], samples)
    return metric.evaluate(len(samples))


def test_text_seg_metric_dataset_level_confusion():
    metric = TextSegMetric()
    # image 1: TP, FN / FP, ignored; image 2: TP, TN.
    res = _evaluate(metric, [
        _seg_sample([[1, 1], [0, 255]], [[1, 0], [1, 1]]),
        _seg_sample([[1, 0]], [[1, 0]], 'b.jpg')
    ])
    # TP 2, FP 1, FN 1 (dataset level, not a mean of per-image values)
    assert res['textseg/fgIoU'] == pytest.approx(2 / 4)
    assert res['textseg/P'] == pytest.approx(2 / 3)
    assert res['textseg/R'] == pytest.approx(2 / 3)
    assert res['textseg/F'] == pytest.approx(2 / 3)
    assert set(res) == {f'textseg/{k}' for k in ('fgIoU', 'P', 'R', 'F')}


def test_text_seg_metric_custom_ignore_index():
    res = _evaluate(
        TextSegMetric(ignore_index=1, prefix='ts'),
        [_seg_sample([[1, 0, 0]], [[0, 1, 0]])])
    # the text pixel is ignored: TP 0, FP 1, FN 0
    assert res['ts/P'] == 0 and res['ts/fgIoU'] == 0
    assert math.isnan(res['ts/R'])


def test_text_seg_metric_bad_samples_name_the_image():
    metric = TextSegMetric()
    with pytest.raises(ValueError, match=r'x\.png.*different sizes'):
        metric.process([], [_seg_sample([[1, 0]], [[1, 0, 1]], 'x.png')])
    sample = PixelOCRDataSample(metainfo=dict(img_path='y.png'))
    sample.pred_sem_seg = PixelData(data=torch.zeros(1, 2, 2))
    with pytest.raises(ValueError, match=r'y\.png: no gt_sem_seg'):
        metric.process([], [sample.to_dict()])
    with pytest.raises(ValueError, match=r'z\.png.*\[0, 2\)'):
        metric.process([], [_seg_sample([[1]], [[2]], 'z.png')])


def test_tampered_text_metric_per_class_and_means():
    metric = TamperedTextMetric()
    assert metric.prefix == 'ttd'
    # gt/pred pairs: (0,0) (1,1) (1,2) (2,2) (2,0) (255,1: ignored)
    res = _evaluate(metric, [
        _seg_sample([[0, 1, 1]], [[0, 1, 2]]),
        _seg_sample([[2, 2, 255]], [[2, 0, 1]], 'b.jpg')
    ])
    # real: TP 1, FP 0, FN 1; tampered: TP 1, FP 1, FN 1
    expected = dict(
        real_IoU=1 / 2,
        real_P=1.0,
        real_R=1 / 2,
        real_F=2 / 3,
        tampered_IoU=1 / 3,
        tampered_P=1 / 2,
        tampered_R=1 / 2,
        tampered_F=1 / 2,
        mIoU=(1 / 2 + 1 / 3) / 2,
        mF=(2 / 3 + 1 / 2) / 2)
    assert res == pytest.approx({f'ttd/{k}': v for k, v in expected.items()})


# --------------------------------------------------------------------------
# Text removal
# --------------------------------------------------------------------------


def _write_grey(path, level, size):
    Image.fromarray(np.full((size, size, 3), level, np.uint8)).save(path)
    return str(path)


def _removal_sample(pred_level, gt_path, name, size=512):
    """Prediction whose floor(x * 255) is ``pred_level`` everywhere."""
    sample = PixelOCRDataSample(
        metainfo=dict(img_path=f'/data/{name}.jpg', gt_path=gt_path))
    value = (pred_level + 0.5) / 255
    sample.pred_pixel = PixelData(img=torch.full((3, size, size), value))
    return sample.to_dict()


def test_text_removal_metric_hand_computed(tmp_path):
    # GT files 64x64 are resized to 512 (shorter side), as the official
    # script does; constant images stay constant.
    gt_a = _write_grey(tmp_path / 'a.png', 100, 64)
    gt_b = _write_grey(tmp_path / 'b.png', 40, 512)
    dump = tmp_path / 'dump'
    metric = TextRemovalMetric(dump_dir=str(dump))
    res = _evaluate(
        metric,
        [
            _removal_sample(130, gt_a, 'a'),
            _removal_sample(40, gt_b, 'b'),  # identical: skipped
        ])
    mse = (30 / 255)**2
    c1 = (0.01 * 255)**2
    ssim = (2 * 100 * 130 + c1) / (100**2 + 130**2 + c1)  # cs = 1
    assert res['textremoval/MSE'] == pytest.approx(mse, rel=1e-5)
    assert res['textremoval/PSNR'] == pytest.approx(
        10 * math.log10(1 / mse), rel=1e-5)
    assert res['textremoval/AGE'] == pytest.approx(30)
    assert res['textremoval/pEPs'] == pytest.approx(1.0)
    # erosion (border outside = 0) keeps the 510 x 510 interior
    assert res['textremoval/pCEPs'] == pytest.approx(510**2 / 512**2)
    assert res['textremoval/MSSIM'] == pytest.approx(ssim**0.1333, rel=1e-5)
    # constant images: every scale has cs = 1, the coarsest the same ssim
    assert res['textremoval/MS_SSIM'] == pytest.approx(ssim**0.1333, rel=1e-5)
    assert 'textremoval/FID' not in res
    # the official inference files: floor(x * 255), <stem>.png
    written = np.asarray(Image.open(dump / 'a.png'))
    assert written.shape == (512, 512, 3) and (written == 130).all()
    assert sorted(os.listdir(dump)) == ['a.png', 'b.png']  # no temp files


def test_text_removal_metric_error_fractions_at_another_resolution(tmp_path):
    # 128 x 128 (e.g. the synthetic learning check): pEPs / pCEPs are
    # fractions of the image's own pixels, not of the official 512 * 512.
    gt = np.full((128, 128, 3), 100, np.uint8)
    gt[:32] = 160  # a quarter of the image differs by 60 > 20 levels
    Image.fromarray(gt).save(tmp_path / 'g.png')
    metric = TextRemovalMetric(gt_resize=128)
    res = _evaluate(metric,
                    [_removal_sample(100, str(tmp_path / 'g.png'), 'g', 128)])
    assert res['textremoval/pEPs'] == pytest.approx(0.25)
    # erosion with the border outside = 0 removes the top row and the
    # outer columns and the bottom row of the 32-row band: 30 x 126 left
    assert res['textremoval/pCEPs'] == pytest.approx(30 * 126 / 128**2)
    assert res['textremoval/AGE'] == pytest.approx(60 / 4)


def test_text_removal_metric_quantises_by_truncation(tmp_path):
    gt = _write_grey(tmp_path / 'g.png', 10, 32)
    sample = PixelOCRDataSample(metainfo=dict(img_path='g.jpg', gt_path=gt))
    # 10.99 / 255 -> 10 (floor), identical to the GT: MSE 0, skipped
    sample.pred_pixel = PixelData(img=torch.full((3, 32, 32), 10.99 / 255))
    metric = TextRemovalMetric(gt_resize=None)
    metric.process([], [sample.to_dict()])
    assert metric.results[0]['row']['MSE'] == 0
    res = metric.evaluate(1)
    assert math.isnan(res['textremoval/PSNR'])


def test_text_removal_metric_errors_name_the_file(tmp_path):
    metric = TextRemovalMetric()
    missing = str(tmp_path / 'missing.png')
    with pytest.raises(FileNotFoundError, match='missing.png'):
        metric.process([], [_removal_sample(1, missing, 'm')])
    broken = tmp_path / 'broken.png'
    broken.write_bytes(b'not an image')
    with pytest.raises(ValueError, match='broken.png.*cannot be read'):
        metric.process([], [_removal_sample(1, str(broken), 'k')])
    sample = PixelOCRDataSample(metainfo=dict(img_path='n.jpg'))
    with pytest.raises(ValueError, match=r'n\.jpg: no gt_path'):
        metric.process([], [sample.to_dict()])
    small = _write_grey(tmp_path / 's.png', 1, 32)
    with pytest.raises(ValueError, match='different sizes'):
        metric.process([], [_removal_sample(1, small, 's', size=64)])
    weights = str(tmp_path / 'inception.pth')
    with pytest.raises(FileNotFoundError, match='inception.pth'):
        TextRemovalMetric(compute_fid=True, inception_weights=weights)


def test_text_removal_metric_fid_from_features(tmp_path, monkeypatch):
    """FID from the per-image features kept by process() (extractor
    replaced by a 1-D hand-made one; the real one in test_fid.py)."""
    weights = tmp_path / 'w.pth'
    weights.write_bytes(b'')
    metric = TextRemovalMetric(
        compute_fid=True, inception_weights=str(weights), gt_resize=None)

    def fake_features(images, device):
        return np.array([[float(img[0, 0, 0])] for img in images])

    monkeypatch.setattr(metric, '_features', fake_features)
    samples = []
    for level, (gt_level, name) in zip((0, 2), ((1, 'p'), (5, 'q'))):
        gt = _write_grey(tmp_path / f'{name}.png', gt_level, 16)
        samples.append(_removal_sample(level, gt, name, size=16))
    res = _evaluate(metric, samples)
    # gt features {1, 5}: mean 3, var 8; pred {0, 2}: mean 1, var 2
    # FID = (3 - 1)^2 + (sqrt(8) - sqrt(2))^2 = 4 + 2
    assert res['textremoval/FID'] == pytest.approx(6.0)


def test_each_metric_scores_its_own_task(tmp_path):
    """One evaluator, a test set mixing the three tasks (the toy config)."""
    from mmengine.evaluator import Evaluator
    gt = _write_grey(tmp_path / 'g.png', 100, 16)
    removal = _removal_sample(130, gt, 'r', size=16)
    removal['task'] = 'text_removal'
    seg = _seg_sample([[1, 0]], [[1, 1]], 's.jpg')
    seg['task'] = 'text_segmentation'
    ttd = _seg_sample([[2, 1]], [[2, 2]], 't.jpg')
    ttd['task'] = 'tamper_detection'
    evaluator = Evaluator([
        TextRemovalMetric(gt_resize=None),
        TextSegMetric(),
        TamperedTextMetric()
    ])
    evaluator.process([removal, seg, ttd])
    res = evaluator.evaluate(3)
    assert res['textremoval/AGE'] == pytest.approx(30)
    assert res['textseg/fgIoU'] == pytest.approx(1 / 2)  # TP 1, FP 1
    assert res['ttd/tampered_IoU'] == pytest.approx(1 / 2)  # TP 1, FP 1
    assert res['ttd/real_R'] == 0
