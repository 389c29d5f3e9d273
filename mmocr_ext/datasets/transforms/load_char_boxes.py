# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Load the right x edge of every character of a word crop (E2STR)."""
import json
import numbers
import os.path as osp
from typing import Dict, Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

# pos file (absolute path) -> its parsed index. Loaded once per process.
_POS_CACHE: Dict[str, '_CharBoxIndex'] = {}


class _CharBoxIndex:
    """The parsed ``pos_path`` json of E2STR: image path -> right x edges.

    Args:
        path (str): The json file, ``{img_path: [[x1, y1, x2, y2, ...],
            ...]}`` with one box per character, left to right.

    Raises:
        ValueError: If the file is not such a json, naming the file and the
            offending key.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.root = osp.dirname(osp.abspath(path))
        try:
            with open(path, encoding='utf-8') as f:
                data = json.load(f)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ValueError(f'{path}: cannot read the char-box (pos) '
                             f'file: {e}') from e
        if not isinstance(data, dict):
            raise ValueError(f'{path}: the char-box (pos) file must map '
                             'image paths to lists of boxes, got a '
                             f'{type(data).__name__}')
        self.by_path: Dict[str, np.ndarray] = {}
        by_name: Dict[str, Optional[np.ndarray]] = {}
        for key, boxes in data.items():
            right = _right_edges(boxes, 4, 2, f'{path}: entry {key!r}')
            norm = osp.normpath(key)
            self.by_path[norm] = right
            name = osp.basename(norm)
            # an ambiguous basename matches nothing
            by_name[name] = None if name in by_name else right
        self.by_name = by_name

    def lookup(self, img_path: str) -> Optional[np.ndarray]:
        """The right edges of ``img_path``'s characters, or None.

        Tried in order: the full path, the path relative to the json's
        folder, the basename (when unique in the file).

        Args:
            img_path (str): The sample's ``img_path``.

        Returns:
            np.ndarray or None: float32, shape (n, ).
        """
        norm = osp.normpath(img_path)
        if norm in self.by_path:
            return self.by_path[norm]
        rel = osp.normpath(osp.relpath(osp.abspath(img_path), self.root))
        if rel in self.by_path:
            return self.by_path[rel]
        return self.by_name.get(osp.basename(norm))


def _right_edges(boxes: object, min_len: int, index: Optional[int],
                 where: str) -> np.ndarray:
    """``boxes[k][index]`` (or the max x of each box when ``index`` is None)
    of a list of flat coordinate lists, as float32; ValueError naming
    ``where`` if malformed."""
    if not isinstance(boxes, (list, tuple)):
        raise ValueError(f'{where}: expected a list of boxes, got '
                         f'{type(boxes).__name__}')
    right = []
    for k, box in enumerate(boxes):
        if (not isinstance(box, (list, tuple)) or len(box) < min_len
                or not all(
                    isinstance(v, numbers.Real) and not isinstance(v, bool)
                    for v in box)):
            raise ValueError(f'{where}: box {k} must be a list of >= '
                             f'{min_len} numbers, got {box!r}')
        right.append(max(box[0::2]) if index is None else box[index])
    out = np.array(right, dtype=np.float32).reshape(-1)
    if not np.isfinite(out).all():
        raise ValueError(f'{where}: non-finite coordinates')
    return out


def _load_pos_file(path: str) -> _CharBoxIndex:
    """The :class:`_CharBoxIndex` of ``path``, parsed once per process.

    Args:
        path (str): The char-box json.

    Returns:
        _CharBoxIndex: The cached index.
    """
    key = osp.abspath(path)
    if key not in _POS_CACHE:
        _POS_CACHE[key] = _CharBoxIndex(path)
    return _POS_CACHE[key]


@TRANSFORMS.register_module()
class LoadCharBoxes(BaseTransform):
    """Load the right x edge of each character of a word crop.

    E2STR's split strategy (spec A3.2) cuts a word crop between characters;
    it needs, per character, the right x edge in the original image's
    pixels. The sources, in order:

    1. the first instance of the annotation (mmocr's ``LoadOCRAnnotations``
       does not copy extra keys, so they are read from ``instances[0]``):

       .. code-block:: python

           dict(text='abc',
                # one flat quad per character (our synthetic writer);
                # right edge = the max x of the quad
                char_polygons=[[x1, y1, x2, y2, x3, y3, x4, y4], ...],
                # or one box per character; right edge = x2
                char_boxes=[[x1, y1, x2, y2], ...])

    2. ``pos_file``: the official ``pos_path`` json
       ``{img_path: [[x1, y1, x2, y2, ...], ...]}`` (right edge = element
       [2]), parsed once per process and cached by path. An entry matches by
       the full ``img_path``, else by the path relative to the json's folder,
       else by the basename (when no two entries share it).

    Without either, ``char_right_x`` is None and only the transform strategy
    applies (the official code crashed when ``pos_path`` was None).

    Required Keys:

    - instances (optional)
    - img_path (optional, for ``pos_file`` and error messages)

    Added Keys:

    - char_right_x (np.float32, shape (n, ), or None)

    Args:
        pos_file (str, optional): The char-box json. Defaults to None.

    Raises:
        ValueError: For a malformed ``pos_file`` (at construction), naming
            the file, or malformed instance boxes (at transform time),
            naming the image.
    """

    def __init__(self, pos_file: Optional[str] = None) -> None:
        self.pos_file = pos_file
        if pos_file is not None:
            _load_pos_file(pos_file)  # fail early; cached for the workers

    def _from_instance(self, results: dict) -> Optional[np.ndarray]:
        """The right edges from ``instances[0]``, or None."""
        instances = results.get('instances') or []
        if not instances:
            return None
        inst = instances[0]
        img = results.get('img_path', '<unknown image>')
        polys: Optional[Sequence] = inst.get('char_polygons')
        if polys:
            return _right_edges(polys, 8, None,
                                f'{img}: instances[0] "char_polygons"')
        boxes: Optional[Sequence] = inst.get('char_boxes')
        if boxes:
            return _right_edges(boxes, 4, 2,
                                f'{img}: instances[0] "char_boxes"')
        return None

    def transform(self, results: dict) -> dict:
        """Add ``char_right_x``.

        Args:
            results (dict): Result dict from the dataset.

        Returns:
            dict: ``results`` with ``char_right_x``.
        """
        right = self._from_instance(results)
        if (right is None and self.pos_file is not None
                and results.get('img_path') is not None):
            right = _load_pos_file(self.pos_file).lookup(results['img_path'])
            if right is not None:
                right = right.copy()
        results['char_right_x'] = right
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(pos_file={self.pos_file!r})'
