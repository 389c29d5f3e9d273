# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Instruction following: did the spotter return exactly the selected text?

Per image, with GT centres (:func:`.point_spotting.polygon_center`), a
don't-care mask (``ignored`` or ``'###'``) and a *selected* mask (the
instances the instruction asks for):

1. Predictions scored below ``score_thr`` are dropped.
2. Each prediction, in output order, is assigned to the nearest GT centre
   among **all** GT given (first on ties). Nearest GT don't care: the
   prediction is ignored. Otherwise it is counted; no GT at all, a distance
   above ``point_dist_thr`` (if set) or a nearest GT that is not selected
   make it a miss.
3. *Selection*: a counted prediction whose nearest GT is selected and not
   yet position-matched is a selection TP (text not compared).
4. *Instruction*: a counted prediction whose nearest GT is selected, not yet
   text-matched, and has the same text ignoring case is a TP.
5. An image is *exact* when every counted prediction is an instruction TP
   and every selected GT is matched (an image that selects nothing and
   gets no prediction is exact).

When the GT holds only the selected instances (the ``GenerateInstruction``
transform filters them), every prediction near a kept GT is "selected": the
selection scores then only penalise duplicates and, with
``point_dist_thr``, far-off points. Pass all instances plus a ``selected``
mask to also penalise predictions of unselected text.
"""
from typing import Optional, Sequence, Tuple

import numpy as np

from .point_spotting import nearest_gt


def match_instruction(
        pred_points: np.ndarray,
        pred_texts: Sequence[str],
        gt_centers: np.ndarray,
        gt_texts: Sequence[str],
        gt_ignored: np.ndarray,
        gt_selected: np.ndarray,
        point_dist_thr: Optional[float] = None) -> Tuple[int, ...]:
    """Count one image (rules 2-5 of the module doc).

    Args:
        pred_points (np.ndarray): (N, 2), already score-filtered.
        pred_texts (Sequence[str]): N words.
        gt_centers (np.ndarray): (M, 2).
        gt_texts (Sequence[str]): M words.
        gt_ignored (np.ndarray): (M,) bool don't-care flags.
        gt_selected (np.ndarray): (M,) bool; don't-care GTs are never
            selected.
        point_dist_thr (float, optional): Max. distance of a match.

    Returns:
        tuple(int, ...): instruction TPs, selection TPs, counted
        predictions, selected GTs, exact (0 or 1).
    """
    selected = np.asarray(gt_selected, bool) & ~np.asarray(gt_ignored, bool)
    idx, dist = nearest_gt(pred_points, gt_centers)
    pos_matched = np.zeros(len(gt_texts), dtype=bool)
    txt_matched = np.zeros(len(gt_texts), dtype=bool)
    num_tp = num_pos = num_pred = 0
    for text, j, d in zip(pred_texts, idx, dist):
        if j >= 0 and gt_ignored[j]:
            continue
        num_pred += 1
        if j < 0 or not selected[j] or (point_dist_thr is not None
                                        and d > point_dist_thr):
            continue
        if not pos_matched[j]:
            pos_matched[j] = True
            num_pos += 1
        if not txt_matched[j] and text.upper() == gt_texts[j].upper():
            txt_matched[j] = True
            num_tp += 1
    num_sel = int(selected.sum())
    exact = int(num_tp == num_pred == num_sel)
    return num_tp, num_pos, num_pred, num_sel, exact
