# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Drop instances whose polygon cannot locate anything, and say so."""
from typing import Dict, List, Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.logging import MMLogger
from mmocr.registry import TRANSFORMS

from .instance_filter import INSTANCE_KEYS, filter_instances, num_instances


def _shoelace(points: np.ndarray) -> float:
    """Absolute area of a polygon of (K, 2) points."""
    x, y = points[:, 0], points[:, 1]
    return 0.5 * abs(
        float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


@TRANSFORMS.register_module()
class DropDegenerateInstances(BaseTransform):
    """Remove instances with a degenerate polygon, logging and counting them.

    An instance is degenerate when its polygon has an odd number of values or
    fewer than 3 points, a non-finite coordinate (or a non-finite
    ``gt_bboxes`` row), or an absolute (shoelace) area ``<= min_area``
    (collinear or repeated points). Such instances reach a pipeline after
    augmentation (a rotation or crop squashing a polygon) or from
    annotations that were not checked (``CheckedOCRDataset`` checks files
    when it is built, not what transforms produce). Every present key of
    ``keys`` is filtered with the same mask; one warning per image naming
    ``img_path`` and the count goes to ``MMLogger.get_current_instance()``,
    and the class-level counters :attr:`num_dropped` /
    :attr:`num_images_with_drops` add up over the process. Unlike mmocr's
    transforms, an image left without instances is returned (not None).

    Why not mmocr's ``FixInvalidPolygon``: it logs and counts nothing, does
    not check for NaN/inf, and in ``'fix'`` mode rewrites polygons it
    considers invalid (``make_valid`` or the bbox) rather than only removing
    unusable ones, changing centre points; it also returns None when no
    instance is left. Its ``'ignore'`` mode keeps them (flagged).

    Required Keys:

    - gt_polygons

    Modified Keys:

    - the present ``keys`` (default: gt_polygons, gt_bboxes,
      gt_bboxes_labels, gt_ignored, gt_texts)

    Args:
        min_area (float): Largest area (pixels^2) still degenerate.
            Defaults to 1e-3.
        keys (Sequence[str]): Per-instance keys to filter.
    """
    #: Instances dropped by all instances of this class in this process.
    num_dropped = 0
    #: Images in which at least one instance was dropped.
    num_images_with_drops = 0

    def __init__(self,
                 min_area: float = 1e-3,
                 keys: Sequence[str] = INSTANCE_KEYS) -> None:
        self.min_area = float(min_area)
        self.keys = tuple(keys)

    def _reason(self, polygon, bbox) -> str:
        """Why the instance is degenerate, '' when it is fine."""
        values = np.asarray(polygon, dtype=np.float64).reshape(-1)
        if values.size % 2 or values.size < 6:
            return 'fewer than 3 points'
        if not np.isfinite(values).all() or (
                bbox is not None
                and not np.isfinite(np.asarray(bbox, np.float64)).all()):
            return 'non-finite'
        if _shoelace(values.reshape(-1, 2)) <= self.min_area:
            return 'zero area'
        return ''

    def transform(self, results: Dict) -> Dict:
        """Drop the degenerate instances.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict with the non-degenerate instances.
        """
        polygons = results.get('gt_polygons')
        if polygons is None:
            return results
        img_path = results.get('img_path', '?')
        num = num_instances(results, self.keys,
                            f'DropDegenerateInstances ({img_path})')
        bboxes = results.get('gt_bboxes')
        reasons: List[str] = [
            self._reason(polygons[i], None if bboxes is None else bboxes[i])
            for i in range(num)
        ]
        bad = [r for r in reasons if r]
        if not bad:
            return results
        cls = DropDegenerateInstances
        cls.num_dropped += len(bad)
        cls.num_images_with_drops += 1
        summary = ', '.join(f'{bad.count(r)} {r}' for r in sorted(set(bad)))
        MMLogger.get_current_instance().warning(
            f'DropDegenerateInstances: dropped {len(bad)} of {num} '
            f'instance(s) of {img_path} ({summary}); {cls.num_dropped} '
            f'dropped in {cls.num_images_with_drops} image(s) so far')
        return filter_instances(results, [not r for r in reasons], self.keys)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(min_area={self.min_area}, '
                f'keys={self.keys})')
