# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""mmocr's text-detection visualizer with drawings saved by every process."""
import numpy as np
from mmengine.dist import is_main_process
from mmengine.visualization import LocalVisBackend, Visualizer
from mmocr.registry import VISUALIZERS
from mmocr.visualization import TextDetLocalVisualizer


@VISUALIZERS.register_module()
class TextDetAllRanksVisualizer(TextDetLocalVisualizer):
    """``TextDetLocalVisualizer`` whose images reach disk from every rank.

    mmengine's ``Visualizer.add_image`` is ``master_only``: under
    ``tools/dist_test.sh CONFIG CKPT N --show-dir DIR`` each process draws
    the 1/N of the test images it evaluated, but only rank 0's drawings were
    written, so the others were silently missing. Here every rank hands its
    drawings to the file-based :class:`LocalVisBackend` (names are image
    basenames, disjoint between ranks, so nothing collides); other backends
    (TensorBoard, W&B, ...) and all scalars, configs and graphs stay on
    rank 0 as in mmengine. The canvas and drawing methods, ``master_only``
    in mmengine too, run on every rank (without that, other ranks saved the
    bare image: no ground truth, no predictions). Same arguments as
    ``TextDetLocalVisualizer``.
    """

    def add_image(self, name: str, image: np.ndarray, step: int = 0) -> None:
        """Record an RGB image (every rank for local files).

        Args:
            name (str): Image identifier (the file name stem).
            image (np.ndarray): RGB image (H, W, 3).
            step (int): Global step. Defaults to 0.
        """
        for backend in self._vis_backends.values():
            if is_main_process() or isinstance(backend, LocalVisBackend):
                backend.add_image(name, image, step)


# mmengine decorates these with ``master_only`` (functools.wraps keeps the
# undecorated function as ``__wrapped__``): every rank draws its own images.
_CANVAS_METHODS = ('set_image', 'get_image', 'draw_points', 'draw_texts',
                   'draw_lines', 'draw_circles', 'draw_bboxes',
                   'draw_polygons', 'draw_binary_masks')
for _name in _CANVAS_METHODS:
    setattr(TextDetAllRanksVisualizer, _name,
            getattr(Visualizer, _name).__wrapped__)
