# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Total-Text's DetEval protocol (``Deteval.py`` of the official repo).

Procedure, per image:

1. Detections whose intersection with a don't-care ground truth that has
   more than one point exceeds 0.5 of their own area are removed; the
   don't-care ground truths are dropped.
2. Tables ``sigma = inter / gt_area`` (recall) and ``tau = inter / det_area``
   (precision), both rounded to ``decimals`` (2) as ``np.round`` does.
3. One-to-one: a ground truth with exactly one detection with
   ``sigma > tr`` and exactly one with ``tau > tp``, whose columns hold no
   other qualifying entry, scores 1 for recall and 1 for precision.
4. One-to-many (split): an unmatched ground truth overlapped by at least
   ``k`` detections; the unmatched detections with ``tau >= tp`` are merged
   when their ``sigma`` sum is ``>= tr``: recall ``+fsc_k``, precision
   ``+n * fsc_k`` (a single one must reach ``tau >= tp`` and
   ``sigma >= tr`` and scores 1/1).
5. Many-to-one (merge): symmetric for an unmatched detection overlapping at
   least ``k`` ground truths with ``sigma >= tp`` (sic, the script's
   threshold), the ``tau`` sum must be ``>= tp``: recall ``+n * fsc_k``,
   precision ``+fsc_k``.

Totals: ``recall = sum(recall credit) / num care gt``,
``precision = sum(precision credit) / num kept det``.

Unlike the Python port (which rasterises polygons with skimage), areas are
exact polygon areas, as in the MATLAB ``Eval.m`` whose ``Result.txt`` the
tests reproduce; pairs and intersection areas come from the same code as
the IoU protocol's (:mod:`.polygon_arrays`).
"""
from typing import Dict, Sequence, Tuple

import numpy as np

from .geometry import flatten_samples
from .iou_protocol import hmean
from .polygon_arrays import PolygonArrays, candidate_pairs, intersection_areas
from .structures import EvalSample


def _one_to_one(sigma: np.ndarray, tau: np.ndarray, gt_flag: np.ndarray,
                det_flag: np.ndarray, tr: float, tp: float) -> float:
    credit = 0.
    for g in range(sigma.shape[0]):
        qs = np.flatnonzero(sigma[g] > tr)
        qt = np.flatnonzero(tau[g] > tp)
        if len(qs) == 1 and len(qt) == 1 and \
                np.count_nonzero(sigma[:, qs] > tr) == 1 and \
                np.count_nonzero(tau[:, qt] > tp) == 1:
            credit += 1.
            gt_flag[g] = 1
            det_flag[qs] = 1
    return credit


def _one_to_many(sigma: np.ndarray, tau: np.ndarray, gt_flag: np.ndarray,
                 det_flag: np.ndarray, tr: float, tp: float, k: int,
                 fsc_k: float) -> Tuple[float, float]:
    rec, prec = 0., 0.
    for g in range(sigma.shape[0]):
        if gt_flag[g] > 0 or np.count_nonzero(sigma[g] > 0) < k:
            continue
        q = np.flatnonzero((tau[g] >= tp) & (det_flag == 0))
        if len(q) == 1:
            if tau[g, q[0]] >= tp and sigma[g, q[0]] >= tr:
                rec, prec = rec + 1., prec + 1.
                gt_flag[g] = 1
                det_flag[q] = 1
        elif np.sum(sigma[g, q]) >= tr:
            gt_flag[g] = 1
            det_flag[q] = 1
            rec += fsc_k
            prec += len(q) * fsc_k
    return rec, prec


def _many_to_one(sigma: np.ndarray, tau: np.ndarray, gt_flag: np.ndarray,
                 det_flag: np.ndarray, tr: float, tp: float, k: int,
                 fsc_k: float) -> Tuple[float, float]:
    rec, prec = 0., 0.
    for d in range(sigma.shape[1]):
        if det_flag[d] > 0 or np.count_nonzero(tau[:, d] > 0) < k:
            continue
        q = np.flatnonzero((sigma[:, d] >= tp) & (gt_flag == 0))
        if len(q) == 1:
            if tau[q[0], d] >= tp and sigma[q[0], d] >= tr:
                rec, prec = rec + 1., prec + 1.
                gt_flag[q] = 1
                det_flag[d] = 1
        elif np.sum(tau[q, d]) >= tp:
            det_flag[d] = 1
            gt_flag[q] = 1
            rec += len(q) * fsc_k
            prec += fsc_k
    return rec, prec


def deteval_image(sigma: np.ndarray,
                  tau: np.ndarray,
                  tr: float = 0.7,
                  tp: float = 0.6,
                  k: int = 2,
                  fsc_k: float = 0.8) -> Dict:
    """Match one image given its (care gt, kept det) sigma and tau tables.

    Args:
        sigma (np.ndarray): (N, M) ``inter / gt_area`` (rounded).
        tau (np.ndarray): (N, M) ``inter / det_area`` (rounded).
        tr (float): Recall (area) threshold. Defaults to 0.7.
        tp (float): Precision (area) threshold. Defaults to 0.6.
        k (int): Minimum number of parts of a split/merge. Defaults to 2.
        fsc_k (float): Credit of each split/merge part. Defaults to 0.8.

    Returns:
        dict: ``recall_credit``, ``precision_credit``, ``num_gt_care``,
        ``num_det_care`` and ``num_matched`` (matched ground truths).
    """
    gt_flag = np.zeros(sigma.shape[0])
    det_flag = np.zeros(sigma.shape[1])
    one = _one_to_one(sigma, tau, gt_flag, det_flag, tr, tp)
    rec_s, prec_s = _one_to_many(sigma, tau, gt_flag, det_flag, tr, tp, k,
                                 fsc_k)
    rec_m, prec_m = _many_to_one(sigma, tau, gt_flag, det_flag, tr, tp, k,
                                 fsc_k)
    return dict(
        recall_credit=one + rec_s + rec_m,
        precision_credit=one + prec_s + prec_m,
        num_gt_care=sigma.shape[0],
        num_det_care=sigma.shape[1],
        num_matched=int(np.count_nonzero(gt_flag)))


def sigma_tau_tables(samples: Sequence[EvalSample],
                     decimals: int = 2,
                     dc_thr: float = 0.5) -> list:
    """Per-image filtered sigma/tau tables and the raw overlap list.

    Args:
        samples (Sequence[EvalSample]): The images.
        decimals (int): Rounding of sigma and tau (the script's
            ``np.round(., 2)``); a negative value disables it.
            Defaults to 2.
        dc_thr (float): Don't-care filtering threshold. Defaults to 0.5.

    Returns:
        list[dict]: Per image ``sigma`` and ``tau`` (care gt x kept det) and
        ``pairs``: every (gt, det, tau, sigma) with a non-zero intersection,
        unrounded, before any filtering (what MATLAB's ``Result.txt``
        lists).
    """
    gt_polys, gt_img = flatten_samples([s.gt_polys for s in samples])
    det_polys, det_img = flatten_samples([s.det_polys for s in samples])
    gts, dets = PolygonArrays(gt_polys), PolygonArrays(det_polys)
    g, d = candidate_pairs(gts, gt_img, dets, det_img, len(samples))
    inter = intersection_areas(gts, dets, g, d)
    gt_area, det_area = gts.area, dets.area
    gt_off = np.concatenate([[0],
                             np.cumsum([len(s.gt_polys) for s in samples])])
    det_off = np.concatenate([[0],
                              np.cumsum([len(s.det_polys) for s in samples])])
    with np.errstate(divide='ignore', invalid='ignore'):
        all_tau = np.where(det_area[d] > 0, inter / det_area[d], 0.)
        all_sigma = np.where(gt_area[g] > 0, inter / gt_area[g], 0.)
    out = []
    for i, sample in enumerate(samples):
        sel = (gt_img[g] == i) & (inter > 0)
        lg, ld = g[sel] - gt_off[i], d[sel] - det_off[i]
        ignored = np.asarray(sample.gt_ignored, dtype=bool)
        # Deteval.py only filters with don't-care gt of more than one point
        dc_gt = ignored & np.array([len(p) > 1 for p in sample.gt_polys],
                                   dtype=bool)
        removed = np.zeros(len(sample.det_polys), dtype=bool)
        removed[ld[dc_gt[lg] & (all_tau[sel] > dc_thr)]] = True
        gt_keep = np.flatnonzero(~ignored)
        det_keep = np.flatnonzero(~removed)
        gt_map = np.full(len(ignored), -1)
        gt_map[gt_keep] = np.arange(len(gt_keep))
        det_map = np.full(len(removed), -1)
        det_map[det_keep] = np.arange(len(det_keep))
        sigma = np.zeros((len(gt_keep), len(det_keep)))
        tau = np.zeros_like(sigma)
        ok = (gt_map[lg] >= 0) & (det_map[ld] >= 0)
        sigma[gt_map[lg[ok]], det_map[ld[ok]]] = all_sigma[sel][ok]
        tau[gt_map[lg[ok]], det_map[ld[ok]]] = all_tau[sel][ok]
        if decimals >= 0:
            sigma, tau = np.round(sigma, decimals), np.round(tau, decimals)
        pairs = list(
            zip(lg.tolist(), ld.tolist(), all_tau[sel].tolist(),
                all_sigma[sel].tolist()))
        out.append(dict(sigma=sigma, tau=tau, pairs=pairs))
    return out


def evaluate_deteval(samples: Sequence[EvalSample],
                     tr: float = 0.7,
                     tp: float = 0.6,
                     k: int = 2,
                     fsc_k: float = 0.8,
                     decimals: int = 2,
                     dc_thr: float = 0.5,
                     per_image: bool = False) -> Dict:
    """Evaluate a dataset with Total-Text's DetEval.

    Args:
        samples (Sequence[EvalSample]): The images.
        tr (float): Recall threshold. Defaults to 0.7.
        tp (float): Precision threshold. Defaults to 0.6.
        k (int): Minimum split/merge size. Defaults to 2.
        fsc_k (float): Split/merge credit. Defaults to 0.8.
        decimals (int): Rounding of sigma/tau. Defaults to 2.
        dc_thr (float): Don't-care filtering threshold. Defaults to 0.5.
        per_image (bool): Add per-image results. Defaults to False.

    Returns:
        dict: ``precision``, ``recall``, ``hmean``, ``num_gt_care``,
        ``num_det_care``, ``num_matched`` (ground truths credited),
        ``recall_credit`` and ``precision_credit``.
    """
    tables = sigma_tau_tables(samples, decimals, dc_thr)
    totals = dict(
        recall_credit=0.,
        precision_credit=0.,
        num_gt_care=0,
        num_det_care=0,
        num_matched=0)
    images = {}
    for sample, table in zip(samples, tables):
        res = deteval_image(table['sigma'], table['tau'], tr, tp, k, fsc_k)
        for key in totals:
            totals[key] += res[key]
        if per_image:
            rec = res['recall_credit'] / res['num_gt_care'] \
                if res['num_gt_care'] else 0.
            prec = res['precision_credit'] / res['num_det_care'] \
                if res['num_det_care'] else 0.
            images[sample.name] = dict(
                res, precision=prec, recall=rec, hmean=hmean(prec, rec))
    recall = totals['recall_credit'] / totals['num_gt_care'] \
        if totals['num_gt_care'] else 0.
    precision = totals['precision_credit'] / totals['num_det_care'] \
        if totals['num_det_care'] else 0.
    result = dict(
        precision=precision,
        recall=recall,
        hmean=hmean(precision, recall),
        **totals)
    if per_image:
        result['per_image'] = images
    return result
