# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR text-removal metric (SCUT-EnsText protocol, spec-upocr.md 6.1)."""
import io
import math
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmocr.registry import METRICS

from ..functional import pixel_metrics as pm
from ..functional.pixel_ssim import ms_ssim

#: Metric names, in report order (``MS_SSIM``: correct multi-scale SSIM).
REMOVAL_KEYS = ('PSNR', 'MSSIM', 'MS_SSIM', 'MSE', 'AGE', 'pEPs', 'pCEPs')


def quantize_prediction(img) -> np.ndarray:
    """``floor(clamp(x, 0, 1) * 255)`` as an ``(H, W, 3)`` uint8 RGB array.

    What the official inference writes to its PNG files (``uint8``
    truncation, not rounding).

    Args:
        img (Tensor or np.ndarray): ``(3, H, W)`` float in ``[0, 1]``.

    Returns:
        np.ndarray: ``(H, W, 3)`` uint8.
    """
    if hasattr(img, 'detach'):
        img = img.detach().float().cpu().numpy()
    arr = np.asarray(img, dtype=np.float32)
    if arr.ndim != 3 or arr.shape[0] != 3:
        raise ValueError(f'expected a (3, H, W) prediction, got {arr.shape}')
    arr = np.floor(np.clip(arr, 0.0, 1.0) * np.float32(255.0))
    return np.ascontiguousarray(arr.transpose(1, 2, 0).astype(np.uint8))


def _read_gt(gt_path: str, size: Optional[int], img_path: str) -> np.ndarray:
    """``read_removal_image`` with errors naming the file."""
    if not osp.isfile(gt_path):
        raise FileNotFoundError(f'text-removal ground truth {gt_path} (of '
                                f'{img_path}) does not exist')
    try:
        return pm.read_removal_image(gt_path, size)
    except (OSError, ValueError) as exc:
        raise ValueError(f'text-removal ground truth {gt_path} (of '
                         f'{img_path}) cannot be read: {exc}') from None


@METRICS.register_module()
class TextRemovalMetric(BaseMetric):
    """Text-removal metric of UPOCR / EraseNet (SCUT-EnsText, spec 6.1).

    For every image, ``pred_pixel.img`` ((3, H, W) float in [0, 1], the
    network-resolution output, 512x512 with the official pipeline) is
    quantised to uint8 as the official PNG files are (floor of x 255), and
    compared with the clean image read from the metainfo ``gt_path`` with
    PIL and torchvision's ``Resize(gt_resize)`` rule (shorter side to 512,
    bicubic). Per image: ``MSE``, ``PSNR``, ``AGE``, ``pEPs``, ``pCEPs`` and
    the official, bug-compatible ``MSSIM`` (all five "scales" at full
    resolution: ``cs^0.8668 * ssim^0.1333``), plus ``MS_SSIM``, a correct
    multi-scale SSIM reported beside it (cores in
    :mod:`mmocr_ext.evaluation.functional.pixel_metrics`). The results are
    means over the images; an image whose MSE is 0 (prediction identical to
    the ground truth) is not counted, as in the official script; the number
    of such images is logged. ``MSE``, ``MSSIM``, ``MS_SSIM``, ``pEPs`` and
    ``pCEPs`` are fractions (the paper prints MSSIM in %, MSE x 1e-2), AGE
    in grey levels, PSNR in dB.

    Only ``text_removal`` samples are scored: a sample whose metainfo
    ``task`` is another one (a test set mixing the tasks, one metric per
    task in the evaluator) is ignored; a sample without ``task`` is scored.
    ``gt_resize`` must give the network resolution (512 with the official
    pipeline; the toy configs use a smaller one).

    FID (``compute_fid=True``): pool3 features of torchvision's
    ``inception_v3`` read from the local state dict ``inception_weights``,
    of the quantised predictions and of the ground-truth images at their
    file size, resized to 299 (pytorch-fid's preprocessing); ``FID`` is
    the Fréchet distance of the two feature sets (at least 2 images). The
    features are computed in :meth:`process`, in chunks of
    ``fid_batch_size``. **Not comparable with the paper's FID**: pytorch-fid
    uses the TensorFlow FID-Inception weights, which differ from
    torchvision's (see :mod:`mmocr_ext.evaluation.functional.fid`); for
    paper-comparable numbers set ``dump_dir`` and run ``python -m
    pytorch_fid GT_DIR DUMP_DIR``.

    Args:
        dump_dir (str, optional): Also write every quantised prediction to
            ``dump_dir/<image stem>.png`` (atomically), the official
            inference output. Defaults to None.
        compute_fid (bool): Compute FID. Defaults to False.
        inception_weights (str, optional): Local torchvision
            ``inception_v3`` state dict (needed with ``compute_fid``).
        fid_batch_size (int): Inception batch size. Defaults to 50.
        gt_resize (int, optional): Shorter side the ground truth is resized
            to (bicubic); None: not resized. Defaults to 512. pEPs and pCEPs
            are fractions of 512 * 512 pixels with 512 (the official
            script's constant), of the image's own pixel count otherwise.
        pceps_border_value (bool): Erosion border value of pCEPs (see
            :func:`~mmocr_ext.evaluation.functional.pixel_metrics.pceps`).
            Defaults to False.
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Metric-name prefix. Defaults to None
            ('textremoval').

    Raises:
        FileNotFoundError: ``compute_fid`` and ``inception_weights`` does
            not exist (at construction); a ground-truth file does not
            exist (in :meth:`process`).
        ValueError: a ground-truth file cannot be decoded, or its size
            differs from the prediction's; no ``gt_path`` in the metainfo.
    """
    default_prefix: Optional[str] = 'textremoval'

    def __init__(self,
                 dump_dir: Optional[str] = None,
                 compute_fid: bool = False,
                 inception_weights: Optional[str] = None,
                 fid_batch_size: int = 50,
                 gt_resize: Optional[int] = 512,
                 pceps_border_value: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if compute_fid and (inception_weights is None
                            or not osp.isfile(inception_weights)):
            raise FileNotFoundError(
                f'TextRemovalMetric(compute_fid=True): inception_weights '
                f'{inception_weights!r} does not exist (a local torchvision '
                'inception_v3 state dict; nothing is downloaded)')
        if fid_batch_size < 1:
            raise ValueError('fid_batch_size must be at least 1')
        self.dump_dir = dump_dir
        self.compute_fid = compute_fid
        self.inception_weights = inception_weights
        self.fid_batch_size = fid_batch_size
        self.gt_resize = gt_resize
        self.pceps_border_value = pceps_border_value
        self._inception = None

    # ------------------------------------------------------------------
    def _dump(self, name: str, pred: np.ndarray) -> None:
        """Write ``pred`` to ``dump_dir/<name>.png`` atomically."""
        from PIL import Image

        from mmocr_ext.compat.atomic_save import atomic_write
        buf = io.BytesIO()
        Image.fromarray(pred).save(buf, format='PNG')
        atomic_write(buf.getvalue(), osp.join(self.dump_dir, f'{name}.png'))

    def _features(self, images: List[np.ndarray], device) -> np.ndarray:
        from ..functional.fid import (build_inception_pool3,
                                      inception_pool3_features)
        if self._inception is None:
            self._inception = build_inception_pool3(self.inception_weights,
                                                    device)
        return inception_pool3_features(self._inception, images,
                                        self.fid_batch_size).astype(np.float32)

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Per-image metrics (and Inception features) of a batch.

        Args:
            data_batch (Sequence[Dict]): A batch from the dataloader.
            data_samples (Sequence[Dict]): Model outputs with metainfo
                ``img_path``, ``gt_path`` and ``pred_pixel.img``
                ((3, H, W) float in [0, 1]).
        """
        rows, fid_pred, fid_gt, device = [], [], [], 'cpu'
        for ds in data_samples:
            if ds.get('task', 'text_removal') != 'text_removal':
                continue
            img_path = ds.get('img_path', None) or '<unnamed image>'
            gt_path = ds.get('gt_path', None)
            if gt_path is None:
                raise ValueError(f'{img_path}: no gt_path in the metainfo '
                                 '(the clean image TextRemovalMetric reads)')
            pred_field = ds.get('pred_pixel', None)
            pred_img = (
                pred_field.get('img', None)
                if pred_field is not None else None)
            if pred_img is None:
                raise ValueError(f'{img_path}: no pred_pixel.img')
            if hasattr(pred_img, 'device'):
                device = pred_img.device
            pred = quantize_prediction(pred_img)
            gt = _read_gt(gt_path, self.gt_resize, img_path)
            if gt.shape != pred.shape:
                raise ValueError(
                    f'{img_path}: prediction {pred.shape[:2]} and ground '
                    f'truth {gt_path} {gt.shape[:2]} (after Resize('
                    f'{self.gt_resize})) have different sizes')
            pred_f = pred.astype(np.float32) / np.float32(255.0)
            # The official script divides pEPs/pCEPs by 512 * 512 (its
            # images are 512 x 512); at any other resolution, by H * W.
            num_pixels = (
                pm.OFFICIAL_NUM_PIXELS if self.gt_resize == 512 else None)
            row = pm.text_removal_metrics(
                gt,
                pred_f,
                num_pixels=num_pixels,
                pceps_border_value=self.pceps_border_value)
            row['MS_SSIM'] = math.nan
            if row['MSE'] != 0:
                row['MS_SSIM'] = ms_ssim(255 * pm.rgb_to_luma(gt),
                                         255 * pm.rgb_to_luma(pred_f))
            name = osp.splitext(osp.basename(img_path))[0]
            if self.dump_dir is not None:
                self._dump(name, pred)
            rows.append(dict(name=name, row=row))
            if self.compute_fid:
                fid_pred.append(pred)
                raw = _read_gt(gt_path, None, img_path)
                fid_gt.append(np.round(raw * 255).astype(np.uint8))
        if self.compute_fid and rows:
            feats_pred = self._features(fid_pred, device)
            feats_gt = self._features(fid_gt, device)
            for res, fp, fg in zip(rows, feats_pred, feats_gt):
                res['fid_pred'], res['fid_gt'] = fp, fg
        self.results.extend(rows)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Means over the counted images (and FID).

        Returns:
            dict[str, float]: ``PSNR``, ``MSSIM``, ``MS_SSIM``, ``MSE``,
            ``AGE``, ``pEPs``, ``pCEPs`` (``nan`` when no image is
            counted) and, with ``compute_fid``, ``FID``.
        """
        logger = MMLogger.get_current_instance()
        acc = pm.TextRemovalAccumulator()
        ms_sum = 0.0
        for res in results:
            acc.add_row(res['row'])
            if res['row']['MSE'] != 0:
                ms_sum += res['row']['MS_SSIM']
        metrics = acc.summarize()
        metrics['MS_SSIM'] = ms_sum / acc.count if acc.count else math.nan
        logger.info(f'TextRemovalMetric: {acc.count} images counted, '
                    f'{acc.skipped} skipped (MSE == 0: prediction identical '
                    'to the ground truth, as in the official script)')
        out = {key: float(metrics[key]) for key in REMOVAL_KEYS}
        if self.compute_fid:
            from ..functional.fid import fid_from_features
            try:
                out['FID'] = fid_from_features(
                    np.stack([r['fid_gt'] for r in results]),
                    np.stack([r['fid_pred'] for r in results]))
            except ValueError as exc:
                logger.warning(f'TextRemovalMetric: FID not computed: {exc}')
                out['FID'] = math.nan
        return out
