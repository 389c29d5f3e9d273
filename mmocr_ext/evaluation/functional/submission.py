# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Writing detections as RRC (ICDAR2015) or polygon result files."""
import os.path as osp
import re
from typing import List, Optional, Sequence

import numpy as np
import shapely

from .errors import EvalInputError

_IC15_STEM = re.compile(r'img_\d+')


def format_number(value: float) -> str:
    """Lossless short text of a number (``12`` rather than ``12.0``)."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def to_clockwise_quad(poly: np.ndarray) -> Optional[np.ndarray]:
    """An integer quadrilateral for the RRC format.

    Quadrilaterals are kept; other polygons are replaced by their minimum
    rotated rectangle. Points are rounded and put in clockwise order in
    image coordinates (y down), which the RRC validator requires.

    Args:
        poly (np.ndarray): (K, 2) points.

    Returns:
        np.ndarray or None: (4, 2) int64, None for a polygon without area.
    """
    poly = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
    if len(poly) != 4:
        if len(poly) < 3:
            return None
        rect = shapely.minimum_rotated_rectangle(shapely.MultiPoint(poly))
        if rect.geom_type != 'Polygon' or rect.area == 0:
            return None
        poly = np.asarray(rect.exterior.coords)[:4]
    quad = np.round(poly).astype(np.int64)
    x, y = quad[:, 0], quad[:, 1]
    # RRC validate_clockwise_points: sum((x2-x1)(y2+y1)) must be <= 0
    if np.sum((np.roll(x, -1) - x) * (np.roll(y, -1) + y)) > 0:
        quad = quad[::-1]
    return quad


def result_file_name(image: str, fmt: str) -> str:
    """``res_img_N.txt`` for ``img_N.jpg`` (icdar2015), ``res_<stem>.txt``
    for polygon.

    Args:
        image (str): Image path or name.
        fmt (str): ``'icdar2015'`` or ``'polygon'``.

    Returns:
        str: The result file name.
    """
    stem = osp.splitext(osp.basename(image))[0]
    if fmt == 'icdar2015' and not _IC15_STEM.fullmatch(stem):
        raise EvalInputError(
            image, 'the icdar2015 format needs images named img_N; '
            'use --format polygon for other names')
    return f'res_{stem}.txt'


def result_lines(polys: Sequence[np.ndarray],
                 scores: Optional[Sequence[float]],
                 fmt: str,
                 with_score: bool = False) -> List[str]:
    """Lines of one result file.

    Args:
        polys (Sequence[np.ndarray]): Polygons, (K, 2) or flat.
        scores (Sequence[float], optional): One score per polygon.
        fmt (str): ``'icdar2015'`` (integer clockwise quads) or
            ``'polygon'`` (points as given, written losslessly).
        with_score (bool): Append the score to each line. Defaults to False.

    Returns:
        list[str]: The lines; polygons without area are left out of the
        icdar2015 format (the RRC validator would reject them).
    """
    lines = []
    for i, poly in enumerate(polys):
        pts = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
        if fmt == 'icdar2015':
            pts = to_clockwise_quad(pts)
            if pts is None:
                continue
            values = [str(int(v)) for v in pts.ravel()]
        else:
            values = [format_number(v) for v in pts.ravel()]
        if with_score and scores is not None:
            values.append(format_number(scores[i]))
        lines.append(','.join(values))
    return lines
