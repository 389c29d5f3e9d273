# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The drawings of ``tools/infer.py``: predictions on a bounded image.

Heavy modules (cv2, mmcv) are imported by the functions that need them.
"""
from typing import Optional

from .infer_utils import scaled_sample as _scaled_geometry


def scaled_sample(sample, scale: float):
    """A copy of ``sample`` with its predicted geometry times ``scale``.

    ``polygons`` and ``bboxes`` (see
    :func:`mmocr_ext.apis.infer_utils.scaled_sample`) and the ``points``
    (N, 2) of point spotters.

    Args:
        sample (TextDetDataSample): Predictions (``pred_instances``).
        scale (float): Factor.

    Returns:
        The same sample for ``scale == 1``, else a shallow copy whose
        ``pred_instances`` fields are replaced (``sample`` is untouched).
    """
    sample = _scaled_geometry(sample, scale)
    if scale != 1 and 'points' in sample.pred_instances:
        sample.pred_instances.points = sample.pred_instances.points * scale
    return sample


def draw_prediction(name: str, img, draw: tuple, out_file: Optional[str],
                    call_args: dict) -> None:
    """Draw predictions on ``img`` (BGR), long side ``max_vis_size`` at most.

    The image is downscaled first and the predicted coordinates with it, so
    the drawing costs memory for the bounded size only (KIE drawings are
    made by mmocr at full size, then downscaled).

    Args:
        name (str): Image identifier.
        img (np.ndarray): (H, W, 3) BGR image.
        draw (tuple): ``(visualizer, data_sample, scalable)``, ``scalable``
            True when the sample holds image coordinates; for KIE
            ``(kie_inferencer, (kie_input, kie_sample), False)``.
        out_file (str, optional): Where to write the drawing.
        call_args (dict): ``max_vis_size``, ``show``, ``pred_score_thr``.
    """
    import cv2
    import mmcv
    visualizer, sample, scalable = draw
    max_size = call_args['max_vis_size']
    height, width = img.shape[:2]
    scale = 1.0
    if max_size and max(height, width) > max_size:
        scale = max_size / max(height, width)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if not hasattr(visualizer, 'add_datasample'):  # KIE: mmocr draws
        drawn = visualizer.visualize(
            [sample[0]], [sample[1]],
            return_vis=True,
            show=call_args['show'],
            pred_score_thr=call_args['pred_score_thr'])[0]
        if scale != 1:
            drawn = cv2.resize(
                drawn, (max(1, round(drawn.shape[1] * scale)),
                        max(1, round(drawn.shape[0] * scale))),
                interpolation=cv2.INTER_AREA)
        if out_file:
            mmcv.imwrite(drawn[..., ::-1], out_file)
        return
    if scale != 1:
        img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
        if scalable:
            sample = scaled_sample(sample, scale)
    visualizer.add_datasample(
        name,
        img[..., ::-1].copy(),  # RGB, as mmocr's visualizers expect
        sample,
        draw_gt=False,
        show=call_args['show'],
        pred_score_thr=call_args['pred_score_thr'],
        out_file=out_file)
