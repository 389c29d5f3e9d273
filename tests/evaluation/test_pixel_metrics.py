# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Hand-computed checks of the UPOCR pixel-level metric core."""
import math

import numpy as np
import pytest

from mmocr_ext.evaluation.functional.pixel_confusion import (
    ConfusionAccumulator, confusion_matrix, per_class_scores, tampered_scores,
    textseg_scores)
from mmocr_ext.evaluation.functional.pixel_metrics import (
    MS_SSIM_WEIGHTS, OFFICIAL_NUM_PIXELS, TextRemovalAccumulator, age,
    grey_diff, ms_ssim, mse, official_mssim, pceps, peps, psnr,
    read_removal_image, ssim_and_cs, text_removal_metrics)

# Grey-level difference map used by the AGE / pEPs / pCEPs tests.
DIFF = np.array([[30, 30, 30, 0], [30, 30, 30, 0], [30, 30, 30, 21],
                 [10, 20, 0, 0]])


def _grey_rgb(levels: np.ndarray) -> np.ndarray:
    """(H, W) grey levels -> (H, W, 3) float64 RGB in [0, 1] with Y = v."""
    return np.repeat((levels / 255.0)[..., None], 3, axis=2)


def _pair(seed: int = 0, size: int = 32, noise: float = 10.0):
    rng = np.random.default_rng(seed)
    a = rng.uniform(0, 255, (size, size))
    b = np.clip(a + rng.normal(0, noise, a.shape), 0, 255)
    return a, b


def test_mse_and_psnr_known_values():
    gt = np.zeros((4, 4, 3))
    pred = np.full((4, 4, 3), 0.1)
    assert mse(gt, pred) == pytest.approx(0.01)
    assert psnr(gt, pred) == pytest.approx(20.0)
    pred[0, 0, 0] = 1.0  # one channel value off by 1 -> +(1 - 0.01)/48
    assert mse(gt, pred) == pytest.approx(0.01 + 0.99 / 48)
    assert psnr(gt, gt) == math.inf


def test_grey_diff_age_peps_pceps_by_hand():
    gt = np.zeros((4, 4, 3))
    pred = _grey_rgb(DIFF)
    diff = grey_diff(gt, pred)
    assert diff.dtype == np.uint8
    np.testing.assert_array_equal(diff, DIFF)
    # |pred - gt| is symmetric.
    np.testing.assert_array_equal(grey_diff(pred, gt), DIFF)
    assert age(diff) == pytest.approx(321 / 16)
    # > 20 (strict): the 3x3 block and the 21 -> 10 pixels.
    assert peps(diff, num_pixels=None) == pytest.approx(10 / 16)
    assert peps(diff) == pytest.approx(10 / OFFICIAL_NUM_PIXELS)
    # Cross erosion, outside = 0: only the block centre (1, 1) survives.
    assert pceps(diff, num_pixels=None) == pytest.approx(1 / 16)
    # Outside = 1: (0, 0), (0, 1), (1, 0), (1, 1) survive.
    assert pceps(diff, None, border_value=True) == pytest.approx(4 / 16)


@pytest.mark.parametrize('border', [False, True])
def test_pceps_matches_explicit_cross_erosion(border):
    err = DIFF > 20
    p = np.pad(err, 1, constant_values=border)
    eroded = (
        p[1:-1, 1:-1] & p[:-2, 1:-1] & p[2:, 1:-1] & p[1:-1, :-2]
        & p[1:-1, 2:])
    assert pceps(DIFF, None, border_value=border) == eroded.sum() / 16


def test_luma_rounding_uses_weights():
    gt = np.zeros((1, 1, 3))
    pred = np.array([[[100, 0, 0]]]) / 255.0  # Y = 29.9 -> 30
    assert grey_diff(gt, pred)[0, 0] == 30
    pred = np.array([[[0, 0, 100]]]) / 255.0  # Y = 11.4 -> 11
    assert grey_diff(gt, pred)[0, 0] == 11


def test_ssim_constant_images_closed_form():
    a = np.full((4, 4), 100.0)
    b = np.full((4, 4), 110.0)
    c1 = (0.01 * 255)**2
    ssim, cs = ssim_and_cs(a, b)
    expected = (2 * 100 * 110 + c1) / (100**2 + 110**2 + c1)
    assert ssim == pytest.approx(expected, rel=1e-9)
    assert cs == pytest.approx(1.0, rel=1e-9)
    assert official_mssim(a, b) == pytest.approx(expected**0.1333, rel=1e-9)


@pytest.mark.parametrize('size', [6, 16, 40])
def test_official_mssim_bug_closed_form(size):
    a, b = _pair(seed=size, size=size)
    ssim, cs = ssim_and_cs(a, b)
    assert 0 < ssim < 1 and 0 < cs < 1
    closed = cs**0.8668 * ssim**0.1333
    assert sum(MS_SSIM_WEIGHTS[:4]) == pytest.approx(0.8668)
    assert official_mssim(a, b) == pytest.approx(closed, rel=1e-12)
    # The correct MS-SSIM differs (it really downsamples).
    if size >= 16:
        assert abs(ms_ssim(a, b) - closed) > 1e-4


def test_official_mssim_negative_cs_is_nan():
    a, _ = _pair(seed=1, size=16)
    assert ssim_and_cs(a, 255 - a)[1] < 0
    assert math.isnan(official_mssim(a, 255 - a))


def test_ms_ssim_identity_and_degradation():
    a, b = _pair(seed=3, size=64)
    assert ms_ssim(a, a) == pytest.approx(1.0, abs=1e-12)
    assert official_mssim(a, a) == pytest.approx(1.0, abs=1e-12)
    value = ms_ssim(a, b)
    assert 0 < value < 1
    # More noise -> lower score.
    _, b2 = _pair(seed=3, size=64, noise=40.0)
    assert ms_ssim(a, b2) < value


def test_ms_ssim_single_scale_matches_skimage():
    metrics = pytest.importorskip('skimage.metrics')
    a, b = _pair(seed=5, size=32)
    ref = metrics.structural_similarity(
        a,
        b,
        data_range=255,
        gaussian_weights=True,
        sigma=1.5,
        use_sample_covariance=False)
    assert ms_ssim(a, b, weights=(1.0, )) == pytest.approx(ref, abs=1e-9)
    assert ssim_and_cs(a, b)[0] == pytest.approx(ref, abs=1e-9)


def test_text_removal_metrics_and_accumulator():
    gt = np.zeros((16, 16, 3))
    row = text_removal_metrics(gt, gt, num_pixels=None)
    assert row['MSE'] == 0 and row['PSNR'] == math.inf
    assert math.isnan(row['AGE'])
    acc = TextRemovalAccumulator(num_pixels=None)
    acc.add(gt, gt)  # skipped
    r1 = acc.add(gt, np.full_like(gt, 0.1))
    r2 = acc.add(gt, np.full_like(gt, 0.2))
    assert r1['PSNR'] == pytest.approx(20.0)
    assert r2['PSNR'] == pytest.approx(10 * math.log10(25))
    assert r1['AGE'] == pytest.approx(26.0)  # round(25.5) -> 26 (even)
    assert r1['pEPs'] == 1.0 and r1['pCEPs'] == pytest.approx(14 * 14 / 256)
    assert acc.count == 2 and acc.skipped == 1
    summary = acc.summarize()
    assert summary['MSE'] == pytest.approx(0.025)
    assert summary['PSNR'] == pytest.approx((r1['PSNR'] + r2['PSNR']) / 2)
    assert summary['MSSIM'] == pytest.approx((r1['MSSIM'] + r2['MSSIM']) / 2)
    assert math.isnan(TextRemovalAccumulator().summarize()['PSNR'])


def test_read_removal_image(tmp_path):
    image_mod = pytest.importorskip('PIL.Image')
    arr = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)
    path = str(tmp_path / 'x.png')
    image_mod.fromarray(arr).save(path)
    out = read_removal_image(path, size=4)  # already short side 4: no-op
    assert out.dtype == np.float32 and out.shape == (4, 6, 3)
    np.testing.assert_allclose(out, arr / 255.0, atol=1e-7)
    assert read_removal_image(path, size=2).shape == (2, 3, 3)
    assert read_removal_image(path, size=3).shape == (3, 4, 3)  # int(4.5)


def test_textseg_dataset_level_counts():
    acc = ConfusionAccumulator(2)
    c1 = acc.add(np.array([[0, 1], [1, 255]]), np.array([[1, 1], [0, 0]]))
    np.testing.assert_array_equal(c1, [[0, 1], [1, 1]])
    acc.add(np.array([[1, 1], [0, 128]]), np.array([[1, 1], [0, 1]]))
    np.testing.assert_array_equal(acc.hist, [[1, 1], [1, 3]])
    s = textseg_scores(acc.hist)
    # TP 3, FP 1, FN 1: not the per-image mean IoU (1/3 + 1) / 2.
    assert s['fgIoU'] == pytest.approx(3 / 5)
    assert s['P'] == pytest.approx(3 / 4)
    assert s['R'] == pytest.approx(3 / 4)
    assert s['F'] == pytest.approx(3 / 4)


def test_textseg_empty_foreground_edge_cases():
    zeros = np.zeros((3, 3), dtype=np.int64)
    s = textseg_scores(confusion_matrix(zeros, zeros, 2))
    assert all(math.isnan(v) for v in s.values())  # 0/0 everywhere
    pred = zeros.copy()
    pred[0, 0] = 1  # a false positive only
    s = textseg_scores(confusion_matrix(zeros, pred, 2))
    assert s['fgIoU'] == 0 and s['P'] == 0 and s['F'] == 0
    assert math.isnan(s['R'])
    # All pixels ignored: no counts at all.
    ignored = np.full((3, 3), 255)
    assert confusion_matrix(ignored, pred, 2).sum() == 0


def test_confusion_rejects_bad_input():
    with pytest.raises(ValueError):
        confusion_matrix(np.zeros((2, 2)), np.zeros((2, 3)), 2)
    with pytest.raises(ValueError):
        confusion_matrix(np.zeros((2, 2)), np.full((2, 2), 2), 2)


def test_tampered_ic13_scores_by_hand():
    gt = np.array([[0, 0, 1], [1, 1, 2], [2, 2, 2]])
    pred = np.array([[0, 1, 1], [1, 2, 2], [2, 0, 1]])
    hist = confusion_matrix(gt, pred, 3)
    np.testing.assert_array_equal(hist, [[1, 1, 0], [0, 2, 1], [1, 1, 2]])
    s = tampered_scores(hist)
    assert s['real_IoU'] == pytest.approx(2 / 5)
    assert s['real_P'] == pytest.approx(2 / 4)
    assert s['real_R'] == pytest.approx(2 / 3)
    assert s['real_F'] == pytest.approx(4 / 7)
    assert s['tampered_IoU'] == pytest.approx(2 / 5)
    assert s['tampered_P'] == pytest.approx(2 / 3)
    assert s['tampered_R'] == pytest.approx(2 / 4)
    assert s['tampered_F'] == pytest.approx(4 / 7)
    assert s['mIoU'] == pytest.approx(2 / 5)
    assert s['mF'] == pytest.approx(4 / 7)
    # F agrees with 2PR / (P + R) where defined.
    pc = per_class_scores(hist)
    np.testing.assert_allclose(pc['F'],
                               2 * pc['P'] * pc['R'] / (pc['P'] + pc['R']))


def test_tampered_missing_class_propagates_nan():
    gt = np.array([[0, 1], [1, 0]])
    s = tampered_scores(confusion_matrix(gt, gt, 3))
    assert s['real_IoU'] == 1.0
    assert math.isnan(s['tampered_IoU'])
    assert math.isnan(s['mIoU']) and math.isnan(s['mF'])
