# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Text removal restricted to detected text: keep the original pixels
outside the polygons of a text detector, the removal output inside.

::

    from mmocr_ext.apis.erase_in_polygons import erase_text_in_polygons
    polygons = det_sample.pred_instances.polygons   # original-image pixels
    out = erase_text_in_polygons(image, erased, polygons, dilate=3)

    # or run a detector and the removal model together
    erase_in_detections(pixel_inferencer, 'img.jpg', det_inferencer)

numpy at import; cv2 when called.
"""
from typing import Dict, Optional, Sequence

import numpy as np


def _as_polygon(polygon) -> np.ndarray:
    """A polygon (flat ``(2k,)`` or ``(k, 2)``) as (k, 2) float64."""
    if hasattr(polygon, 'detach'):
        polygon = polygon.detach().cpu().numpy()
    arr = np.asarray(polygon, dtype=np.float64)
    if arr.size % 2 or arr.size < 6:
        raise ValueError('a polygon needs at least 3 (x, y) points, got '
                         f'{arr.size} values')
    return arr.reshape(-1, 2)


def polygons_mask(shape: Sequence[int],
                  polygons: Sequence,
                  dilate: int = 0) -> np.ndarray:
    """Boolean mask of the pixels covered by ``polygons``.

    A pixel (x, y) is inside when the polygon filled by OpenCV's
    ``fillPoly`` (vertices rounded to the nearest pixel, boundary pixels
    included) covers it; the mask is then dilated by ``dilate`` pixels
    (disc-shaped, ``(2 dilate + 1)`` wide).

    Args:
        shape: ``(H, W)`` (or ``(H, W, C)``) of the image.
        polygons: flat ``[x1, y1, x2, y2, ...]`` or ``(k, 2)`` arrays /
            tensors / lists in image pixels (x right, y down); may be empty.
        dilate: dilation radius in pixels (0: none).

    Returns:
        np.ndarray: ``(H, W)`` bool.
    """
    import cv2
    if dilate < 0:
        raise ValueError(f'dilate must be >= 0, got {dilate}')
    height, width = int(shape[0]), int(shape[1])
    mask = np.zeros((height, width), dtype=np.uint8)
    pts = [
        np.round(_as_polygon(p)).astype(np.int32).reshape(-1, 1, 2)
        for p in polygons
    ]
    if pts:
        cv2.fillPoly(mask, pts, 1)
    if dilate and mask.any():
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                           (2 * dilate + 1, 2 * dilate + 1))
        mask = cv2.dilate(mask, kernel)
    return mask.astype(bool)


def erase_text_in_polygons(image: np.ndarray,
                           erased: np.ndarray,
                           polygons: Sequence,
                           dilate: int = 0,
                           mask: Optional[np.ndarray] = None) -> np.ndarray:
    """Composite a text-removal output into the image inside polygons.

    Args:
        image: ``(H, W, 3)`` original image (any channel order, any dtype).
        erased: the text-removal output of the same image, same shape and
            channel order (e.g. ``pred_img.img`` transposed to HWC: the
            output at the original size).
        polygons: text polygons in original-image pixels, e.g. a
            detector's ``pred_instances.polygons`` (flat ``(2k,)`` arrays)
            filtered by score; see :func:`polygons_mask`.
        dilate: grow the polygons by this many pixels (detections are
            often tight around the strokes).
        mask: precomputed ``(H, W)`` bool mask (then ``polygons`` and
            ``dilate`` are not used).

    Returns:
        np.ndarray: a new array: ``erased`` inside the (dilated)
        polygons, ``image`` byte-for-byte everywhere else.

    Raises:
        ValueError: the two images (or the mask) differ in size.
    """
    image = np.asarray(image)
    erased = np.asarray(erased)
    if image.shape != erased.shape:
        raise ValueError(f'image {image.shape} and removal output '
                         f'{erased.shape} differ in size (resize the output '
                         'to the original size first)')
    if mask is None:
        mask = polygons_mask(image.shape, polygons, dilate)
    elif mask.shape != image.shape[:2]:
        raise ValueError(f'mask {mask.shape} does not match the image '
                         f'{image.shape[:2]}')
    out = image.copy()
    out[mask] = erased[mask].astype(image.dtype, copy=False)
    return out


def polygons_above(det_sample, score_thr: float) -> list:
    """Polygons of a text-detection data sample scoring at least
    ``score_thr`` (all of them when it has no ``scores``)."""
    pred = det_sample.pred_instances
    polygons = list(pred.get('polygons', []))
    scores = pred.get('scores', None)
    if scores is None:
        return polygons
    if hasattr(scores, 'detach'):
        scores = scores.detach().cpu().numpy()
    scores = np.asarray(scores).reshape(-1)
    return [p for p, s in zip(polygons, scores) if s >= score_thr]


def erase_in_detections(pixel_inferencer,
                        inputs,
                        det_inferencer,
                        det_score_thr: float = 0.3,
                        dilate: int = 0,
                        batch_size: int = 1,
                        names: Optional[Sequence[str]] = None,
                        **kwargs) -> Dict[str, list]:
    """Text removal only inside the polygons a text detector finds.

    Batch by batch: every image is decoded once
    (:meth:`PixelOCRInferencer.load_inputs`); the detector (an mmocr
    ``TextDetInferencer``, e.g. with an mmocr_ext TCM or DBNet config) gets
    it as a BGR array, so its ``pred_instances.polygons`` are in the same
    pixels as the removal output; the polygons scoring at least
    ``det_score_thr`` are passed as ``polygons=`` to the pixel inferencer
    (task ``text_removal``), which keeps the original pixels outside them.

    Args:
        pixel_inferencer (PixelOCRInferencer): The text-removal model.
        inputs: Image file(s), folder(s) or BGR array(s).
        det_inferencer: mmocr ``TextDetInferencer``.
        det_score_thr (float): Minimum detection score. Defaults to 0.3.
        dilate (int): Grow the polygons by this many pixels. Defaults to 0.
        batch_size (int): Images per forward pass (both models).
        names (Sequence[str], optional): Output names, one per image.
        **kwargs: Other arguments of ``PixelOCRInferencer.__call__``
            (``out_dir``, ``save_vis``, ``show``...).

    Returns:
        dict: As ``PixelOCRInferencer.__call__``; every prediction also has
        ``polygons``, the kept ones as lists of floats.
    """
    items = pixel_inferencer.load_inputs(inputs, names)
    results: Dict[str, list] = dict(predictions=[])
    for start in range(0, len(items), batch_size):
        batch = items[start:start + batch_size]
        bgr = [np.ascontiguousarray(rgb[..., ::-1]) for _, rgb, _ in batch]
        dets = det_inferencer(
            bgr,
            return_datasamples=True,
            batch_size=len(batch),
            progress_bar=False)['predictions']
        polygons = [polygons_above(d, det_score_thr) for d in dets]
        out = pixel_inferencer(
            bgr,
            task='text_removal',
            batch_size=len(batch),
            polygons=polygons,
            dilate=dilate,
            names=[name for name, _, _ in batch],
            **kwargs)
        for (_, _, path), pred, kept in zip(batch, out['predictions'],
                                            polygons):
            pred['img_path'] = path
            pred['polygons'] = [
                np.asarray(p, dtype=np.float64).reshape(-1).tolist()
                for p in kept
            ]
        for key, value in out.items():
            results.setdefault(key, []).extend(value)
    return results


__all__ = [
    'erase_in_detections', 'erase_text_in_polygons', 'polygons_above',
    'polygons_mask'
]
