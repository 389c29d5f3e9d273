# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Up-front checks of mmocr 1.x annotation entries, shared by dataset types.

:class:`AnnotationChecker` validates a parsed ``data_list`` (entries with
``img_path``, ``height``, ``width`` and ``instances``) before training:
finite coordinates, polygons with >= 3 points and non-zero area (invalid
ones repaired with shapely ``make_valid``), integer labels, image sizes that
match the image file's header, decodable images and duplicate entries. What
happens on each problem is a per-problem policy (``error``, ``skip`` or, for
an invalid polygon, ``repair``); every skip and repair is counted and
reported by :meth:`AnnotationChecker.summary`.
"""
import math
import numbers
import os.path as osp
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

from PIL import Image


class AnnotationError(ValueError):
    """An annotation file or one of its entries is unusable."""


#: Problem kind -> default policy. Structural problems (the annotation or the
#: image is wrong as a whole) are errors; a degenerate instance is skipped.
DEFAULT_POLICY: Dict[str, str] = dict(
    nonfinite='skip',
    degenerate='skip',
    invalid_polygon='repair',
    bad_label='error',
    size_mismatch='error',
    undecodable='error',
    duplicate='error')

_ALLOWED = {kind: ('error', 'skip') for kind in DEFAULT_POLICY}
_ALLOWED['invalid_polygon'] = ('error', 'skip', 'repair')
DECODE_MODES = ('header', 'full', 'none')


def _is_real(v: object) -> bool:
    """A real number, not a bool."""
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _is_int(v: object) -> bool:
    """An integer, not a bool."""
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def image_problem(path: str, decode: str = 'header') -> Tuple[str, tuple]:
    """Check that an image file opens; return ``(problem, (w, h))``.

    ``decode='header'`` reads the header only (Pillow's ``Image.open`` does not
    decode pixels) plus, for JPEG/PNG, that the file ends with its end marker
    (``FFD9``/``IEND``) in its last 64 bytes, which finds truncated files at
    the cost of one seek; a file without it is then fully decoded (so that
    data appended after the marker is not reported as truncation).
    ``decode='full'`` decodes every pixel.

    Args:
        path (str): The image file.
        decode (str): ``'header'`` or ``'full'``.

    Returns:
        tuple[str, tuple]: ``''`` and the ``(width, height)`` when the image
        is usable, else a description of the problem and ``()``.
    """
    try:
        with Image.open(path) as img:
            size = img.size
            fmt = img.format
            if decode == 'full':
                img.load()
    except Exception as e:  # noqa: B902 -- Pillow raises many types
        return f'cannot be decoded ({type(e).__name__}: {e})', ()
    if decode == 'header' and fmt in ('JPEG', 'PNG'):
        with open(path, 'rb') as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - 64))
            tail = f.read()
        marker = b'\xff\xd9' if fmt == 'JPEG' else b'IEND'
        if marker not in tail:
            # maybe data appended after the end marker: decode to be sure
            return image_problem(path, 'full')
    return '', size


class AnnotationChecker:
    """Validate a data list up front with a per-problem policy.

    Args:
        on_problem (dict, optional): Problem kind -> ``'error'`` or
            ``'skip'`` (``invalid_polygon`` also ``'repair'``), overriding
            :data:`DEFAULT_POLICY`. ``skip`` drops the instance for the
            instance-level kinds (``nonfinite``, ``degenerate``,
            ``invalid_polygon``, ``bad_label``) and the entry for the
            entry-level ones (``size_mismatch``, ``undecodable``,
            ``duplicate``: the later occurrence).
        decode (str): Image check: ``'header'`` (default: header + end
            marker), ``'full'`` (decode every image) or ``'none'``.
    """

    def __init__(self,
                 on_problem: Optional[Dict[str, str]] = None,
                 decode: str = 'header') -> None:
        policy = dict(DEFAULT_POLICY)
        for kind, action in (on_problem or {}).items():
            if kind not in _ALLOWED:
                raise AnnotationError(
                    f'on_problem: unknown problem {kind!r}; known: '
                    f'{sorted(_ALLOWED)}')
            if action not in _ALLOWED[kind]:
                raise AnnotationError(
                    f'on_problem[{kind!r}]={action!r}: must be one of '
                    f'{_ALLOWED[kind]}')
            policy[kind] = action
        if decode not in DECODE_MODES:
            raise AnnotationError(
                f'decode={decode!r}: must be one of {DECODE_MODES}')
        self.policy = policy
        self.decode = decode
        self.counts: Counter = Counter()

    def check(self, data_list: List[dict], ann_file: str) -> List[dict]:
        """Check (and, as the policy says, clean) a parsed data list.

        Args:
            data_list (list[dict]): Entries with ``img_path`` (already joined
                with the data root), ``height``, ``width``, ``instances``.
            ann_file (str): The annotation file, for messages.

        Returns:
            list[dict]: The entries kept, instances skipped/repaired.

        Raises:
            AnnotationError: On the first problem whose policy is ``error``,
                naming the annotation file, entry index and image.
        """
        self.counts = Counter()
        seen: Dict[str, int] = {}
        kept = []
        for index, info in enumerate(data_list):
            img_path = info.get('img_path')
            where = f'{ann_file}: data_list[{index}] (img_path={img_path!r})'
            if not isinstance(img_path, str):
                raise AnnotationError(f'{where}: missing "img_path"')
            key = osp.normpath(img_path)
            if key in seen:
                msg = (f'{where}: duplicate entry, the same image as '
                       f'data_list[{seen[key]}]')
                if self._act('duplicate', msg):
                    continue
            seen[key] = index
            if not self._check_image(info, where):
                continue
            instances = info.get('instances', [])
            if not isinstance(instances, list):
                raise AnnotationError(f'{where}: "instances" must be a list')
            info['instances'] = [
                inst for j, inst in enumerate(instances)
                if self._check_instance(inst, f'{where}: instances[{j}]')
            ]
            kept.append(info)
        self.counts['entries'] = len(kept)
        return kept

    def summary(self, ann_file: str) -> str:
        """One line: what was checked, skipped and repaired."""
        c = self.counts
        skipped = ', '.join(f'{k}={c["skip_" + k]}' for k in DEFAULT_POLICY
                            if c['skip_' + k])
        return (f'{ann_file}: {c["entries"]} entries checked '
                f'(images: {self.decode} decode); skipped: '
                f'{skipped or "none"}; polygons repaired with shapely '
                f'make_valid: {c["repaired"]}')

    # ------------------------------------------------------------- helpers
    def _act(self, kind: str, msg: str) -> bool:
        """Raise for ``error``; count and return True for ``skip``."""
        if self.policy[kind] == 'error':
            raise AnnotationError(
                f'{msg} [{kind}; set on_problem={{{kind!r}: "skip"}} to '
                'skip and count]')
        self.counts['skip_' + kind] += 1
        return True

    def _check_image(self, info: dict, where: str) -> bool:
        """Existence, decodability and size; False if the entry is dropped."""
        img_path = info['img_path']
        if '://' in img_path:
            return True
        if not osp.isfile(img_path):
            raise AnnotationError(f'{where}: image file {img_path} not found')
        for key in ('height', 'width'):
            if key in info and not (_is_int(info[key]) and info[key] > 0):
                msg = (f'{where}: "{key}" must be a positive int, got '
                       f'{info[key]!r}')
                if self._act('size_mismatch', msg):
                    return False
        if self.decode == 'none':
            return True
        problem, size = image_problem(img_path, self.decode)
        if problem:
            return not self._act('undecodable',
                                 f'{where}: image {img_path} {problem}')
        width, height = size
        stated = (info.get('width', width), info.get('height', height))
        if stated != (width, height):
            msg = (f'{where}: width x height {stated[0]}x{stated[1]} in '
                   f'the annotation, {width}x{height} in the image file')
            if self._act('size_mismatch', msg):
                return False
        info.setdefault('width', width)
        info.setdefault('height', height)
        return True

    def _check_instance(self, inst: object, where: str) -> bool:
        """Check one instance in place; False if it is dropped."""
        if not isinstance(inst, dict):
            raise AnnotationError(
                f'{where} must be a dict, got {type(inst).__name__}')
        if 'ignore' in inst and not isinstance(inst['ignore'], bool):
            raise AnnotationError(f'{where}: "ignore" must be true/false, got '
                                  f'{inst["ignore"]!r}')
        if 'bbox_label' in inst and not _is_int(inst['bbox_label']):
            msg = (f'{where}: "bbox_label" must be an int, got '
                   f'{inst["bbox_label"]!r}')
            if self._act('bad_label', msg):
                return False
        for key, lengths in (('polygon', ()), ('bbox', (4, ))):
            if key not in inst:
                continue
            value = inst[key]
            if not (isinstance(value, (list, tuple))
                    and all(_is_real(v) for v in value) and
                    (len(value) in lengths if lengths else
                     (len(value) % 2 == 0 and len(value) >= 2))):
                shape = ('[x1, y1, x2, y2]' if lengths else
                         'a flat list of an even number of numbers '
                         '[x1, y1, x2, y2, ...]')
                raise AnnotationError(
                    f'{where}: "{key}" must be {shape}, got {value!r}')
            if not all(math.isfinite(v) for v in value):
                if self._act('nonfinite',
                             f'{where}: NaN/inf in "{key}" {value!r}'):
                    return False
        box = inst.get('bbox')
        if box is not None and not (box[0] <= box[2] and box[1] <= box[3]):
            raise AnnotationError(
                f'{where}: "bbox" must be [x1, y1, x2, y2], got {box!r}')
        if 'polygon' in inst:
            return self._check_polygon(inst, where)
        return True

    def _check_polygon(self, inst: dict, where: str) -> bool:
        """>= 3 points, non-zero area, valid or repaired."""
        from shapely.geometry import Polygon
        from shapely.validation import make_valid
        poly = inst['polygon']
        if len(poly) < 6:
            return not self._act(
                'degenerate',
                f'{where}: "polygon" has {len(poly) // 2} point(s), '
                f'needs >= 3: {poly!r}')
        shape = Polygon(list(zip(poly[0::2], poly[1::2])))
        if shape.is_valid:
            if shape.area > 0:
                return True
            return not self._act(
                'degenerate', f'{where}: "polygon" has zero area: {poly!r}')
        if self.policy['invalid_polygon'] != 'repair':
            return not self._act(
                'invalid_polygon',
                f'{where}: "polygon" is invalid (self-intersecting): '
                f'{poly!r}')
        fixed = _largest_polygon(make_valid(shape))
        if fixed is None:
            return not self._act(
                'degenerate',
                f'{where}: "polygon" has zero area once made valid: '
                f'{poly!r}')
        coords = list(fixed.exterior.coords)[:-1]
        inst['polygon'] = [float(v) for xy in coords for v in xy]
        if 'bbox' in inst:
            inst['bbox'] = [float(v) for v in fixed.bounds]
        self.counts['repaired'] += 1
        return True


def _largest_polygon(geom: object) -> Optional[object]:
    """The largest-area Polygon in a (multi-part) geometry, or None."""
    parts: Sequence = getattr(geom, 'geoms', [geom])
    flat = []
    for part in parts:
        if part.geom_type == 'Polygon':
            flat.append(part)
        elif part.geom_type == 'MultiPolygon':
            flat.extend(part.geoms)
    flat = [p for p in flat if p.area > 0]
    return max(flat, key=lambda p: p.area) if flat else None
