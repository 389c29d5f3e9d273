# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""An mmocr ``OCRDataset`` that validates its annotations when loaded."""
import json
import numbers
import os.path as osp
from typing import List, Sequence

from mmocr.datasets import OCRDataset
from mmocr.registry import DATASETS


class AnnotationError(ValueError):
    """An annotation file or one of its entries is unusable."""


def _is_number_list(value: object, lengths: Sequence[int] = ()) -> bool:
    """Whether ``value`` is a flat list of real numbers of a valid length."""
    if not isinstance(value, (list, tuple)):
        return False
    if lengths and len(value) not in lengths:
        return False
    return all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value)


@DATASETS.register_module()
class CheckedOCRDataset(OCRDataset):
    """:class:`mmocr.datasets.OCRDataset` that checks its data up front.

    mmocr's ``OCRDataset`` trusts the annotation file: a missing image or a
    malformed polygon only surfaces as a crash deep inside a data-loader
    worker, mid-epoch, often without the file name. This subclass checks, when
    the dataset is built (before the first iteration):

    1. the annotation file parses (JSON/YAML/pickle errors are re-raised as
       :class:`AnnotationError` naming the file);
    2. every image file exists (local paths only);
    3. every instance's ``polygon`` is a flat list of an even number (>= 6)
       of numbers, its ``bbox`` (if present) 4 numbers with x1<=x2, y1<=y2,
       and ``ignore`` (if present) a bool.

    The first problem found raises :class:`AnnotationError` with the
    annotation file, the entry index and image path, and what is wrong.
    Everything else behaves exactly as ``OCRDataset`` (same arguments).
    """

    def load_data_list(self) -> List[dict]:
        """Load the annotation file via ``OCRDataset`` and validate it.

        Returns:
            list[dict]: the parsed data list, as ``OCRDataset`` returns it.
        """
        try:
            data_list = super().load_data_list()
        except FileNotFoundError as e:
            raise AnnotationError(
                f'annotation file {self.ann_file} does not exist') from e
        except (json.JSONDecodeError, ValueError, TypeError, KeyError) as e:
            raise AnnotationError(
                f'annotation file {self.ann_file} is malformed: '
                f'{type(e).__name__}: {e}') from e
        for index, info in enumerate(data_list):
            self._check_entry(index, info)
        return data_list

    def _check_entry(self, index: int, info: dict) -> None:
        """Raise :class:`AnnotationError` if entry ``index`` is unusable."""
        img_path = info.get('img_path')
        where = f'{self.ann_file}: data_list[{index}] (img_path={img_path!r})'
        if not isinstance(img_path, str):
            raise AnnotationError(f'{where}: missing "img_path"')
        if '://' not in img_path and not osp.isfile(img_path):
            raise AnnotationError(f'{where}: image file {img_path} not found')
        instances = info.get('instances', [])
        if not isinstance(instances, list):
            raise AnnotationError(f'{where}: "instances" must be a list')
        for j, inst in enumerate(instances):
            problem = self._instance_problem(inst)
            if problem:
                raise AnnotationError(f'{where}: instances[{j}] {problem}')

    @staticmethod
    def _instance_problem(inst: object) -> str:
        """Describe what is wrong with one instance ('' if nothing)."""
        if not isinstance(inst, dict):
            return f'must be a dict, got {type(inst).__name__}'
        if 'polygon' in inst:
            poly = inst['polygon']
            if not (_is_number_list(poly) and len(poly) >= 6
                    and len(poly) % 2 == 0):
                return (
                    '"polygon" must be a flat list of an even number '
                    f'(>= 6) of numbers [x1, y1, x2, y2, ...], got {poly!r}')
        if 'bbox' in inst:
            box = inst['bbox']
            if not (_is_number_list(box, (4, )) and box[0] <= box[2]
                    and box[1] <= box[3]):
                return f'"bbox" must be [x1, y1, x2, y2], got {box!r}'
        if 'ignore' in inst and not isinstance(inst['ignore'], bool):
            return f'"ignore" must be true/false, got {inst["ignore"]!r}'
        return ''
