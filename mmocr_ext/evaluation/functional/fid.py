# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Fréchet Inception Distance (FID) for the UPOCR text-removal metric.

Spec-upocr.md section 6.1 (item 3): the official protocol runs
``pytorch-fid`` 0.3.0 on the ground-truth and prediction folders: Inception-v3
pool3 features (2048-d), batch 50, then the Fréchet distance of the two
Gaussians fitted to the feature sets,

``FID = ||mu_1 - mu_2||^2 + Tr(S_1 + S_2 - 2 (S_1 S_2)^(1/2))``

(``mu`` the feature means, ``S`` the unbiased feature covariances).

The statistics (:func:`feature_statistics`, :func:`frechet_distance`,
:func:`fid_from_features`) are pure numpy + scipy. The feature extractor
(:func:`build_inception_pool3`, :func:`inception_pool3_features`) imports
torch / torchvision when called; it is torchvision's ``inception_v3``
whose weights are read from a LOCAL file (nothing is downloaded).

.. warning::
    pytorch-fid uses the TensorFlow "FID Inception" weights
    (``pt_inception-2015-12-05``), a network with slightly different blocks
    and pooling from torchvision's ImageNet ``inception_v3`` weights
    (``inception_v3_google-*.pth``). FID values computed with torchvision's
    weights are internally consistent (usable to compare our own models)
    but are **not comparable** with the paper's FID (10.47 on
    SCUT-EnsText) unless the FID-Inception weights are converted into this
    architecture's state-dict layout. For paper-comparable numbers, dump
    the predictions (``TextRemovalMetric(dump_dir=...)``) and run
    ``python -m pytorch_fid GT_DIR DUMP_DIR`` instead.
"""
import os.path as osp
import warnings
from typing import Sequence, Tuple

import numpy as np
from scipy import linalg

#: Inception-v3 input resolution (pytorch-fid resizes every image to it).
INCEPTION_SIZE: int = 299
#: Dimension of the pool3 features.
POOL3_DIM: int = 2048


def feature_statistics(features: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Mean and unbiased covariance of a feature set.

    Args:
        features: ``(N, D)`` features, ``N >= 2``.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``(D,)`` float64 mean and ``(D, D)``
        float64 covariance (``np.cov``, divisor ``N - 1``).

    Raises:
        ValueError: ``features`` is not 2-D or has fewer than 2 rows (the
            covariance is undefined).
    """
    feats = np.asarray(features, dtype=np.float64)
    if feats.ndim != 2:
        raise ValueError(f'expected (N, D) features, got shape {feats.shape}')
    if feats.shape[0] < 2:
        raise ValueError('FID needs at least 2 images per set, got '
                         f'{feats.shape[0]}')
    mu = feats.mean(axis=0)
    sigma = np.atleast_2d(np.cov(feats, rowvar=False))
    return mu, sigma


def frechet_distance(mu1: np.ndarray,
                     sigma1: np.ndarray,
                     mu2: np.ndarray,
                     sigma2: np.ndarray,
                     eps: float = 1e-6,
                     max_imag: float = 1e-3) -> float:
    """Fréchet distance of two Gaussians ``N(mu1, S1)`` and ``N(mu2, S2)``.

    ``||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr((S1 S2)^(1/2))``, the matrix
    square root by :func:`scipy.linalg.sqrtm`. When the product is
    singular (the square root is not finite), ``eps * I`` is added to both
    covariances; a complex square root with a tiny imaginary part (numerical
    noise) is replaced by its real part.

    Args:
        mu1: ``(D,)`` mean of the first set.
        sigma1: ``(D, D)`` covariance of the first set.
        mu2: ``(D,)`` mean of the second set.
        sigma2: ``(D, D)`` covariance of the second set.
        eps: diagonal offset used for singular products.
        max_imag: largest tolerated imaginary component of the diagonal of
            the square root.

    Returns:
        float: the squared Fréchet distance (what "FID" reports), ``>= 0``
        up to rounding.

    Raises:
        ValueError: mismatching shapes, or a square root with a significant
            imaginary part.
    """
    mu1, mu2 = np.atleast_1d(mu1).astype(
        np.float64), np.atleast_1d(mu2).astype(np.float64)
    sigma1 = np.atleast_2d(sigma1).astype(np.float64)
    sigma2 = np.atleast_2d(sigma2).astype(np.float64)
    if mu1.shape != mu2.shape or sigma1.shape != sigma2.shape or \
            sigma1.shape != (mu1.size, mu1.size):
        raise ValueError(f'shape mismatch: mu {mu1.shape} / {mu2.shape}, '
                         f'sigma {sigma1.shape} / {sigma2.shape}')
    diff = mu1 - mu2
    with warnings.catch_warnings():
        # singular products are handled below
        warnings.simplefilter('ignore', linalg.LinAlgWarning)
        covmean = linalg.sqrtm(sigma1 @ sigma2)
        if not np.isfinite(covmean).all():
            offset = np.eye(sigma1.shape[0]) * eps
            covmean = linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if np.iscomplexobj(covmean):
        imag = np.max(np.abs(np.diagonal(covmean).imag))
        if imag > max_imag:
            raise ValueError(f'matrix square root has an imaginary component '
                             f'{imag:.3g} (> {max_imag})')
        covmean = covmean.real
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) -
                 2.0 * np.trace(covmean))


def fid_from_features(features1: np.ndarray, features2: np.ndarray) -> float:
    """FID of two ``(N, D)`` feature sets (see :func:`frechet_distance`)."""
    mu1, sigma1 = feature_statistics(features1)
    mu2, sigma2 = feature_statistics(features2)
    return frechet_distance(mu1, sigma1, mu2, sigma2)


# --------------------------------------------------------------------------
# Feature extractor (torch / torchvision imported on use)
# --------------------------------------------------------------------------


def build_inception_pool3(weights: str, device: str = 'cpu'):
    """torchvision's Inception-v3 returning pool3 features, local weights.

    The classifier ``fc`` is replaced by an identity, so the eval-mode
    forward returns the ``(N, 2048)`` global-average-pooled features.

    Args:
        weights: path of a torchvision ``inception_v3`` state dict (e.g.
            ``inception_v3_google-0cc3c7bd.pth``), optionally wrapped in
            ``{'state_dict': ...}``; with or without the ``AuxLogits.*``
            keys. Read with ``torch.load(weights_only=True)``.
        device: where the network runs.

    Returns:
        torch.nn.Module: the network in eval mode, gradients off.

    Raises:
        FileNotFoundError: ``weights`` does not exist.
        ValueError: the file is not a torchvision Inception-v3 state dict.
    """
    import torch
    from torchvision.models import Inception3

    if not weights or not osp.isfile(weights):
        raise FileNotFoundError(
            f'Inception weights {weights!r} do not exist (FID needs a local '
            'torchvision inception_v3 state dict; nothing is downloaded)')
    state = torch.load(weights, map_location='cpu', weights_only=True)
    if isinstance(state, dict) and isinstance(state.get('state_dict'), dict):
        state = state['state_dict']
    if not isinstance(state, dict):
        raise ValueError(f'{weights}: not a state dict')
    aux = any(k.startswith('AuxLogits.') for k in state)
    model = Inception3(
        aux_logits=aux, transform_input=False, init_weights=False)
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise ValueError(
            f'{weights}: not a torchvision inception_v3 state dict (a '
            'pytorch-fid FID-Inception file must be converted first): '
            f'{str(exc)[:500]}') from None
    model.fc = torch.nn.Identity()
    model.eval().requires_grad_(False)
    return model.to(device)


def inception_pool3_features(model,
                             images: Sequence,
                             batch_size: int = 50) -> np.ndarray:
    """Pool3 features of RGB images, pytorch-fid preprocessing.

    Every image is resized to 299x299 (bilinear, ``align_corners=False``)
    and scaled from ``[0, 1]`` to ``[-1, 1]``.

    Args:
        model: from :func:`build_inception_pool3`.
        images: ``(H, W, 3)`` uint8 RGB arrays (any size each) or
            ``(3, H, W)`` float tensors in ``[0, 1]``.
        batch_size: images per forward pass.

    Returns:
        np.ndarray: ``(N, 2048)`` float64 features.
    """
    import torch
    import torch.nn.functional as F

    device = next(model.parameters()).device
    feats = []
    for start in range(0, len(images), batch_size):
        batch = []
        for img in images[start:start + batch_size]:
            if isinstance(img, np.ndarray):
                if img.ndim != 3 or img.shape[2] != 3:
                    raise ValueError('expected (H, W, 3) RGB images, got '
                                     f'shape {img.shape}')
                tensor = torch.from_numpy(np.ascontiguousarray(img)).permute(
                    2, 0, 1).float() / 255.0
            else:
                tensor = img.float()
            tensor = F.interpolate(
                tensor[None].to(device), (INCEPTION_SIZE, INCEPTION_SIZE),
                mode='bilinear',
                align_corners=False)
            batch.append(tensor)
        with torch.no_grad():
            out = model(2.0 * torch.cat(batch) - 1.0)
        feats.append(out.reshape(out.shape[0], -1).double().cpu().numpy())
    if not feats:
        return np.zeros((0, POOL3_DIM))
    return np.concatenate(feats)


__all__ = [
    'INCEPTION_SIZE', 'POOL3_DIM', 'build_inception_pool3',
    'feature_statistics', 'fid_from_features', 'frechet_distance',
    'inception_pool3_features'
]
