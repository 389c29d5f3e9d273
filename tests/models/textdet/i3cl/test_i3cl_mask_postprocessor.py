# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""I3CL's submission post-processing (spec A4) next to mmocr's default."""
import copy
import os.path as osp
import sys

import numpy as np
import torch
from mmdet.structures import DetDataSample
from mmengine.structures import InstanceData
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample

from mmocr_ext.models.textdet.i3cl import I3CLMaskPostprocessor

sys.path.insert(0, osp.dirname(__file__))
from i3cl_tiny import toy_model_cfg  # noqa: E402


def _pred(masks, scores):
    return InstanceData(
        masks=torch.as_tensor(np.stack(masks)).bool(),
        scores=torch.tensor(scores, dtype=torch.float32),
        bboxes=torch.zeros(len(masks), 4),
        labels=torch.zeros(len(masks), dtype=torch.long))


def _rect(x1, y1, x2, y2, size=(40, 60)):
    mask = np.zeros(size, np.uint8)
    mask[y1:y2 + 1, x1:x2 + 1] = 1
    return mask


def test_rectangle_gives_its_four_corners_reversed():
    post = I3CLMaskPostprocessor()
    poly = post.mask_to_polygon(_rect(10, 5, 30, 20))
    # findContours walks the outer border counter-clockwise in image
    # coordinates starting top-left: (10,5) (10,20) (30,20) (30,5);
    # approxPolyDP keeps the corners; I3CL reverses the order.
    assert poly.tolist() == [30, 5, 30, 20, 10, 20, 10, 5]
    assert post.mask_to_polygon(np.zeros((8, 8), np.uint8)).size == 0
    unreversed = I3CLMaskPostprocessor(reverse=False)
    assert unreversed.mask_to_polygon(_rect(
        10, 5, 30, 20)).tolist() == [10, 5, 10, 20, 30, 20, 30, 5]


def test_score_threshold_and_first_contour_only():
    two_blobs = _rect(2, 2, 10, 10) | _rect(30, 20, 50, 30)
    pred = _pred([_rect(10, 5, 30, 20), two_blobs,
                  _rect(1, 1, 5, 5)], [0.9, 0.8, 0.45])
    polygons, scores = I3CLMaskPostprocessor()(pred)
    # 0.45 is not > 0.45: dropped; the two-blob mask gives one polygon.
    assert len(polygons) == 2
    torch.testing.assert_close(scores, torch.tensor([0.9, 0.8]))
    # The official post-processing keeps the first contour of the list.
    assert len(polygons[1]) == 8
    polygons, scores = I3CLMaskPostprocessor(score_thr=0.0)(pred)
    assert len(polygons) == 3 and scores.shape == (3, )


def test_wrapper_switches_between_mmocr_default_and_i3cl():
    two_blobs = _rect(2, 2, 10, 10) | _rect(30, 20, 50, 30)
    det = DetDataSample()
    det.pred_instances = _pred([two_blobs, _rect(10, 5, 30, 20)], [0.9, 0.3])
    cfg = toy_model_cfg()
    default = MODELS.build(copy.deepcopy(cfg))
    out = default.adapt_predictions([det], [TextDetDataSample()])[0]
    # mmocr: every contour of every mask, every score.
    assert len(out.pred_instances.polygons) == 3
    i3cl = MODELS.build(
        dict(cfg, postprocessor=dict(type='I3CLMaskPostprocessor')))
    out = i3cl.adapt_predictions([det], [TextDetDataSample()])[0]
    assert len(out.pred_instances.polygons) == 1
    torch.testing.assert_close(out.pred_instances.scores, torch.tensor([0.9]))
