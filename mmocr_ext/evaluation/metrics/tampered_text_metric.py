# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Tampered-IC13 pixel-level metrics from a dataset-level 3x3 confusion
matrix (spec-upocr.md section 6.3)."""
from typing import Dict, Optional

import numpy as np
from mmocr.registry import METRICS

from ..functional.pixel_confusion import tampered_scores
from .text_seg_metric import TextSegMetric


@METRICS.register_module()
class TamperedTextMetric(TextSegMetric):
    """Tampered-text detection metric (Tampered-IC13, dataset-level).

    Classes 0 background, 1 real text, 2 tampered text. One 3x3 confusion
    matrix (rows ground truth, columns prediction) over the evaluation set,
    from the argmax maps ``pred_sem_seg.data`` and ``gt_sem_seg.data``
    (``(1, h, w)``, original resolution). Ground-truth pixels equal to
    ``ignore_index`` (or outside {0, 1, 2}) are skipped. Returns
    ``real_{IoU,P,R,F}`` and ``tampered_{IoU,P,R,F}`` (definitions of
    :class:`TextSegMetric`, per class), ``mIoU`` and ``mF`` = the mean over
    the two text classes (background excluded), as fractions. This is the
    pixel-level protocol of UPOCR, not the box-level RRC script shipped
    with Tampered-IC13. Samples of other tasks (metainfo ``task``) are
    ignored.

    Args:
        ignore_index (int): Ground-truth value not counted. Defaults to 255.
        collect_device (str): 'cpu' or 'gpu'. Defaults to 'cpu'.
        prefix (str, optional): Metric-name prefix. Defaults to None
            ('ttd').
    """
    default_prefix: Optional[str] = 'ttd'
    num_classes: int = 3
    task: str = 'tamper_detection'

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Per-class and mean scores of the summed confusion matrix."""
        hist: np.ndarray = self._hist(results)
        return tampered_scores(hist)
