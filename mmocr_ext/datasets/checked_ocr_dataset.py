# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""An mmocr ``OCRDataset`` that validates its annotations when loaded."""
import json
import logging
import os.path as osp
from typing import Any, Dict, List, Optional

from mmengine.logging import print_log
from mmocr.datasets import OCRDataset
from mmocr.registry import DATASETS

from .annotation_checker import (AnnotationChecker, AnnotationError,
                                 image_problem)

FILTER_KEYS = ('filter_empty_gt', 'min_size')


def _trainable(inst: dict) -> bool:
    """An instance the loss can learn from (not ``ignore``)."""
    return not inst.get('ignore', False)


@DATASETS.register_module()
class CheckedOCRDataset(OCRDataset):
    """:class:`mmocr.datasets.OCRDataset` that checks its data up front.

    When the dataset is built (before the first iteration) the annotation
    file must parse, every image must exist, and every entry passes
    :class:`~mmocr_ext.datasets.annotation_checker.AnnotationChecker`
    (finite coordinates, polygons of >= 3 points with non-zero area, valid or
    repaired, int ``bbox_label``, ``height``/``width`` matching the image
    header, decodable images, no duplicate entries) with the per-problem
    policy ``on_problem``. A summary line of what was skipped, repaired and
    filtered is logged. An empty data list, or a training set without a
    single non-ignored instance, is an :class:`AnnotationError`.

    ``filter_cfg`` (training only, as in mmdet): ``filter_empty_gt=True``
    drops images without any instance (ignored ``###`` instances count as
    annotations, as in mmdet's ``CocoDataset`` and mmocr 0.x), and
    ``min_size=N`` drops images whose shorter side is < N. Other keys are an
    error.

    At run time, a sample whose image vanished or changed since the check is
    skipped (another index is drawn, as mmengine does for ``None``), counted
    and logged with its path; more than ``max_skip_fraction`` of the dataset
    skipped (per process) stops the run.

    Args:
        on_problem (dict, optional): Policy overrides, see
            :data:`~mmocr_ext.datasets.annotation_checker.DEFAULT_POLICY`.
        decode_check (str): ``'header'`` (default), ``'full'`` or ``'none'``.
        max_skip_fraction (float): Run-time skip bound. Defaults to 0.01.
        **kwargs: As :class:`mmocr.datasets.OCRDataset`.
    """

    def __init__(self,
                 *args: Any,
                 on_problem: Optional[Dict[str, str]] = None,
                 decode_check: str = 'header',
                 max_skip_fraction: float = 0.01,
                 **kwargs: Any) -> None:
        self.checker = AnnotationChecker(on_problem, decode=decode_check)
        self.max_skip_fraction = max_skip_fraction
        self.runtime_skipped: Dict[int, str] = {}
        filter_cfg = kwargs.get('filter_cfg') or {}
        unknown = sorted(set(filter_cfg) - set(FILTER_KEYS))
        if unknown:
            raise AnnotationError(
                f'CheckedOCRDataset: unknown filter_cfg key(s) {unknown}; '
                f'supported: {list(FILTER_KEYS)}')
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Load the annotation file via ``OCRDataset`` and validate it.

        Returns:
            list[dict]: the checked data list.
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
        if not data_list:
            raise AnnotationError(
                f'annotation file {self.ann_file} has an empty data_list')
        return self.checker.check(data_list, self.ann_file)

    def filter_data(self) -> List[dict]:
        """Apply ``filter_cfg``, log the summary, refuse an untrainable set.

        Returns:
            list[dict]: the entries kept.
        """
        data_list = self.data_list
        cfg = self.filter_cfg or {}
        dropped = dict(empty_gt=0, min_size=0)
        if not self.test_mode and cfg:
            kept = []
            min_size = cfg.get('min_size', 0)
            for info in data_list:
                if cfg.get('filter_empty_gt') and not info['instances']:
                    dropped['empty_gt'] += 1
                elif min(info['height'], info['width']) < min_size:
                    dropped['min_size'] += 1
                else:
                    kept.append(info)
            data_list = kept
        print_log(
            self.checker.summary(self.ann_file) +
            f'; filtered out (filter_cfg): no instance='
            f'{dropped["empty_gt"]}, shorter side < min_size='
            f'{dropped["min_size"]}; {len(data_list)} entries kept',
            logger='current')
        if not data_list:
            raise AnnotationError(
                f'annotation file {self.ann_file}: no entry left after '
                'checks and filter_cfg (see the summary above)')
        if not self.test_mode and not any(
                _trainable(inst) for info in data_list
                for inst in info['instances']):
            raise AnnotationError(
                f'annotation file {self.ann_file}: no trainable instance '
                '(every instance is ignored, degenerate or skipped, or there '
                'are none); training would run with a constant loss')
        return data_list

    def prepare_data(self, idx: int) -> Any:
        """Run the pipeline; skip a sample whose image broke since the check.

        Args:
            idx (int): The index of the entry.

        Returns:
            Any: the pipeline's output, or None (training: mmengine's
            ``__getitem__`` then draws another index) when the image file
            vanished or no longer decodes.
        """
        try:
            data = super().prepare_data(idx)
        except Exception as e:  # noqa: B902 -- re-raised unless image broke
            problem = self._image_problem_now(idx)
            if not problem:
                raise
            return self._skip(idx, problem, e)
        if data is None:
            problem = self._image_problem_now(idx)
            if problem:
                return self._skip(idx, problem, None)
        return data

    def _image_problem_now(self, idx: int) -> str:
        """Describe what is wrong with entry ``idx``'s image now ('' if ok)."""
        path = self.get_data_info(idx)['img_path']
        if '://' in path:
            return ''
        if not osp.isfile(path):
            return 'vanished'
        problem, _ = image_problem(path, 'full')
        return problem

    def _skip(self, idx: int, problem: str,
              error: Optional[Exception]) -> None:
        """Count and log a run-time skip; raise past the bound."""
        path = self.get_data_info(idx)['img_path']
        why = f': {type(error).__name__}: {error}' if error else ''
        if self.test_mode:
            raise AnnotationError(
                f'{self.ann_file}: data_list[{idx}] image {path} {problem} '
                f'since the dataset was checked{why}') from error
        self.runtime_skipped[idx] = path
        fraction = len(self.runtime_skipped) / len(self)
        print_log(
            f'{self.ann_file}: skipped data_list[{idx}], image {path} '
            f'{problem} since the dataset was checked{why} '
            f'({len(self.runtime_skipped)} of {len(self)} images skipped '
            'in this process)',
            logger='current',
            level=logging.WARNING)
        if fraction > self.max_skip_fraction:
            raise AnnotationError(
                f'{self.ann_file}: {len(self.runtime_skipped)} of {len(self)}'
                f' images ({fraction:.1%}) became unreadable during the run, '
                f'more than max_skip_fraction={self.max_skip_fraction}; '
                f'e.g. {sorted(self.runtime_skipped.values())[:3]}')
        return None
