# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Render tampered-text boxes as UPOCR's colour-coded target (spec §2)."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmocr.registry import TRANSFORMS

# background, real text (label 1), tampered text (label 2)
TAMPER_COLOURS = ((255, 0, 0), (0, 255, 0), (0, 0, 255))


@TRANSFORMS.register_module()
class RenderTamperedBoxMap(BaseTransform):
    """Draw ``gt_boxes`` into an RGB map the size of ``img``.

    Background pixels are (255, 0, 0); a box with label 1 (real text) is
    filled (0, 255, 0), label 2 (tampered) (0, 0, 255). Corners are
    inclusive (every pixel with x1 <= x <= x2 and y1 <= y <= y2), clipped
    to the image; boxes are drawn in order, later ones on top; an empty
    box list gives an all-background map.

    Required Keys:

    - img (np.ndarray)
    - gt_boxes (list | np.ndarray): (N, 4) x1, y1, x2, y2
    - gt_box_labels (list | np.ndarray): (N, ) in {1, 2}

    Added Keys:

    - gt_img (np.ndarray): (H, W, 3) uint8

    Raises:
        ValueError: A label other than 1 or 2, or a box count differing
            from the label count (naming ``img_path``).
    """

    def transform(self, results: dict) -> Optional[dict]:
        h, w = results['img'].shape[:2]
        where = results.get('img_path', '<img>')
        boxes = np.asarray(results.get('gt_boxes', []),
                           np.float64).reshape(-1, 4)
        labels = np.asarray(results.get('gt_box_labels', []),
                            np.int64).reshape(-1)
        if len(boxes) != len(labels):
            raise ValueError(f'{where}: {len(boxes)} boxes but '
                             f'{len(labels)} labels')
        out = np.empty((h, w, 3), np.uint8)
        out[...] = TAMPER_COLOURS[0]
        for box, label in zip(boxes, labels):
            if label not in (1, 2):
                raise ValueError(f'{where}: box label must be 1 or 2, got '
                                 f'{label}')
            x1, y1 = max(0, int(box[0])), max(0, int(box[1]))
            x2, y2 = min(w - 1, int(box[2])), min(h - 1, int(box[3]))
            if x2 >= x1 and y2 >= y1:
                out[y1:y2 + 1, x1:x2 + 1] = TAMPER_COLOURS[label]
        results['gt_img'] = out
        return results
