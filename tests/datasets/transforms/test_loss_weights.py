# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Per-instance loss weights: loading, alignment through instance-dropping
transforms, packing (I3CL SSL, spec A3)."""
import numpy as np
import pytest
from mmcv.transforms import Compose
from mmocr.datasets.transforms import (ImgAugWrapper, LoadOCRAnnotations,
                                       RandomCrop, RemoveIgnored)
from mmocr.registry import TRANSFORMS

from mmocr_ext.datasets.transforms import (KeepInstancesAligned,
                                           LoadInstanceLossWeights,
                                           PackDetInputsWithLossWeights)

IMG = 'data/x/gt_7.jpg'


def box_poly(x1, y1, x2, y2):
    return [x1, y1, x2, y1, x2, y2, x1, y2]


def loaded(boxes,
           weights=None,
           ignore=None,
           labels=None,
           height=50,
           width=200):
    """Results after LoadOCRAnnotations + LoadInstanceLossWeights."""
    instances = []
    for i, b in enumerate(boxes):
        inst = dict(
            polygon=box_poly(*b),
            bbox=list(b),
            bbox_label=labels[i] if labels else 0,
            ignore=bool(ignore and ignore[i]))
        if weights is not None and weights[i] is not None:
            inst['lossweight'] = weights[i]
        instances.append(inst)
    results = dict(
        img=np.zeros((height, width, 3), np.uint8),
        img_shape=(height, width),
        ori_shape=(height, width),
        img_path=IMG,
        instances=instances)
    results = LoadOCRAnnotations(
        with_bbox=True, with_label=True, with_polygon=True)(
            results)
    return LoadInstanceLossWeights()(results)


def test_load_weights_default_and_values():
    res = loaded([(0, 0, 10, 10)] * 3, weights=[0.25, None, 0])
    w = res['gt_loss_weights']
    assert w.dtype == np.float32 and w.shape == (3, )
    assert w.tolist() == [0.25, 1.0, 0.0]
    res = loaded([])
    assert res['gt_loss_weights'].shape == (0, )
    assert res['gt_loss_weights'].dtype == np.float32


@pytest.mark.parametrize('bad', [float('nan'), float('inf'), -0.5, 'x', True])
def test_bad_weight_names_image_and_instance(bad):
    with pytest.raises(ValueError, match=r'gt_7\.jpg: instances\[1\]'):
        loaded([(0, 0, 10, 10)] * 2, weights=[1.0, bad])


def test_mmocr_random_crop_drops_weights_with_instances():
    boxes = [(10, 5, 50, 20), (150, 5, 200, 20), (320, 5, 380, 20),
             (210, 30, 250, 45)]
    res = loaded(
        boxes, weights=[0.1, 0.2, 0.3, 0.4], labels=[5, 6, 7, 8], width=400)
    crop = RandomCrop()
    crop._sample_crop_box = lambda *a: np.array([100, 0, 300, 50])
    out = KeepInstancesAligned([crop])(res)
    assert out['gt_loss_weights'].tolist() == pytest.approx([0.2, 0.4])
    assert out['gt_bboxes_labels'].tolist() == [6, 8]
    np.testing.assert_allclose(out['gt_bboxes'],
                               [[50, 5, 100, 20], [110, 30, 150, 45]])


def test_mmdet_random_crop_drops_weights_with_instances():
    res = loaded([(10, 5, 50, 20), (150, 5, 200, 20), (320, 5, 380, 20)],
                 weights=[0.1, 0.2, 0.3],
                 width=400)
    crop = TRANSFORMS.build(
        dict(type='mmdet.RandomCrop', crop_size=(200, 50)))  # (w, h)
    crop._rand_offset = lambda margin: (0, 100)
    out = KeepInstancesAligned([dict(type='MMOCR2MMDet'), crop])(res)
    assert out['gt_loss_weights'].tolist() == pytest.approx([0.2])
    assert len(out['gt_masks']) == len(out['gt_bboxes']) == 1


def test_imgaug_rotation_drops_instance_out_of_image():
    # 200 x 50 image rotated by 90 degrees about its centre: only the box
    # near the centre stays inside.
    res = loaded([(5, 20, 25, 30), (90, 20, 110, 30), (175, 20, 195, 30)],
                 weights=[0.5, 0.7, 0.9],
                 labels=[1, 2, 3])
    rotate = ImgAugWrapper([dict(cls='Affine', rotate=[90, 90])])
    out = KeepInstancesAligned([rotate])(res)
    assert out['gt_loss_weights'].tolist() == pytest.approx([0.7])
    assert out['gt_bboxes_labels'].tolist() == [2]
    assert len(out['gt_polygons']) == 1


def test_mmdet_rotate_clips_and_filter_annotations_drops():
    boxes = [(5, 20, 25, 30), (90, 20, 110, 30), (175, 20, 195, 30)]
    rotate = dict(
        type='mmdet.Rotate',
        prob=1.0,
        level=10,
        min_mag=90.,
        max_mag=90.,
        reversal_prob=0.)
    # mmdet 3.1's Rotate keeps every instance: the ones rotated out of the
    # image become zero-height boxes.
    out = KeepInstancesAligned([dict(type='MMOCR2MMDet'), rotate])(
        loaded(boxes, weights=[0.5, 0.7, 0.9]))
    heights = out['gt_bboxes'][:, 3] - out['gt_bboxes'][:, 1]
    assert heights.tolist() == pytest.approx([0, 20, 0], abs=1e-3)
    assert out['gt_loss_weights'].tolist() == pytest.approx([0.5, 0.7, 0.9])
    out = KeepInstancesAligned([
        dict(type='MMOCR2MMDet'), rotate,
        dict(type='mmdet.FilterAnnotations', min_gt_bbox_wh=(1, 1))
    ])(
        loaded(boxes, weights=[0.5, 0.7, 0.9]))
    assert out['gt_loss_weights'].tolist() == pytest.approx([0.7])
    assert len(out['gt_bboxes']) == len(out['gt_ignore_flags']) == 1


def test_filter_annotations_drops_tiny_box():
    res = loaded([(10, 10, 40, 30), (60, 10, 60.5, 30), (80, 10, 120, 40)],
                 weights=[0.3, 0.6, 0.9],
                 ignore=[False, False, True])
    out = KeepInstancesAligned([
        dict(type='MMOCR2MMDet'),
        dict(type='mmdet.FilterAnnotations', min_gt_bbox_wh=(1, 1))
    ])(
        res)
    assert out['gt_loss_weights'].tolist() == pytest.approx([0.3, 0.9])
    assert out['gt_ignore_flags'].tolist() == [False, True]


def full_chain(poly2mask):
    """LoadOCRAnnotations -> LoadInstanceLossWeights -> KeepInstancesAligned
    ([MMOCR2MMDet, flip, filter, resize]) -> PackDetInputsWithLossWeights."""
    inner = [
        dict(type='MMOCR2MMDet', poly2mask=poly2mask),
        dict(type='mmdet.RandomFlip', prob=1.0, direction='horizontal'),
        dict(type='mmdet.FilterAnnotations', min_gt_bbox_wh=(1, 1)),
    ]
    meta_keys = ('img_path', 'ori_shape', 'img_shape', 'flip',
                 'flip_direction')
    if not poly2mask:
        # mmdet 3.1's PolygonMasks.to_bitmap() makes bool masks, which
        # mmdet's Resize/Rotate (cv2) refuse: resize polygon masks only.
        inner.append(
            dict(type='mmdet.Resize', scale=(400, 100), keep_ratio=True))
        meta_keys += ('scale_factor', )
    pipeline = [
        dict(
            type='LoadOCRAnnotations',
            with_polygon=True,
            with_bbox=True,
            with_label=True),
        dict(type='LoadInstanceLossWeights'),
        dict(type='KeepInstancesAligned', transforms=inner),
        dict(type='PackDetInputsWithLossWeights', meta_keys=meta_keys),
    ]
    return Compose([TRANSFORMS.build(t) for t in pipeline])


@pytest.mark.parametrize('poly2mask', [True, False])
def test_full_chain_packs_aligned_weights(poly2mask):
    boxes = [(10, 5, 50, 20), (60, 5, 60.5, 20), (100, 5, 150, 30),
             (160, 10, 190, 40)]
    instances = [
        dict(
            polygon=box_poly(*b),
            bbox=list(b),
            bbox_label=0,
            ignore=i == 2,
            lossweight=w)
        for i, (b, w) in enumerate(zip(boxes, [0.1, 0.2, 0.3, 0.4]))
    ]
    results = dict(
        img=np.zeros((50, 200, 3), np.uint8),
        img_shape=(50, 200),
        ori_shape=(50, 200),
        img_path=IMG,
        instances=instances)
    sample = full_chain(poly2mask)(results)['data_samples']
    gt, ign = sample.gt_instances, sample.ignored_instances
    assert gt.loss_weights.dtype.is_floating_point
    assert gt.loss_weights.tolist() == pytest.approx([0.1, 0.4])
    assert ign.loss_weights.tolist() == pytest.approx([0.3])
    assert len(gt.masks) == 2 and gt.labels.tolist() == [0, 0]
    # flipped horizontally in a 200-wide image (then scaled by 2)
    scale = 1 if poly2mask else 2
    np.testing.assert_allclose(
        gt.bboxes.numpy(),
        np.array([[150, 5, 190, 20], [10, 10, 40, 40]]) * scale)
    np.testing.assert_allclose(ign.bboxes.numpy(),
                               np.array([[50, 5, 100, 30]]) * scale)
    # each mask lies in its box
    for mask, bbox in zip(gt.masks.to_ndarray(), gt.bboxes.numpy()):
        ys, xs = np.nonzero(mask)
        assert bbox[0] - 1 <= xs.min() and xs.max() <= bbox[2]
        assert bbox[1] - 1 <= ys.min() and ys.max() <= bbox[3]


def test_zero_instances_and_none():
    res = loaded([], weights=[])
    out = KeepInstancesAligned([
        dict(type='MMOCR2MMDet', poly2mask=True),
        dict(type='mmdet.RandomFlip', prob=1.0)
    ])(
        res)
    assert out['gt_loss_weights'].shape == (0, )
    assert out['gt_bboxes_labels'].shape == (0, )
    packed = PackDetInputsWithLossWeights(meta_keys=('img_path', ))(out)
    assert len(packed['data_samples'].gt_instances) == 0
    assert packed['data_samples'].gt_instances.loss_weights.shape == (0, )
    # every instance ignored: RemoveIgnored returns None, so does the wrapper
    res = loaded([(0, 0, 10, 10)], weights=[0.5], ignore=[True])
    assert KeepInstancesAligned([RemoveIgnored()])(res) is None


def test_misuse_is_a_clear_error():
    res = loaded([(0, 0, 10, 10)] * 2, weights=[0.5, 0.6])
    res.pop('gt_loss_weights')
    with pytest.raises(KeyError, match='gt_loss_weights'):
        KeepInstancesAligned([])(res)

    def drop_box_only(results):
        results['gt_bboxes'] = results['gt_bboxes'][:1]
        return results

    res = loaded([(0, 0, 10, 10)] * 2, weights=[0.5, 0.6])
    with pytest.raises(ValueError, match='1 gt_bboxes but 2'):
        KeepInstancesAligned([drop_box_only])(res)

    def relabel(results):
        results['gt_bboxes_labels'] = np.array([0, 0])
        return results

    res = loaded([(0, 0, 10, 10)] * 2, weights=[0.5, 0.6])
    with pytest.raises(ValueError, match='not distinct instance indices'):
        KeepInstancesAligned([relabel])(res)
    with pytest.raises(ValueError, match='always kept aligned'):
        KeepInstancesAligned([], keys=('gt_bboxes_labels', ))


def test_texts_kept_aligned_through_mmdet_transforms():
    res = loaded([(10, 10, 40, 30), (60, 10, 60.5, 30)], weights=[0.3, 0.6])
    res['gt_texts'] = ['ab', 'cd']
    out = KeepInstancesAligned([
        dict(type='MMOCR2MMDet'),
        dict(type='mmdet.FilterAnnotations', min_gt_bbox_wh=(1, 1))
    ],
                               keys=('gt_loss_weights', 'gt_texts'))(
                                   res)
    assert out['gt_texts'] == ['ab']
    assert out['gt_loss_weights'].tolist() == pytest.approx([0.3])
