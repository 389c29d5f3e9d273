# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Tampered-IC13 tampered-text detection in its native layout (UPOCR, spec
§3.1)."""
import os.path as osp
from typing import Any, List, Optional, Tuple

from mmengine.dataset import BaseDataset
from mmocr.registry import DATASETS

from mmocr_ext.structures.pixel_ocr_data_sample import PIXEL_TASKS
from .pixel_utils import (IMG_EXTENSIONS, SkipLog, check_task, image_size,
                          index_dir)

BOX_LABELS = (1, 2)  # 1 = real text, 2 = tampered text


def parse_box_file(path: str) -> Tuple[List[List[int]], List[int]]:
    """Read a ``x1,y1,x2,y2,label`` file (integers, one box a line).

    Blank lines are skipped and an empty file means "no box" (the official
    parser crashes on it). A UTF-8 BOM is tolerated.

    Returns:
        tuple: ``boxes`` [[x1, y1, x2, y2], ...] (inclusive corners) and
        ``labels`` [1 | 2, ...], in file order.

    Raises:
        ValueError: ``path:line`` and what is wrong with that line.
    """
    boxes, labels = [], []
    with open(path, encoding='utf-8-sig') as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            fields = [v.strip() for v in line.split(',')]
            try:
                values = [int(v) for v in fields]
            except ValueError:
                values = []
            if len(values) != 5:
                raise ValueError(f'{path}:{lineno}: expected 5 integers '
                                 f'"x1,y1,x2,y2,label", got {line!r}')
            if values[4] not in BOX_LABELS:
                raise ValueError(f'{path}:{lineno}: label must be 1 (real) '
                                 f'or 2 (tampered), got {values[4]}')
            boxes.append(values[:4])
            labels.append(values[4])
    return boxes, labels


@DATASETS.register_module()
class TamperedIC13Dataset(BaseDataset):
    """Tampered-IC13: images and real/tampered text boxes.

    Layout under ``data_root``::

        <phase>_img/<name>.<ext>
        <phase>_gt/<stem>.txt     # lines "x1,y1,x2,y2,label", label 1|2

    Images are listed sorted by name. :func:`parse_box_file` reads the
    boxes; :class:`RenderTamperedBoxMap` draws the colour map.

    ``data_info`` keys: ``img_path``, ``ann_path`` (the box file),
    ``gt_boxes`` ([[x1, y1, x2, y2], ...], inclusive), ``gt_box_labels``
    ([1 | 2, ...]), ``task`` (``'tamper_detection'``).

    Args:
        data_root (str): Tampered-IC13 root.
        phase (str): ``'train'`` or ``'test'``: the default folders are
            ``{phase}_img`` and ``{phase}_gt``. Defaults to 'train'.
        img_dir (str, optional): Image folder; overrides the phase name.
        gt_dir (str, optional): Box folder; overrides the phase name.
        check_sizes (bool): Read the image headers at load time (an
            unreadable image fails there, not mid-epoch). Defaults to True.
        on_error (str): ``'raise'`` (default: a missing box file, a
            malformed line or an unreadable image raises at load time,
            naming ``file:line``) or ``'skip'`` (logged, counted in
            :attr:`skipped`).
        metainfo (dict, optional): Overrides ``task``/``task_list``.
        **kwargs: :class:`mmengine.dataset.BaseDataset` arguments.
    """
    METAINFO = dict(task='tamper_detection', task_list=list(PIXEL_TASKS))

    def __init__(self,
                 data_root: str = '',
                 phase: str = 'train',
                 img_dir: Optional[str] = None,
                 gt_dir: Optional[str] = None,
                 check_sizes: bool = True,
                 on_error: str = 'raise',
                 metainfo: Optional[dict] = None,
                 **kwargs: Any) -> None:
        self.img_dir = img_dir or f'{phase}_img'
        self.gt_dir = gt_dir or f'{phase}_gt'
        self.check_sizes = check_sizes
        self._skips = SkipLog(type(self).__name__, on_error)
        super().__init__(data_root=data_root, metainfo=metainfo, **kwargs)

    @property
    def skipped(self) -> List[str]:
        """Why each skipped sample was left out (``on_error='skip'``)."""
        return list(self._skips.skipped)

    def load_data_list(self) -> List[dict]:
        task = self.metainfo['task']
        check_task(task, self.metainfo['task_list'], type(self).__name__)
        root = self.data_root or ''
        img_dir = osp.join(root, self.img_dir)
        gt_dir = osp.join(root, self.gt_dir)
        images = index_dir(img_dir, IMG_EXTENSIONS)
        data_list = []
        for stem, name in images.items():
            img_path = osp.join(img_dir, name)
            ann_path = osp.join(gt_dir, stem + '.txt')
            try:
                if not osp.isfile(ann_path):
                    raise FileNotFoundError(
                        f'{ann_path}: missing box file of {img_path}')
                boxes, labels = parse_box_file(ann_path)
                if self.check_sizes:
                    image_size(img_path)
            except (FileNotFoundError, ValueError) as e:
                self._skips.bad(e)
                continue
            data_list.append(
                dict(
                    img_path=img_path,
                    ann_path=ann_path,
                    gt_boxes=boxes,
                    gt_box_labels=labels,
                    task=task))
        self._skips.report(len(images), len(data_list), img_dir)
        return data_list
