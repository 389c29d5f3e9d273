# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Fréchet distance (hand-checkable cases) and the local-weights Inception
feature extractor of mmocr_ext.evaluation.functional.fid."""
import numpy as np
import pytest

from mmocr_ext.evaluation.functional import fid


def test_identical_sets_give_zero():
    feats = np.random.default_rng(0).normal(size=(20, 4))
    assert fid.fid_from_features(feats, feats) == pytest.approx(0, abs=1e-8)


def test_one_dimensional_gaussians_closed_form():
    # N(m1, s1^2) vs N(m2, s2^2): (m1 - m2)^2 + (s1 - s2)^2
    # {0, 2}: mean 1, var 2; {1, 5}: mean 3, var 8 -> 4 + (sqrt2 - sqrt8)^2
    a = np.array([[0.0], [2.0]])
    b = np.array([[1.0], [5.0]])
    assert fid.fid_from_features(a, b) == pytest.approx(6.0)
    assert fid.frechet_distance(0.0, 4.0, 1.0, 9.0) == pytest.approx(1 + 1)


def test_diagonal_covariances_and_symmetry():
    mu1, mu2 = np.array([0.0, 1.0]), np.array([3.0, 1.0])
    s1, s2 = np.diag([1.0, 4.0]), np.diag([9.0, 16.0])
    # 9 + (1 - 3)^2 + (2 - 4)^2
    assert fid.frechet_distance(mu1, s1, mu2, s2) == pytest.approx(17.0)
    assert fid.frechet_distance(mu2, s2, mu1, s1) == pytest.approx(17.0)


def test_singular_covariances_are_regularised():
    # rank-1 covariances in 3-D (2 samples each)
    a = np.array([[0.0, 0, 0], [1, 1, 1]])
    value = fid.fid_from_features(a, a + 1)
    assert np.isfinite(value) and value == pytest.approx(3.0, abs=1e-3)


def test_bad_feature_sets():
    with pytest.raises(ValueError, match='at least 2'):
        fid.fid_from_features(np.zeros((1, 3)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match='shape mismatch'):
        fid.frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))


def test_inception_from_local_weights(tmp_path):
    import torch
    from torchvision.models import Inception3
    with pytest.raises(FileNotFoundError, match='nowhere.pth'):
        fid.build_inception_pool3(str(tmp_path / 'nowhere.pth'))
    bad = tmp_path / 'bad.pth'
    torch.save({'conv.weight': torch.zeros(1)}, bad)
    with pytest.raises(ValueError, match='bad.pth.*inception_v3'):
        fid.build_inception_pool3(str(bad))
    torch.manual_seed(0)
    net = Inception3(aux_logits=False, init_weights=False)
    path = tmp_path / 'inception.pth'
    torch.save({'state_dict': net.state_dict()}, path)
    model = fid.build_inception_pool3(str(path))
    rng = np.random.default_rng(0)
    imgs = [rng.integers(0, 256, (40, 60, 3), dtype=np.uint8) for _ in '12']
    feats = fid.inception_pool3_features(model, imgs, batch_size=1)
    assert feats.shape == (2, fid.POOL3_DIM)
    # the same as one batch of two, and from [0, 1] tensors
    tensors = [torch.from_numpy(i).permute(2, 0, 1) / 255.0 for i in imgs]
    np.testing.assert_allclose(
        fid.inception_pool3_features(model, tensors, batch_size=2),
        feats,
        rtol=1e-4,
        atol=1e-5)
