# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Total-Text's MATLAB files: ``poly_gt_*.mat`` ground truth and the
``accuInf`` results of the official example (read with scipy)."""
import io
from typing import List, Optional, Tuple

import numpy as np

from .errors import EvalInputError

Polys = List[np.ndarray]


def _cell_str(cell) -> str:
    arr = np.asarray(cell).ravel()
    return str(arr[0]) if arr.size else ''


def parse_totaltext_gt_mat(raw: bytes, where: str) -> Tuple[Polys, np.ndarray]:
    """Total-Text ``poly_gt_*.mat`` (variable ``polygt`` or ``gt``).

    Each row is ``['x:', xs, 'y:', ys, transcription, orientation]``;
    orientation ``#`` marks don't care (as ``Deteval.py`` reads it).

    Args:
        raw (bytes): File content.
        where (str): File name for error messages.

    Returns:
        tuple(list[np.ndarray], np.ndarray): Polygons and don't-care flags.
    """
    from scipy.io import loadmat
    try:
        mat = loadmat(io.BytesIO(raw))
    except Exception as e:  # noqa: B902  (scipy raises many types)
        raise EvalInputError(where, f'not a readable .mat file ({e})')
    key = 'polygt' if 'polygt' in mat else 'gt' if 'gt' in mat else None
    if key is None:
        raise EvalInputError(where, 'no variable "polygt" or "gt"')
    rows = mat[key]
    polys, ignored = [], []
    for i, row in enumerate(
            rows.reshape(-1, rows.shape[-1]) if rows.size else [], 1):
        if len(row) < 6:
            raise EvalInputError(
                where, f'row {i} has {len(row)} cells, '
                'expected 6 (x:, xs, y:, ys, text, '
                'orientation)')
        xs = np.asarray(row[1], dtype=np.float64).ravel()
        ys = np.asarray(row[3], dtype=np.float64).ravel()
        if len(xs) != len(ys):
            raise EvalInputError(
                where, f'row {i}: {len(xs)} x but '
                f'{len(ys)} y values')
        polys.append(np.stack([xs, ys], axis=1))
        ignored.append(_cell_str(row[5]) == '#')
    return polys, np.asarray(ignored, dtype=bool)


def parse_totaltext_det_mat(raw: bytes,
                            where: str) -> Tuple[Polys, Optional[np.ndarray]]:
    """Total-Text result ``.mat``: cell ``accuInf`` of (K, 2) ``x, y``.

    Args:
        raw (bytes): File content.
        where (str): File name for error messages.

    Returns:
        tuple(list[np.ndarray], None): Polygons, no scores.
    """
    from scipy.io import loadmat
    try:
        mat = loadmat(io.BytesIO(raw))
    except Exception as e:  # noqa: B902
        raise EvalInputError(where, f'not a readable .mat file ({e})')
    if 'accuInf' not in mat:
        raise EvalInputError(where, 'no variable "accuInf"')
    polys = []
    for i, cell in enumerate(mat['accuInf'].ravel(), 1):
        pts = np.asarray(cell, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) < 3:
            raise EvalInputError(
                where, f'accuInf cell {i} has shape {pts.shape}, expected '
                '(K, 2) with K >= 3')
        polys.append(pts)
    return polys, None
