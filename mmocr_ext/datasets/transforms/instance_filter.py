# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Keep a subset of the per-instance keys of a results dict (helper)."""
from typing import Sequence

import numpy as np

#: Per-instance keys of mmocr's ``LoadOCRAnnotations`` output.
INSTANCE_KEYS = ('gt_polygons', 'gt_bboxes', 'gt_bboxes_labels', 'gt_ignored',
                 'gt_texts')


def num_instances(results: dict, keys: Sequence[str], where: str) -> int:
    """The common length N of the ``keys`` present in ``results``.

    Raises:
        ValueError: naming ``where`` when the present keys disagree.
    """
    lengths = {k: len(results[k]) for k in keys if results.get(k) is not None}
    if len(set(lengths.values())) > 1:
        raise ValueError(f'{where}: per-instance keys of different lengths '
                         f'{lengths}')
    return next(iter(lengths.values()), 0)


def filter_instances(results: dict, keep: Sequence[bool],
                     keys: Sequence[str]) -> dict:
    """Keep the instances where ``keep`` (N,) is True in every present key.

    Arrays (and ``HorizontalBoxes``-like objects) are indexed with the mask,
    lists become lists of the kept items, in order.
    """
    mask = np.asarray(keep, dtype=bool).reshape(-1)
    for key in keys:
        value = results.get(key)
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            results[key] = [v for v, k in zip(value, mask) if k]
        else:
            results[key] = value[mask]
    return results
