# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""DropDegenerateInstances: removal, alignment, logging and counting."""
import numpy as np
from mmengine.logging import MMLogger
from mmocr.registry import TRANSFORMS

from mmocr_ext.datasets.transforms import DropDegenerateInstances

POLYGONS = [
    [0, 0, 10, 0, 10, 5, 0, 5],  # fine, area 50
    [0, 0, 10, 0],  # 2 points
    [0, 0, 10, 0, 20, 0, 30, 0],  # collinear: zero area
    [0, 0, np.nan, 0, 10, 5, 0, 5],  # NaN
    [1, 1, 4, 1, 1, 4],  # fine triangle, area 4.5
    [0, 0, 1, 0, 1],  # odd number of values
]


def results():
    n = len(POLYGONS)
    return dict(
        img_path='data/x/img_9.jpg',
        gt_polygons=[np.array(p, np.float32) for p in POLYGONS],
        gt_bboxes=np.arange(4 * n, dtype=np.float32).reshape(n, 4),
        gt_bboxes_labels=np.arange(n, dtype=np.int64),
        gt_ignored=np.array([0, 0, 0, 0, 1, 0], bool),
        gt_texts=[f'w{i}' for i in range(n)])


def test_drops_and_keeps_aligned(monkeypatch):
    messages = []
    logger = MMLogger.get_current_instance()
    monkeypatch.setattr(logger, 'warning', messages.append)
    before = DropDegenerateInstances.num_dropped
    images = DropDegenerateInstances.num_images_with_drops
    t = TRANSFORMS.build(dict(type='DropDegenerateInstances'))
    out = t(results())
    assert out['gt_bboxes_labels'].tolist() == [0, 4]
    assert out['gt_texts'] == ['w0', 'w4']
    assert out['gt_ignored'].tolist() == [False, True]
    assert out['gt_bboxes'][:, 0].tolist() == [0.0, 16.0]
    assert [p.tolist()
            for p in out['gt_polygons']] == [POLYGONS[0], POLYGONS[4]]
    assert DropDegenerateInstances.num_dropped == before + 4
    assert DropDegenerateInstances.num_images_with_drops == images + 1
    assert len(messages) == 1
    msg = messages[0]
    assert 'data/x/img_9.jpg' in msg and 'dropped 4 of 6' in msg
    assert '2 fewer than 3 points' in msg and '1 non-finite' in msg
    assert '1 zero area' in msg
    # nothing to drop: untouched, no log; min_area threshold
    clean = dict(img_path='a.jpg', gt_polygons=[np.array(POLYGONS[4])])
    assert DropDegenerateInstances()(clean) is clean
    assert len(messages) == 1
    out = DropDegenerateInstances(min_area=4.5)(
        dict(img_path='a.jpg', gt_polygons=[np.array(POLYGONS[4])]))
    assert out['gt_polygons'] == [] and len(messages) == 2


def test_non_finite_bbox_and_all_dropped():
    res = dict(
        img_path='b.jpg',
        gt_polygons=[np.array(POLYGONS[0], np.float32)],
        gt_bboxes=np.array([[0, 0, np.inf, 5]], np.float32))
    out = DropDegenerateInstances()(res)
    assert out is not None
    assert out['gt_polygons'] == [] and out['gt_bboxes'].shape == (0, 4)
    assert DropDegenerateInstances()(
        dict(img_path='c.jpg')) == dict(img_path='c.jpg')
