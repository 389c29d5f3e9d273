# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Read each instance's semi-supervised loss weight (I3CL, spec A3)."""
import math
import numbers

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS


def _check_weight(value: object, where: str) -> float:
    """``value`` as a float; ValueError unless a finite number >= 0."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise ValueError(f'{where}: loss weight must be a number, got '
                         f'{value!r}')
    if not math.isfinite(value) or value < 0:
        raise ValueError(f'{where}: loss weight must be finite and >= 0, '
                         f'got {value!r}')
    return float(value)


@TRANSFORMS.register_module()
class LoadInstanceLossWeights(BaseTransform):
    """Load the per-instance loss weights of I3CL's pseudo-labelled data.

    I3CL's ``*_lossweight.json`` annotations carry a float ``lossweight`` per
    instance; the RPN and R-CNN box losses of a positive sample are scaled by
    the weight of its ground-truth instance (spec A3). Place this transform
    right after :class:`mmocr.datasets.transforms.LoadOCRAnnotations`, which
    keeps every instance (ignored ones included) in order, so the weights
    line up with ``gt_bboxes``/``gt_polygons``/``gt_bboxes_labels``. Wrap any
    transform that may drop instances in
    :class:`~mmocr_ext.datasets.transforms.KeepInstancesAligned`.

    Required Keys:

    - instances (each instance may have the key ``weight_key``)
    - img_path (optional, for error messages)

    Added Keys:

    - gt_loss_weights (np.float32, shape (N, ))

    Args:
        weight_key (str): The instance key holding the weight. Defaults to
            ``'lossweight'``.
        default (float): The weight of an instance without that key (ground
            truth). Defaults to 1.0.

    Raises:
        ValueError: (at transform time) for a weight that is not a finite
            number >= 0, naming the image and the instance index.
    """

    def __init__(self,
                 weight_key: str = 'lossweight',
                 default: float = 1.0) -> None:
        self.weight_key = weight_key
        self.default = _check_weight(default, 'LoadInstanceLossWeights')

    def transform(self, results: dict) -> dict:
        """Add ``gt_loss_weights``.

        Args:
            results (dict): Result dict from the dataset.

        Returns:
            dict: ``results`` with ``gt_loss_weights``.
        """
        img = results.get('img_path', '<unknown image>')
        weights = [
            _check_weight(
                inst.get(self.weight_key, self.default),
                f'{img}: instances[{i}] "{self.weight_key}"')
            for i, inst in enumerate(results['instances'])
        ]
        results['gt_loss_weights'] = np.array(weights, dtype=np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(weight_key={self.weight_key!r}, '
                f'default={self.default})')
