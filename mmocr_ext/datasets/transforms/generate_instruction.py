# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR's instruction generation as a data transform (spec B5)."""
from typing import Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

from ..instructions import (ALL_TEXT, parse_instruction, sample_instruction,
                            select_instances, valid_mask)
from .instance_filter import INSTANCE_KEYS, filter_instances, num_instances

STAGES = ('pretrain', 'instruction', 'test')
ORDERS = ('after_aug', 'before_aug')


@TRANSFORMS.register_module()
class GenerateInstruction(BaseTransform):
    """Write an instruction and keep only the instances it selects.

    The plain instruction text (e.g. ``'text of number'``) goes to
    ``results['instruction']``; add ``'instruction'`` to the ``meta_keys`` of
    ``PackTextDetInputs`` so the model finds it in ``metainfo``. Templates,
    predicates and sampling are :mod:`mmocr_ext.datasets.instructions`.

    Stages:

    - ``'pretrain'``: always ``'all text'``; ignored (``ignore`` flag or
      ``'###'``) instances are dropped, as the official code drops them
      before anything else.
    - ``'instruction'``: a template instruction drawn from the surviving
      valid instances (:func:`~mmocr_ext.datasets.instructions.\
sample_instruction`); only the selected ones are kept, ignored ones are
      dropped.
    - ``'test'`` (val/test): ``'all text'`` (or the fixed ``instruction``);
      ignored instances are **kept**, flagged, so metrics can treat them as
      "don't care" regions. With a fixed filtering instruction (to measure
      instruction following) the valid instances it does not select are
      dropped; ignored ones stay (their text is unknown, so a prediction
      there can be neither right nor wrong).

    A fixed ``instruction`` in a training stage is applied like a drawn one
    (ignored instances dropped). It must be a template (free-form
    instructions, e.g. VQA questions, have no predicate: ``ValueError``).

    Placement (``order``): ``'after_aug'`` (default, spec B5 [inference]):
    put this transform after the geometric augmentation (crop, rotate,
    resize) and before ``PackTextDetInputs``, so the statistics and the
    selection see the instances that survived augmentation.
    ``'before_aug'`` (strict parity with the official code, which draws the
    instruction in the dataset before augmenting): put it right after
    ``LoadOCRAnnotations``; instances a later crop drops then just leave the
    already filtered set. The transform itself does the same in both cases:
    ``order`` documents the choice in the config and in ``repr``. Either way
    ``gt_texts`` must stay aligned through augmentation: mmocr's
    ``RandomCrop``, ``ImgAugWrapper`` (and so ``RandomRotate``, which drops
    nothing with ``use_canvas=True``), ``RemoveIgnored`` and
    ``FixInvalidPolygon`` filter it with the polygons; ``TextDetRandomCrop``
    and mmdet's transforms do not (wrap them in
    ``KeepInstancesAligned(keys=('gt_texts', ))``).

    Required Keys:

    - gt_texts (unless the stage is ``'test'`` and the instruction is
      ``'all text'``)
    - gt_ignored (optional)

    Modified Keys:

    - gt_polygons, gt_bboxes, gt_bboxes_labels, gt_ignored, gt_texts
      (those present, or the ``keys``)

    Added Keys:

    - instruction (str)

    Args:
        stage (str): ``'pretrain'``, ``'instruction'`` or ``'test'``.
            Defaults to ``'pretrain'``.
        instruction (str, optional): A fixed template instruction instead of
            drawing one. Defaults to None.
        order (str): ``'after_aug'`` or ``'before_aug'`` (see above).
            Defaults to ``'after_aug'``.
        seed (int, optional): Seeds a generator owned by this transform
            (reproducible in one process; dataloader workers would share the
            stream, so leave it None for training). None draws each image's
            generator seed from numpy's global state, which mmengine seeds
            per worker. Defaults to None.
        keys (Sequence[str]): Per-instance keys to filter. Defaults to
            ``('gt_polygons', 'gt_bboxes', 'gt_bboxes_labels', 'gt_ignored',
            'gt_texts')``.
    """

    def __init__(self,
                 stage: str = 'pretrain',
                 instruction: Optional[str] = None,
                 order: str = 'after_aug',
                 seed: Optional[int] = None,
                 keys: Sequence[str] = INSTANCE_KEYS) -> None:
        if stage not in STAGES:
            raise ValueError(f'GenerateInstruction: stage must be one of '
                             f'{STAGES}, got {stage!r}')
        if order not in ORDERS:
            raise ValueError(f'GenerateInstruction: order must be one of '
                             f'{ORDERS}, got {order!r}')
        if instruction is not None and parse_instruction(instruction) is None:
            raise ValueError(
                f'GenerateInstruction: {instruction!r} is not a template '
                'instruction (see mmocr_ext.datasets.instructions.TEMPLATES)')
        self.stage, self.order, self.seed = stage, order, seed
        self.instruction = (None
                            if instruction is None else instruction.strip())
        self.keys = tuple(keys)
        self._rng = None if seed is None else np.random.default_rng(seed)

    def _generator(self) -> np.random.Generator:
        if self._rng is not None:
            return self._rng
        return np.random.default_rng(np.random.randint(0, 2**31 - 1))

    def transform(self, results: dict) -> dict:
        """Draw (or set) the instruction and filter the instances.

        Args:
            results (dict): The result dict.

        Returns:
            dict: With ``instruction`` and the kept instances only.
        """
        where = f'GenerateInstruction ({results.get("img_path", "?")})'
        num = num_instances(results, self.keys, where)
        texts = results.get('gt_texts')
        ignored = results.get('gt_ignored')
        ignored = (
            np.zeros(num, bool) if ignored is None else np.asarray(
                ignored, bool).reshape(-1))
        fixed = self.instruction
        if self.stage == 'test' and fixed in (None, ALL_TEXT):
            results['instruction'] = ALL_TEXT
            return results
        if texts is None:
            if num == 0:
                texts = []
            else:
                raise KeyError(f'{where}: needs gt_texts (use '
                               'LoadOCRAnnotations(with_text=True))')
        valid = np.asarray(valid_mask(texts, ignored), bool)
        if fixed is None:
            fixed, keep = sample_instruction(texts, self.stage,
                                             self._generator(), ignored)
            keep = np.asarray(keep, bool)
        else:
            keep = valid & np.asarray(select_instances(fixed, texts), bool)
        if self.stage == 'test':
            keep = keep | ~valid
        results['instruction'] = fixed
        return filter_instances(results, keep, self.keys)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(stage={self.stage!r}, '
                f'instruction={self.instruction!r}, order={self.order!r}, '
                f'seed={self.seed})')
