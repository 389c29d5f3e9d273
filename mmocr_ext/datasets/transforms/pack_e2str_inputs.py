# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""mmocr's ``PackTextRecogInputs`` that also packs E2STR's ICL views."""
from typing import Sequence, Tuple

import numpy as np
import torch
from mmocr.datasets.transforms import PackTextRecogInputs
from mmocr.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackE2STRInputs(PackTextRecogInputs):
    """:class:`mmocr.datasets.transforms.PackTextRecogInputs` plus ICL views.

    The views of :class:`~mmocr_ext.datasets.transforms.E2STRICLViews` go to
    the data sample's metainfo as

    - ``icl_imgs`` (torch.uint8, (n, 3, h, w), the channel order of the
      main image; (0, 3, h, w) without views);
    - ``icl_texts`` (list[str]);
    - ``icl_kinds`` (list[str], ``'transform'`` or ``'split'``).

    They are present on every sample, so mmengine's ``pseudo_collate``
    gives a uniform batch; without ``icl_views`` (e.g. a test pipeline) they
    are empty. Being metainfo, ``icl_imgs`` stays on the CPU when the data
    preprocessor moves the batch (``BaseDataElement.to`` moves data fields
    only): the model moves it, unnormalised uint8, where it needs it.

    Required Keys: as ``PackTextRecogInputs``, plus

    - icl_views (list[dict]) (optional)

    Args:
        meta_keys (Sequence[str]): As ``PackTextRecogInputs``. Defaults to
            ``('img_path', 'ori_shape', 'img_shape', 'pad_shape',
            'valid_ratio')``.
        icl_scale (tuple[int, int]): The (width, height) of every view, the
            shape of an empty ``icl_imgs``. Defaults to (128, 32).

    Raises:
        ValueError: (at transform time) for a view of another size.
    """

    def __init__(
        self,
        meta_keys: Sequence[str] = ('img_path', 'ori_shape', 'img_shape',
                                    'pad_shape', 'valid_ratio'),
        icl_scale: Tuple[int, int] = (128, 32)
    ) -> None:
        super().__init__(meta_keys=tuple(meta_keys))
        self.icl_scale = (int(icl_scale[0]), int(icl_scale[1]))

    def transform(self, results: dict) -> dict:
        """Pack the inputs, the text and the ICL views.

        Args:
            results (dict): Result dict from the data pipeline.

        Returns:
            dict: ``inputs`` and ``data_samples`` (a ``TextRecogDataSample``
            with ``icl_imgs``, ``icl_texts`` and ``icl_kinds``).
        """
        packed = super().transform(results)
        width, height = self.icl_scale
        views = results.get('icl_views') or []
        imgs = []
        for k, view in enumerate(views):
            img = view['img']
            if tuple(img.shape) != (height, width, 3):
                raise ValueError(
                    f'{results.get("img_path", "<unknown image>")}: ICL view '
                    f'{k} has shape {img.shape}, expected ({height}, {width},'
                    ' 3)')
            imgs.append(img)
        if imgs:
            stacked = np.ascontiguousarray(
                np.stack(imgs).transpose(0, 3, 1, 2)).astype(np.uint8)
            icl_imgs = torch.from_numpy(stacked)
        else:
            icl_imgs = torch.zeros((0, 3, height, width), dtype=torch.uint8)
        sample = packed['data_samples']
        sample.set_metainfo(
            dict(
                icl_imgs=icl_imgs,
                icl_texts=[str(v['text']) for v in views],
                icl_kinds=[str(v['kind']) for v in views]))
        return packed

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(meta_keys={self.meta_keys}, '
                f'icl_scale={self.icl_scale})')
