# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""TextSeg text segmentation in its native layout (UPOCR, spec §3.1)."""
import json
import os.path as osp
from typing import Any, List, Optional, Sequence, Union

from mmengine.dataset import BaseDataset
from mmocr.registry import DATASETS

from mmocr_ext.structures.pixel_ocr_data_sample import PIXEL_TASKS
from .pixel_utils import SkipLog, check_file_sizes, check_task


@DATASETS.register_module()
class TextSegDataset(BaseDataset):
    """TextSeg: images and ``maskfg`` word masks, split by ``split.json``.

    Layout under ``data_root``::

        split.json                            # {"train": [id, ...], ...}
        image/<id>.jpg
        semantic_label/<id>_maskfg.png        # 0 bg, 100 text,
                                              # 200 text effect, 255 ignore

    UPOCR trains on ``('train', 'val')`` and tests on ``('test',)``.
    Samples follow the order of the split lists, splits in the given order.

    ``data_info`` keys: ``img_path``, ``seg_map_path``, ``label_format``
    (``'textseg'``: :class:`LoadTextSegLabel` applies the maskfg mapping),
    ``task`` (``'text_segmentation'``).

    Args:
        data_root (str): TextSeg root.
        splits (str | Sequence[str]): Keys of the split file. Defaults to
            ``('train', 'val')``.
        split_file (str): Split json, relative to ``data_root``. Defaults to
            'split.json'.
        img_dir (str): Defaults to 'image'.
        label_dir (str): Defaults to 'semantic_label'.
        img_suffix (str): Defaults to '.jpg'.
        label_suffix (str): Defaults to '_maskfg.png'.
        check_sizes (bool): Compare image and label header sizes at load
            time. Defaults to True.
        on_error (str): ``'raise'`` (default, at load time, naming the
            file) or ``'skip'`` (logged and counted in :attr:`skipped`) for
            missing files and size mismatches.
        metainfo (dict, optional): Overrides ``task``/``task_list``.
        **kwargs: :class:`mmengine.dataset.BaseDataset` arguments.

    Raises:
        FileNotFoundError | ValueError | KeyError: At load time, naming the
            file (or the split and the available ones).
    """
    METAINFO = dict(task='text_segmentation', task_list=list(PIXEL_TASKS))

    def __init__(self,
                 data_root: str = '',
                 splits: Union[str, Sequence[str]] = ('train', 'val'),
                 split_file: str = 'split.json',
                 img_dir: str = 'image',
                 label_dir: str = 'semantic_label',
                 img_suffix: str = '.jpg',
                 label_suffix: str = '_maskfg.png',
                 check_sizes: bool = True,
                 on_error: str = 'raise',
                 metainfo: Optional[dict] = None,
                 **kwargs: Any) -> None:
        self.splits = [splits] if isinstance(splits, str) else list(splits)
        self.split_file, self.img_dir, self.label_dir = (split_file, img_dir,
                                                         label_dir)
        self.img_suffix, self.label_suffix = img_suffix, label_suffix
        self.check_sizes = check_sizes
        self._skips = SkipLog(type(self).__name__, on_error)
        super().__init__(data_root=data_root, metainfo=metainfo, **kwargs)

    @property
    def skipped(self) -> List[str]:
        """Why each skipped sample was left out (``on_error='skip'``)."""
        return list(self._skips.skipped)

    def _read_splits(self) -> List[str]:
        path = osp.join(self.data_root or '', self.split_file)
        try:
            with open(path, encoding='utf-8') as f:
                table = json.load(f)
        except FileNotFoundError as e:
            raise FileNotFoundError(f'{path}: no such split file') from e
        except (OSError, ValueError) as e:
            raise ValueError(f'{path}: cannot read the split file ({e})')
        if not isinstance(table, dict):
            raise ValueError(f'{path}: the split file must be a json object '
                             'of id lists')
        ids = []
        for split in self.splits:
            if split not in table:
                raise KeyError(f'{path}: no split {split!r} (it has '
                               f'{sorted(table)})')
            ids += [str(i) for i in table[split]]
        return ids

    def load_data_list(self) -> List[dict]:
        task = self.metainfo['task']
        check_task(task, self.metainfo['task_list'], type(self).__name__)
        root = self.data_root or ''
        ids = self._read_splits()
        data_list = []
        for sample_id in ids:
            info = dict(
                img_path=osp.join(root, self.img_dir,
                                  sample_id + self.img_suffix),
                seg_map_path=osp.join(root, self.label_dir,
                                      sample_id + self.label_suffix),
                label_format='textseg',
                task=task)
            try:
                for key in ('img_path', 'seg_map_path'):
                    if not osp.isfile(info[key]):
                        raise FileNotFoundError(
                            f'{info[key]}: missing ({key} of TextSeg id '
                            f'{sample_id!r})')
                if self.check_sizes:
                    check_file_sizes(info, ['seg_map_path'])
            except (FileNotFoundError, ValueError) as e:
                self._skips.bad(e)
                continue
            data_list.append(info)
        self._skips.report(
            len(ids), len(data_list),
            f'{osp.join(root, self.split_file)} {self.splits}')
        return data_list
