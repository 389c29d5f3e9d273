# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""TextSeg foreground IoU / P / R / F from a dataset-level 2x2 confusion
matrix (spec-upocr.md section 6.2)."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmocr.registry import METRICS

from ..functional.pixel_confusion import confusion_matrix, textseg_scores


def _field(data_sample, key: str):
    """``data_sample[key]`` for a data sample or its ``to_dict()``."""
    return data_sample.get(key, None) if data_sample is not None else None


def _as_map(value) -> np.ndarray:
    """A ``(1, h, w)`` / ``(h, w)`` tensor or array as an (h, w) array."""
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    arr = np.asarray(value)
    if arr.ndim == 3 and arr.shape[0] == 1:
        arr = arr[0]
    return arr


def sem_seg_pair(
        data_sample,
        ignore_index: Optional[int] = 255) -> Tuple[np.ndarray, np.ndarray]:
    """Ground-truth and predicted class maps of one evaluated image.

    Args:
        data_sample (PixelOCRDataSample or dict): with ``gt_sem_seg.data``
            and ``pred_sem_seg.data``, each ``(1, h, w)`` integer maps at the
            original resolution, and ``img_path`` (for error messages).
        ignore_index (int, optional): ground-truth value that is not
            counted; mapped to -1.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``(h, w)`` int64 ground truth (-1 =
        ignored) and ``(h, w)`` int64 prediction.

    Raises:
        ValueError: a map is missing, or the two sizes differ; the message
            names the image.
    """
    name = _field(data_sample, 'img_path') or '<unnamed image>'
    maps = []
    for key in ('gt_sem_seg', 'pred_sem_seg'):
        field = _field(data_sample, key)
        data = _field(field, 'data')
        if data is None:
            hint = (' (the test pipeline must keep the original-size '
                    'ground truth)' if key == 'gt_sem_seg' else
                    ' (the model must predict in mode "predict")')
            raise ValueError(f'{name}: no {key}.data{hint}')
        maps.append(_as_map(data).astype(np.int64))
    gt, pred = maps
    if gt.shape != pred.shape:
        raise ValueError(f'{name}: prediction {pred.shape} and ground truth '
                         f'{gt.shape} have different sizes')
    if ignore_index is not None:
        gt = np.where(gt == ignore_index, -1, gt)
    return gt, pred


@METRICS.register_module()
class TextSegMetric(BaseMetric):
    """TextSeg text-segmentation metric (dataset-level, spec 6.2).

    One 2x2 confusion matrix (rows ground truth, columns prediction) is
    accumulated over the whole evaluation set from ``pred_sem_seg.data``
    and ``gt_sem_seg.data`` (both ``(1, h, w)`` at the original
    resolution; the model does the thresholding); ground-truth pixels equal
    to ``ignore_index`` or outside {0, 1} are skipped. Returns, for the text
    class 1, ``fgIoU = TP / (TP + FP + FN)``, ``P = TP / (TP + FP)``,
    ``R = TP / (TP + FN)`` and ``F = 2PR / (P + R)``, as fractions (the
    paper prints percentages); ``nan`` where undefined.

    Only samples of its task are scored: a sample whose metainfo ``task``
    is another one (a test set mixing the three tasks, with one metric per
    task in the evaluator) is ignored; a sample without ``task`` is scored.

    Args:
        ignore_index (int): Ground-truth value not counted. Defaults to 255.
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Metric-name prefix. Defaults to None
            ('textseg').
    """
    default_prefix: Optional[str] = 'textseg'
    num_classes: int = 2
    #: The task whose samples are scored.
    task: str = 'text_segmentation'

    def __init__(self,
                 ignore_index: int = 255,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.ignore_index = ignore_index

    def process(self, data_batch: Sequence[Dict],
                data_samples: Sequence[Dict]) -> None:
        """Keep the ``(n, n)`` confusion counts of every image.

        Args:
            data_batch (Sequence[Dict]): A batch from the dataloader.
            data_samples (Sequence[Dict]): Model outputs (see the class).
        """
        for data_sample in data_samples:
            if data_sample.get('task', self.task) != self.task:
                continue
            gt, pred = sem_seg_pair(data_sample, self.ignore_index)
            try:
                counts = confusion_matrix(gt, pred, self.num_classes)
            except ValueError as exc:
                name = _field(data_sample, 'img_path') or '<unnamed image>'
                raise ValueError(f'{name}: {exc}') from None
            self.results.append(counts)

    def _hist(self, results: list) -> np.ndarray:
        hist = np.zeros((self.num_classes, self.num_classes), dtype=np.int64)
        for counts in results:
            hist += counts
        MMLogger.get_current_instance().info(
            f'{type(self).__name__}: {len(results)} {self.task} images, '
            f'confusion matrix (rows gt, columns prediction):\n{hist}')
        return hist

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """``fgIoU``, ``P``, ``R``, ``F`` of the summed confusion matrix."""
        return textseg_scores(self._hist(results))
