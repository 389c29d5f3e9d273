# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Bad input through I3CL's SSL data route: CheckedOCRDataset skips and
counts degenerate instances, the loss weights of the others stay aligned,
and an image whose instances are all ignored yields an empty
``gt_instances``."""
import json

import numpy as np
import pytest
from mmocr.registry import TRANSFORMS
from PIL import Image

from mmocr_ext.datasets import CheckedOCRDataset

PIPELINE = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(type='LoadInstanceLossWeights'),
    dict(
        type='KeepInstancesAligned',
        transforms=[
            dict(type='MMOCR2MMDet', poly2mask=True),
            dict(type='mmdet.RandomFlip', prob=1.0, direction='horizontal'),
            dict(type='mmdet.FilterAnnotations', min_gt_bbox_wh=(1, 1)),
        ]),
    dict(
        type='PackDetInputsWithLossWeights',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'flip',
                   'flip_direction')),
]


def _inst(poly, weight, ignore=False):
    xs, ys = poly[0::2], poly[1::2]
    return dict(
        polygon=poly,
        bbox=[min(xs), min(ys), max(xs), max(ys)],
        bbox_label=0,
        ignore=ignore,
        lossweight=weight)


def _square(x, y, s=10):
    return [x, y, x + s, y, x + s, y + s, x, y + s]


@pytest.fixture
def dataset(tmp_path):
    for name in ('gt_1.jpg', 'gt_2.jpg'):
        Image.new('RGB', (100, 60)).save(tmp_path / name)
    data_list = [
        dict(
            img_path='gt_1.jpg',
            height=60,
            width=100,
            instances=[
                _inst(_square(5, 5), 0.3),
                _inst([20, 20, 30, 20], 0.5),  # 2 points
                _inst(_square(40, 5), 0.7),
                _inst([50, 30, 60, 40, 70, 50], 0.9),  # collinear: no area
                _inst(_square(80, 40), 0.2, ignore=True),
            ]),
        dict(
            img_path='gt_2.jpg',
            height=60,
            width=100,
            instances=[
                _inst(_square(5, 5), 0.4, ignore=True),
                _inst(_square(30, 30), 0.6, ignore=True),
            ]),
    ]
    (tmp_path / 'train.json').write_text(
        json.dumps(dict(metainfo={}, data_list=data_list)))
    return CheckedOCRDataset(
        data_root=str(tmp_path),
        ann_file='train.json',
        filter_cfg=dict(filter_empty_gt=True, min_size=32),
        # built in mmocr's scope (a config run has default_scope='mmocr')
        pipeline=[TRANSFORMS.build(t) for t in PIPELINE])


def test_degenerate_skipped_and_weights_aligned(dataset):
    assert len(dataset) == 2
    assert dataset.checker.counts['skip_degenerate'] == 2
    assert 'degenerate=2' in dataset.checker.summary('x')
    sample = dataset[0]['data_samples']
    gt, ign = sample.gt_instances, sample.ignored_instances
    assert gt.loss_weights.tolist() == pytest.approx([0.3, 0.7])
    # flipped horizontally in the 100-wide image
    np.testing.assert_allclose(gt.bboxes.numpy(),
                               [[85, 5, 95, 15], [50, 5, 60, 15]])
    assert len(gt.masks) == len(gt.labels) == 2
    assert ign.loss_weights.tolist() == pytest.approx([0.2])


def test_all_ignored_image_gives_empty_gt_instances(dataset):
    sample = dataset[1]['data_samples']
    assert len(sample.gt_instances) == 0
    assert sample.gt_instances.loss_weights.shape == (0, )
    assert sample.gt_instances.bboxes.shape == (0, 4)
    assert len(sample.ignored_instances) == 2
    assert sample.ignored_instances.loss_weights.tolist() == pytest.approx(
        [0.4, 0.6])
