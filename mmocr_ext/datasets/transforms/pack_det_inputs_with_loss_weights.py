# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""mmdet's ``PackDetInputs`` that also packs per-instance loss weights."""
from typing import Sequence

from mmdet.datasets.transforms import PackDetInputs
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackDetInputsWithLossWeights(PackDetInputs):
    """:class:`mmdet.datasets.transforms.PackDetInputs` plus loss weights.

    ``gt_loss_weights`` (from
    :class:`~mmocr_ext.datasets.transforms.LoadInstanceLossWeights`) is packed
    as ``data_samples.gt_instances.loss_weights`` (a float tensor, shape
    (N, ), aligned with ``gt_instances.bboxes``); the weights of instances
    flagged in ``gt_ignore_flags`` go to ``ignored_instances.loss_weights``,
    exactly as ``PackDetInputs`` splits the labels. Without
    ``gt_loss_weights`` the output is that of ``PackDetInputs``.

    Required Keys: as ``PackDetInputs``, plus

    - gt_loss_weights (np.float32, shape (N, )) (optional)

    Args:
        meta_keys (Sequence[str]): Keys of the results copied to the data
            sample's metainfo; each must be present. Defaults to mmocr's
            ``PackTextDetInputs`` keys ``('img_path', 'ori_shape',
            'img_shape', 'scale_factor', 'flip', 'flip_direction')``:
            mmdet's default adds ``img_id``, which mmocr's ``OCRDataset``
            does not provide (``scale_factor`` and ``flip*`` come from the
            training pipeline's resize and flip).
    """
    mapping_table = {
        **PackDetInputs.mapping_table, 'gt_loss_weights': 'loss_weights'
    }

    def __init__(
        self,
        meta_keys: Sequence[str] = ('img_path', 'ori_shape', 'img_shape',
                                    'scale_factor', 'flip', 'flip_direction')
    ) -> None:
        super().__init__(meta_keys=tuple(meta_keys))
