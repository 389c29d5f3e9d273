# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Outputs of the composed OCR pipeline: JSON, drawing, erased image.

The drawing is mmocr's end-to-end one (``TextSpottingLocalVisualizer``:
the image with the filled polygons | the texts written at their boxes on
white), with the erased image beside it when the pipeline erases, and a
red strip on top naming the stages that run with random weights.
"""
import json
import os.path as osp
from typing import Optional

import numpy as np

#: Long side of the drawings (the JSON keeps original pixels).
MAX_VIS_SIZE = 2048
_VISUALIZER = None


def _visualizer():
    global _VISUALIZER
    if _VISUALIZER is None:
        from mmocr.visualization import TextSpottingLocalVisualizer
        _VISUALIZER = TextSpottingLocalVisualizer.get_instance(
            'mmocr_ext_ocr_pipeline')
    return _VISUALIZER


def instance_outline(inst: dict, size: float) -> np.ndarray:
    """(N, 2) outline of an instance: its polygon, or a square of side
    ``size`` around a spotter's point."""
    if inst['polygon'] is not None:
        return np.asarray(inst['polygon'], dtype=np.float64).reshape(-1, 2)
    x, y = inst['point']
    h = size / 2
    return np.array([[x - h, y - h], [x + h, y - h], [x + h, y + h],
                     [x - h, y + h]])


def _banner(drawing: np.ndarray, text: str) -> np.ndarray:
    """The drawing under a red strip carrying ``text`` (wrapped)."""
    import cv2
    width = drawing.shape[1]
    scale = max(0.4, min(1.0, width / 1600))
    words, lines, line = text.split(), [], ''
    for word in words:
        probe = f'{line} {word}'.strip()
        (w, _), _ = cv2.getTextSize(probe, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)
        if w > width - 10 and line:
            lines.append(line)
            line = word
        else:
            line = probe
    lines.append(line)
    step = int(28 * scale) + 4
    strip = np.zeros((step * len(lines) + 6, width, 3), np.uint8)
    strip[...] = (200, 0, 0)
    for i, line in enumerate(lines):
        cv2.putText(strip, line, (5, step * (i + 1)), cv2.FONT_HERSHEY_SIMPLEX,
                    scale, (255, 255, 255), 1, cv2.LINE_AA)
    return np.concatenate([strip, drawing], axis=0)


def draw_result(result: dict,
                img: np.ndarray,
                banner: str = '',
                max_size: int = MAX_VIS_SIZE) -> np.ndarray:
    """The drawing of one result.

    Args:
        result (dict): A pipeline result (``instances``, ``erased``).
        img (np.ndarray): (H, W, 3) uint8 BGR image it was computed on.
        banner (str): Warning written in a red strip on top ('' for none).
        max_size (int): Long side of each panel at most (0: full size).

    Returns:
        np.ndarray: (h, k * w, 3) uint8 RGB: image with polygons | texts
        (| erased image).
    """
    import cv2
    rgb = img[..., ::-1]
    height, width = rgb.shape[:2]
    scale = 1.0
    if max_size and max(height, width) > max_size:
        scale = max_size / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    panel = (
        cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
        if scale != 1 else np.ascontiguousarray(rgb))
    point_size = max(4.0, min(height, width) / 60)
    outlines = [
        instance_outline(inst, point_size) * scale
        for inst in result['instances']
    ]
    bboxes = np.array([[*o.min(0), *o.max(0)]
                       for o in outlines]).reshape(-1, 4)
    texts = [inst['text'] for inst in result['instances']]
    drawing = _visualizer()._draw_instances(panel.copy(), bboxes,
                                            [o.reshape(-1) for o in outlines],
                                            texts)
    if result.get('erased') is not None:
        erased = cv2.resize(
            np.asarray(result['erased']), size, interpolation=cv2.INTER_AREA)
        drawing = np.concatenate([drawing, erased], axis=1)
    return _banner(drawing, banner) if banner else drawing


def result_json(result: dict) -> dict:
    """The JSON part of a result (without the ``erased`` array)."""
    return {k: v for k, v in result.items() if k != 'erased'}


def save_result(result: dict,
                img: np.ndarray,
                out_dir: str,
                save_vis: bool = True,
                banner: str = '',
                max_size: int = MAX_VIS_SIZE,
                name: Optional[str] = None) -> dict:
    """Write ``preds/<name>.json``, ``vis/<name>.jpg`` (``save_vis``) and,
    when erased, ``erased/<name>.png``; every file atomically.

    Args:
        result (dict): A pipeline result.
        img (np.ndarray): (H, W, 3) uint8 BGR image.
        out_dir (str): Output folder.
        save_vis (bool): Write the drawing.
        banner (str): See :func:`draw_result`.
        max_size (int): See :func:`draw_result`.
        name (str, optional): Output name. Defaults to the result's
            ``image`` without extension.

    Returns:
        dict: The paths written (``pred``, ``vis``, ``erased``).
    """
    from mmocr_ext.compat.atomic_save import atomic_write
    from mmocr_ext.visualization.pixel_ocr_visualizer import write_image
    name = name or osp.splitext(result['image'])[0]
    paths = dict(pred=osp.join(out_dir, 'preds', f'{name}.json'))
    atomic_write(
        json.dumps(result_json(result), ensure_ascii=False, indent=1),
        paths['pred'])
    if result.get('erased') is not None:
        paths['erased'] = osp.join(out_dir, 'erased', f'{name}.png')
        write_image(np.asarray(result['erased']), paths['erased'])
    if save_vis:
        paths['vis'] = osp.join(out_dir, 'vis', f'{name}.jpg')
        write_image(draw_result(result, img, banner, max_size), paths['vis'])
    return paths


def load_result(path: str) -> Optional[dict]:
    """Read one ``preds/<name>.json``."""
    with open(path, encoding='utf-8') as f:
        return json.load(f)
