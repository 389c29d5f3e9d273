# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Keep per-instance arrays aligned through instance-dropping transforms."""
from typing import Callable, List, Optional, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform, Compose
from mmocr.registry import TRANSFORMS

#: Keys whose length is the number of instances, checked after the inner
#: transforms.
INSTANCE_KEYS = ('gt_bboxes', 'gt_polygons', 'gt_masks', 'gt_ignored',
                 'gt_ignore_flags')


def _take(value: Union[np.ndarray, list, tuple],
          index: np.ndarray) -> Union[np.ndarray, list]:
    """``value[index]`` for an array, a list of the items for a sequence."""
    if isinstance(value, np.ndarray):
        return value[index]
    return [value[i] for i in index]


@TRANSFORMS.register_module()
class KeepInstancesAligned(BaseTransform):
    """Run transforms and keep extra per-instance data aligned with them.

    mmocr's and mmdet's transforms drop instances (cropped away, rotated out
    of the image, too small, ignored, unfixable polygons) from the keys they
    know and leave any other per-instance key, e.g. ``gt_loss_weights``,
    untouched, which puts it out of alignment (the latent bug of I3CL's
    mmdet-2.x pipeline, spec A3). This wrapper:

    1. pops the ``keys`` and the real ``gt_bboxes_labels`` and replaces the
       labels by the instance indices ``0..N-1``;
    2. runs ``transforms`` (every instance-dropping transform listed below
       indexes ``gt_bboxes_labels`` with the same mask or indices as the
       boxes, polygons and masks, so the labels come out as the indices of
       the surviving instances, in their new order);
    3. restores ``gt_bboxes_labels = labels[idx]`` and ``key = key[idx]``.

    The ``keys`` are hidden from the inner transforms, so none of them
    filters a key twice (``gt_texts`` may be listed: mmdet's transforms do
    not filter it). When an inner transform returns None (mmocr's
    ``RemoveIgnored``/``FixInvalidPolygon`` with nothing left, mmdet's
    ``RandomCrop`` with ``allow_negative_crop=False``) so does this one.

    Verified (by reading their code in mmocr 1.0.1 / mmdet 3.1.0; the ones
    marked * also by tests/datasets/transforms/test_loss_weights.py):

    - mmocr: ``RandomCrop`` *, ``TextDetRandomCrop``, ``FixInvalidPolygon``
      ('fix' mode, through ``remove_pipeline_elements``), ``RemoveIgnored``,
      ``ImgAugWrapper`` * and so ``RandomRotate(use_canvas=False)`` (both
      drop polygons that leave the image). ``RandomRotate(use_canvas=True)``,
      ``MMOCR2MMDet`` * and ``MMDet2MMOCR`` drop nothing.
    - mmdet: ``RandomCrop`` *, ``MinIoURandomCrop``, ``RandomAffine``,
      ``RandomShift``, ``RandomCenterCropPad``, ``RandomErasing``,
      ``FilterAnnotations`` *, ``Albu`` (labels as a ``label_fields``).
    - mmdet's geometric transforms (``Rotate`` *, ``ShearX/Y``,
      ``TranslateX/Y``) drop nothing in 3.1: they project and clip the
      boxes, so a box moved out of the image stays as a zero-width or
      zero-height box with an empty mask (mmdet 2.x's ``Rotate`` dropped it,
      without its loss weight). Put ``FilterAnnotations`` after them, inside
      this wrapper, to drop such boxes.

    Not supported: transforms that mix instances of other images (mmdet's
    ``Mosaic``, ``MixUp``, ``CachedMosaic``, ``CachedMixUp``,
    ``CopyPaste``), and mmocr's ``TextDetRandomCropFlip``, which reorders
    ``gt_polygons`` without reordering its own labels and ignore flags.

    Required Keys:

    - gt_bboxes_labels
    - the ``keys`` (arrays or lists of length N)
    - whatever the inner transforms need

    Modified Keys:

    - gt_bboxes_labels
    - the ``keys``
    - whatever the inner transforms modify

    Args:
        transforms (list[dict | callable]): The inner transforms (configs
            are built from mmocr's ``TRANSFORMS``; use ``mmdet.`` prefixes
            for mmdet's).
        keys (Sequence[str]): Per-instance keys to keep aligned. Defaults to
            ``('gt_loss_weights', )``.

    Raises:
        KeyError: (at transform time) when ``gt_bboxes_labels`` or one of the
            ``keys`` is missing.
        ValueError: when a key's length is not N, or the inner transforms
            leave labels that are not distinct indices in ``[0, N)`` or whose
            number differs from that of the instances.
    """

    def __init__(
        self,
        transforms: List[Union[dict, Callable]],
        keys: Sequence[str] = ('gt_loss_weights', )
    ) -> None:
        if isinstance(keys, str):
            keys = (keys, )
        if 'gt_bboxes_labels' in keys:
            raise ValueError('KeepInstancesAligned: gt_bboxes_labels is '
                             'always kept aligned, do not list it in keys')
        self.keys = tuple(keys)
        # built here in mmocr's scope, also when not built from a config
        self.transforms = Compose([
            TRANSFORMS.build(t) if isinstance(t, dict) else t
            for t in transforms
        ])

    def transform(self, results: dict) -> Optional[dict]:
        """Run the inner transforms, then re-align the ``keys``.

        Args:
            results (dict): The result dict.

        Returns:
            dict or None: The transformed result dict, or None when an
            inner transform returned None.
        """
        where = f'KeepInstancesAligned ({results.get("img_path", "?")})'
        if results.get('gt_bboxes_labels') is None:
            raise KeyError(f'{where}: needs gt_bboxes_labels (use '
                           'LoadOCRAnnotations(with_label=True))')
        labels = np.asarray(results['gt_bboxes_labels'])
        num = len(labels)
        stash = {}
        for key in self.keys:
            if key not in results:
                raise KeyError(f'{where}: no {key!r} in the results; load it '
                               'before this transform')
            stash[key] = results.pop(key)
            if len(stash[key]) != num:
                raise ValueError(
                    f'{where}: {key!r} has {len(stash[key])} entries, but '
                    f'there are {num} instances (gt_bboxes_labels)')
        results['gt_bboxes_labels'] = np.arange(num, dtype=np.int64)
        results = self.transforms(results)
        if results is None:
            return None
        index = self._surviving(results, num, where)
        results['gt_bboxes_labels'] = labels[index]
        for key, value in stash.items():
            results[key] = _take(value, index)
        return results

    @staticmethod
    def _surviving(results: dict, num: int, where: str) -> np.ndarray:
        """The indices the labels hold now, checked against the instances."""
        index = np.asarray(results.get('gt_bboxes_labels', []))
        if index.size == 0:
            index = np.zeros(0, dtype=np.int64)
        if (index.ndim != 1 or not np.issubdtype(index.dtype, np.integer)
                or (index.size and (index.min() < 0 or index.max() >= num))
                or len(np.unique(index)) != len(index)):
            raise ValueError(
                f'{where}: after the inner transforms gt_bboxes_labels is '
                f'{index!r}, not distinct instance indices in [0, {num}); '
                'an inner transform replaced or mixed instances (see the '
                'unsupported transforms in the docstring)')
        for key in INSTANCE_KEYS:
            value = results.get(key)
            if value is not None and len(value) != len(index):
                raise ValueError(
                    f'{where}: after the inner transforms there are '
                    f'{len(value)} {key} but {len(index)} gt_bboxes_labels; '
                    'an inner transform dropped instances without dropping '
                    'their labels')
        return index

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(transforms={self.transforms}, '
                f'keys={self.keys})')
