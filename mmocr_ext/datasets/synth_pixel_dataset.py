# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The synthetic engine's pixel outputs as one UPOCR task's dataset."""
import math
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
from mmengine.dataset import BaseDataset
from mmocr.registry import DATASETS

from mmocr_ext.structures.pixel_ocr_data_sample import PIXEL_TASKS
from .pixel_utils import SkipLog, check_file_sizes, check_task

REMOVAL_MASKS = ('polygons', 'text_mask')


@DATASETS.register_module()
class SynthPixelDataset(BaseDataset):
    """``pixel_<split>.json`` of ``tools/dataset_converters/generate_synth.py
    --tasks pixel`` read for one task.

    Each record has the PNGs ``image``, ``clean``, ``text_mask`` (255 on
    glyph pixels), ``tampered`` and ``tamper_mask``, the word polygons
    ``words``/``tampered_words`` and ``tampered_indices`` (paths relative
    to ``data_root``). Per ``task``:

    - ``'text_removal'``: ``img_path`` = image, ``gt_path`` = clean and the
      removal mask (1 = non-text). With ``removal_mask='polygons'``
      (default) the mask is the word polygons filled black on white
      (``mask_polygons``, drawn by :class:`LoadRemovalTargets`), like the
      SCUT-EnsText masks made from its polygon annotations: the region the
      loss weights up then covers each whole word, halo and shadow
      included. ``'text_mask'`` uses the glyph pixels instead
      (``mask_path`` = text_mask, ``mask_format='text_is_white'``).
    - ``'text_segmentation'``: ``img_path`` = image, ``seg_map_path`` =
      text_mask with ``label_format='binary'`` (0/255, no ignore).
    - ``'tamper_detection'``: ``img_path`` = tampered, ``gt_boxes`` = the
      axis-aligned box of every word polygon (for a tampered word: the
      union of the old and the new word's boxes) as inclusive integer
      corners ``[floor(min), floor(min), ceil(max), ceil(max)]`` clipped
      to the image, ``gt_box_labels`` 2 for ``tampered_indices`` and 1
      otherwise; real boxes come first so that tampered ones are drawn
      last (on top), as :class:`RenderTamperedBoxMap` draws in order.

    Args:
        data_root (str): The generator's output root.
        ann_file (str): Index json, relative to ``data_root``. Defaults to
            'pixel_train.json'.
        task (str): One of ``metainfo['task_list']``'s pixel tasks.
            Defaults to 'text_removal'.
        removal_mask (str): ``'polygons'`` or ``'text_mask'`` (see above).
        check_sizes (bool): Compare the header sizes of every used file
            with the input at load time. Defaults to False (the generator
            writes consistent sizes).
        on_error (str): ``'raise'`` (default) or ``'skip'`` (logged,
            counted in :attr:`skipped`) for missing files and mismatches.
        metainfo (dict, optional): Overrides ``task_list`` (``task`` is the
            argument).
        **kwargs: :class:`mmengine.dataset.BaseDataset` arguments.

    Raises:
        ValueError: Unknown task or ``removal_mask``, naming it.
    """
    METAINFO = dict(task_list=list(PIXEL_TASKS))

    def __init__(self,
                 data_root: str = '',
                 ann_file: str = 'pixel_train.json',
                 task: str = 'text_removal',
                 removal_mask: str = 'polygons',
                 check_sizes: bool = False,
                 on_error: str = 'raise',
                 metainfo: Optional[dict] = None,
                 **kwargs: Any) -> None:
        metainfo = dict(metainfo or {})
        task_list = metainfo.get('task_list', PIXEL_TASKS)
        check_task(task, task_list, type(self).__name__)
        check_task(task, PIXEL_TASKS, type(self).__name__)
        if removal_mask not in REMOVAL_MASKS:
            raise ValueError(f'{type(self).__name__}: removal_mask must be '
                             f'one of {REMOVAL_MASKS}, got {removal_mask!r}')
        if metainfo.pop('task', task) != task:
            raise ValueError(f'{type(self).__name__}: metainfo task '
                             f'differs from task={task!r}; set task only')
        self.task, self.removal_mask = task, removal_mask
        self.check_sizes = check_sizes
        self._skips = SkipLog(type(self).__name__, on_error)
        self._raw_count = 0
        super().__init__(
            data_root=data_root,
            ann_file=ann_file,
            metainfo=metainfo,
            **kwargs)
        # Set here: a str value in the ``metainfo`` argument makes mmengine
        # look for a meta file of that name and warn.
        self._metainfo['task'] = task

    @property
    def skipped(self) -> List[str]:
        """Why each skipped sample was left out (``on_error='skip'``)."""
        return list(self._skips.skipped)

    def load_data_list(self) -> List[dict]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(f'{self.ann_file}: no such pixel index '
                                    '(generate_synth.py --tasks pixel)')
        data_list = super().load_data_list()
        self._skips.report(self._raw_count, len(data_list), self.ann_file)
        return data_list

    def _path(self, rel: str) -> str:
        return osp.join(self.data_root or '', rel)

    def parse_data_info(self, raw: dict) -> Any:
        """One record of the index -> the ``data_info`` of :attr:`task`, or
        ``[]`` (no sample) when it is skipped."""
        self._raw_count += 1
        where = f'{self.ann_file}: record {raw.get("name", "?")}'
        try:
            info = self._parse(raw, where)
            used = [
                k for k in ('gt_path', 'mask_path', 'seg_map_path')
                if k in info
            ]
            for key in ['img_path'] + used:
                if not osp.isfile(info[key]):
                    raise FileNotFoundError(f'{info[key]}: missing ({key} '
                                            f'of {where})')
            if self.check_sizes:
                check_file_sizes(info, used)
        except (KeyError, TypeError, IndexError) as e:
            self._skips.bad(ValueError(f'{where}: malformed record ({e!r})'))
            return []
        except (FileNotFoundError, ValueError) as e:
            self._skips.bad(e)
            return []
        return info

    def _parse(self, raw: dict, where: str) -> Dict[str, Any]:
        task = self.task
        if task == 'text_removal':
            info = dict(
                img_path=self._path(raw['image']),
                gt_path=self._path(raw['clean']))
            if self.removal_mask == 'polygons':
                info['mask_polygons'] = [w['polygon'] for w in raw['words']]
            else:
                info.update(
                    mask_path=self._path(raw['text_mask']),
                    mask_format='text_is_white')
        elif task == 'text_segmentation':
            info = dict(
                img_path=self._path(raw['image']),
                seg_map_path=self._path(raw['text_mask']),
                label_format='binary')
        else:
            boxes, labels = tamper_boxes(raw['words'], raw['tampered_words'],
                                         raw['tampered_indices'],
                                         int(raw['width']), int(raw['height']))
            info = dict(
                img_path=self._path(raw['tampered']),
                gt_boxes=boxes,
                gt_box_labels=labels)
        info['task'] = task
        return info


def _box(polygon: Sequence[float]) -> np.ndarray:
    pts = np.asarray(polygon, np.float64).reshape(-1, 2)
    return np.concatenate([pts.min(0), pts.max(0)])


def tamper_boxes(words: Sequence[dict], tampered_words: Sequence[dict],
                 tampered_indices: Sequence[int], width: int,
                 height: int) -> tuple:
    """Inclusive integer boxes and labels (1 real, 2 tampered) of a record.

    Returns:
        tuple: ``boxes`` [[x1, y1, x2, y2], ...] and ``labels``, the real
        words first, then the tampered ones.
    """
    tampered = set(int(i) for i in tampered_indices)
    real, fake = [], []
    for k, word in enumerate(words):
        box = _box(word['polygon'])
        if k in tampered:
            new = _box(tampered_words[k]['polygon'])
            box = np.concatenate(
                [np.minimum(box[:2], new[:2]),
                 np.maximum(box[2:], new[2:])])
        x1, y1 = (max(0, math.floor(v)) for v in box[:2])
        x2 = min(width - 1, math.ceil(box[2]))
        y2 = min(height - 1, math.ceil(box[3]))
        (fake if k in tampered else real).append([x1, y1, x2, y2])
    return real + fake, [1] * len(real) + [2] * len(fake)
