# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Drawings of point-based text spotting (InstructOCR, SPTS-style models)."""
from typing import Optional, Sequence, Tuple

import mmcv
import numpy as np
from mmocr.registry import VISUALIZERS
from mmocr.visualization import TextSpottingLocalVisualizer


def instance_points(instances) -> Optional[np.ndarray]:
    """The (N, 2) points of an ``InstanceData``, or None without geometry.

    ``points`` when present (predictions); otherwise the centre of each
    polygon by the InstructOCR target rule (a quadrilateral: the mean of
    the midpoints of its first and third edges; a longer polygon: the
    centre of its minimum-area rectangle), else of each bbox.

    Args:
        instances (InstanceData): ``points`` (N, 2), ``polygons`` (list of
            (2k,) arrays) or ``bboxes`` (N, 4), tensors or arrays.

    Returns:
        np.ndarray or None: (N, 2) float32 x, y.
    """
    if 'points' in instances:
        points = instances.points
        points = points.cpu().numpy() if hasattr(points, 'cpu') else points
        return np.asarray(points, dtype=np.float32).reshape(-1, 2)
    if instances.get('polygons') is not None:
        from mmocr_ext.models.textspot.instructocr import \
            instructocr_module_loss as targets
        center = targets.instance_center
        centers = [center(np.asarray(p)) for p in instances.polygons]
        return np.asarray(centers, dtype=np.float32).reshape(-1, 2)
    if instances.get('bboxes') is not None:
        bboxes = instances.bboxes
        bboxes = bboxes.cpu().numpy() if hasattr(bboxes, 'cpu') else bboxes
        bboxes = np.asarray(bboxes, dtype=np.float32).reshape(-1, 4)
        return (bboxes[:, :2] + bboxes[:, 2:]) / 2
    return None


@VISUALIZERS.register_module()
class PointSpottingLocalVisualizer(TextSpottingLocalVisualizer):
    """Text spotting drawn as points with their transcriptions.

    The layout of mmocr's ``TextSpottingLocalVisualizer``: per drawn set
    (ground truth, prediction), the image with a filled dot at every point
    and its text next to it, beside a white canvas with the same dots and
    texts (readable whatever the image); ground truth above prediction.
    Predictions are drawn from ``pred_instances.points`` (those scoring
    more than ``pred_score_thr``), not from the small squares InstructOCR
    also writes as ``polygons``; the ground truth from the centres of its
    polygons (or ``points``). Instances without points (polygon spotters)
    are drawn at the centres of their polygons, or else of their bboxes.

    Args:
        name (str): Instance name. Defaults to 'visualizer'.
        point_radius (float, optional): Dot radius in pixels. Defaults to
            None: 0.6% of the shorter image side, at least 2.
        font_size (float, optional): Label size in points. Defaults to
            None: 2.5% of the shorter image side, at least 8.
        label_offset (float): Gap between a dot and its label, in radii.
            Defaults to 1.5.
        **kwargs: Arguments of ``TextSpottingLocalVisualizer``
            (``vis_backends``, ``save_dir``, ``font_families``...).
    """

    def __init__(self,
                 name: str = 'visualizer',
                 point_radius: Optional[float] = None,
                 font_size: Optional[float] = None,
                 label_offset: float = 1.5,
                 **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self.point_radius = point_radius
        self.font_size = font_size
        self.label_offset = label_offset

    def _sizes(self, image: np.ndarray) -> Tuple[float, float]:
        """Dot radius and font size for ``image``."""
        short = min(image.shape[:2])
        radius = self.point_radius or max(2.0, 0.006 * short)
        font_size = self.font_size or max(8.0, 0.025 * short)
        return radius, font_size

    def _colors(self, num: int) -> list:
        """One palette colour (RGB tuple) per instance, cycling."""
        return [self.PALETTE[i % len(self.PALETTE)] for i in range(num)]

    def get_points_image(self, image: np.ndarray, points: np.ndarray,
                         texts: Sequence[str]) -> np.ndarray:
        """Draw a filled dot at every point and its text beside it.

        Args:
            image (np.ndarray): (H, W, 3) RGB image.
            points (np.ndarray): (N, 2) x, y in ``image`` pixels.
            texts (Sequence[str]): N labels (empty ones are not drawn),
                right of their dot (left of it in the right quarter of the
                image).

        Returns:
            np.ndarray: The drawn (H, W, 3) RGB image.
        """
        self.set_image(image)
        if len(points) == 0:
            return self.get_image()
        radius, font_size = self._sizes(image)
        colors = self._colors(len(points))
        # Points at the border (or outside) are clipped into the image.
        h, w = image.shape[:2]
        points = np.clip(points, 0, [w - 1, h - 1]).astype(np.float32)
        self.draw_circles(
            points,
            np.full(len(points), radius, dtype=np.float32),
            edge_colors=colors,
            face_colors=colors,
            line_widths=1,
            alpha=1.0)
        labelled = [i for i, text in enumerate(texts) if text]
        if labelled:
            # Labels right of their dot; left of it in the right quarter.
            left = points[labelled, 0] > 0.75 * w
            gap = radius * self.label_offset
            positions = points[labelled] + np.stack(
                [np.where(left, -gap, gap),
                 np.zeros(len(labelled))], axis=1)
            positions = np.clip(positions, 0, [w - 1, h - 1])
            self.draw_texts([texts[i] for i in labelled],
                            positions,
                            colors=[colors[i] for i in labelled],
                            font_sizes=font_size,
                            vertical_alignments='center',
                            horizontal_alignments=[
                                'right' if flip else 'left' for flip in left
                            ],
                            font_families=self.font_families,
                            font_properties=self.font_properties,
                            bboxes=dict(
                                facecolor='white',
                                alpha=0.7,
                                pad=0.5,
                                edgecolor='none'))
        return self.get_image()

    def _draw_points(self, image: np.ndarray, points: np.ndarray,
                     texts: Sequence[str]) -> np.ndarray:
        """The drawn image beside a white canvas, (H, 2W, 3) RGB."""
        drawn = self.get_points_image(image, points, texts)
        canvas = self.get_points_image(np.full_like(image, 255), points, texts)
        return np.concatenate([drawn, canvas], axis=1)

    def _draw_set(self, image: np.ndarray, instances) -> np.ndarray:
        """Draw one set of instances at their points (see the class)."""
        points = instance_points(instances)
        if points is None:
            points = np.zeros((0, 2), dtype=np.float32)
        texts = list(instances.get('texts', []))[:len(points)]
        texts += [''] * (len(points) - len(texts))
        return self._draw_points(image, points, texts)

    def add_datasample(self,
                       name: str,
                       image: np.ndarray,
                       data_sample=None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: int = 0,
                       pred_score_thr: float = 0.5,
                       out_file: Optional[str] = None,
                       step: int = 0) -> np.ndarray:
        """Draw a data sample and save it to the backends / ``out_file``.

        Args:
            name (str): Image identifier.
            image (np.ndarray): (H, W, 3) RGB image.
            data_sample (TextSpottingDataSample, optional): With
                ``gt_instances`` (``polygons``/``points`` and ``texts``)
                and/or ``pred_instances`` (``points`` (N, 2), ``texts``,
                ``scores`` (N,)). Defaults to None.
            draw_gt (bool): Draw the ground truth. Defaults to True.
            draw_pred (bool): Draw the predictions. Defaults to True.
            show (bool): Show the drawing in a window. Defaults to False.
            wait_time (float): Seconds the window is shown. Defaults to 0.
            pred_score_thr (float): Predictions scoring more are drawn.
                Defaults to 0.5.
            out_file (str, optional): Also write the drawing there (BGR
                file). Defaults to None.
            step (int): Global step. Defaults to 0.

        Returns:
            np.ndarray: The drawing, RGB: (H, 2W, 3) per drawn set, sets
            stacked vertically (the image itself when nothing is drawn).
        """
        drawn = []
        if data_sample is not None:
            if draw_gt and 'gt_instances' in data_sample:
                drawn.append(self._draw_set(image, data_sample.gt_instances))
            if draw_pred and 'pred_instances' in data_sample:
                pred = data_sample.pred_instances
                if 'scores' in pred:
                    pred = pred[pred.scores > pred_score_thr]
                drawn.append(self._draw_set(image, pred.cpu().numpy()))
        drawing = self._cat_image(drawn, axis=0)
        if drawing is None:
            drawing = image
        if show:
            self.show(drawing, win_name=name, wait_time=wait_time)
        else:
            self.add_image(name, drawing, step)
        if out_file is not None:
            mmcv.imwrite(drawing[..., ::-1], out_file)
        self.set_image(drawing)
        return self.get_image()
