# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""SCUT-EnsText text removal in its native folder layout (UPOCR, spec
§3.1)."""
import os.path as osp
from typing import Any, List, Optional

from mmengine.dataset import BaseDataset
from mmocr.registry import DATASETS

from mmocr_ext.structures.pixel_ocr_data_sample import PIXEL_TASKS
from .pixel_utils import (IMG_EXTENSIONS, SkipLog, check_file_sizes,
                          check_task, find_paired, index_dir)


@DATASETS.register_module()
class SCUTEnsTextDataset(BaseDataset):
    """SCUT-EnsText: input photo, text-erased photo and text-region mask.

    Layout under ``data_root`` (folder names are arguments)::

        <img_dir>/<stem>.<ext>     # photo with text
        <label_dir>/<stem>.<ext>   # text-erased ground truth
        <mask_dir>/<stem>.<ext>    # text mask: black = text, white = rest

    The preprocessed UPOCR layout uses ``image``/``label``/``mask`` (the
    defaults); the original release names are ``all_images``/
    ``all_labels`` (masks are generated from ``all_gts``, e.g. by filling
    the polygons black on white). Label and mask are paired with the image
    by file name, or else by stem. Every image of ``img_dir`` is a sample.

    ``data_info`` keys: ``img_path``, ``gt_path`` (the clean photo, which
    the removal metric reads), ``mask_path``, ``task``
    (``'text_removal'``). Use with :class:`LoadRGBImagePIL` and
    :class:`LoadRemovalTargets`.

    Args:
        data_root (str): Dataset split root (e.g. ``.../SCUT-ENS/train``).
        img_dir (str): Input folder. Defaults to 'image'.
        label_dir (str): Ground-truth folder. Defaults to 'label'.
        mask_dir (str, optional): Mask folder; None: no mask (only for
            evaluation pipelines that do not load one). Defaults to 'mask'.
        check_sizes (bool): Read the file headers at load time and reject
            samples whose label or mask size differs from the image.
            Defaults to True.
        on_error (str): ``'raise'`` (default): a missing label/mask or a
            size mismatch raises at load time, naming the files; ``'skip'``:
            such samples are left out and counted in a logged warning (and
            in :attr:`skipped`).
        metainfo (dict, optional): Overrides ``task``/``task_list``.
        **kwargs: :class:`mmengine.dataset.BaseDataset` arguments.

    Raises:
        FileNotFoundError | ValueError: At load time, naming the file.
    """
    METAINFO = dict(task='text_removal', task_list=list(PIXEL_TASKS))

    def __init__(self,
                 data_root: str = '',
                 img_dir: str = 'image',
                 label_dir: str = 'label',
                 mask_dir: Optional[str] = 'mask',
                 check_sizes: bool = True,
                 on_error: str = 'raise',
                 metainfo: Optional[dict] = None,
                 **kwargs: Any) -> None:
        self.img_dir, self.label_dir, self.mask_dir = (img_dir, label_dir,
                                                       mask_dir)
        self.check_sizes = check_sizes
        self._skips = SkipLog(type(self).__name__, on_error)
        super().__init__(data_root=data_root, metainfo=metainfo, **kwargs)

    @property
    def skipped(self) -> List[str]:
        """Why each skipped sample was left out (``on_error='skip'``)."""
        return list(self._skips.skipped)

    def _dir(self, name: str) -> str:
        return osp.join(self.data_root or '', name)

    def load_data_list(self) -> List[dict]:
        task = self.metainfo['task']
        check_task(task, self.metainfo['task_list'], type(self).__name__)
        img_dir = self._dir(self.img_dir)
        images = index_dir(img_dir, IMG_EXTENSIONS)
        targets = [('gt_path', self._dir(self.label_dir))]
        if self.mask_dir is not None:
            targets.append(('mask_path', self._dir(self.mask_dir)))
        indices = {key: index_dir(folder) for key, folder in targets}
        data_list = []
        for stem, name in images.items():
            info = dict(img_path=osp.join(img_dir, name), task=task)
            try:
                for key, folder in targets:
                    info[key] = find_paired(folder, indices[key], name, stem,
                                            info['img_path'])
                if self.check_sizes:
                    check_file_sizes(info, [k for k, _ in targets])
            except (FileNotFoundError, ValueError) as e:
                self._skips.bad(e)
                continue
            data_list.append(info)
        self._skips.report(len(images), len(data_list), img_dir)
        return data_list
