# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""GenerateInstruction: instruction text and instance filtering (spec B5)."""
import numpy as np
import pytest
from mmcv.transforms import Compose
from mmocr.datasets.transforms import LoadOCRAnnotations, PackTextDetInputs
from mmocr.registry import TRANSFORMS

from mmocr_ext.datasets.instructions import parse_instruction, select_instances
from mmocr_ext.datasets.transforms import GenerateInstruction

TEXTS = ['STOP', '###', '2024', 'Exit', 'go']
IGNORE = [False, True, False, False, True]  # 'go' flagged ignored


def raw():
    """A data info with 5 boxes in a row, 10 px apart."""
    instances = []
    for i, (text, ign) in enumerate(zip(TEXTS, IGNORE)):
        x = 10.0 * i
        instances.append(
            dict(
                polygon=[x, 0, x + 8, 0, x + 8, 5, x, 5],
                bbox=[x, 0, x + 8, 5],
                bbox_label=0,
                ignore=ign,
                text=text))
    return dict(
        img=np.zeros((20, 60, 3), np.uint8),
        img_shape=(20, 60),
        ori_shape=(20, 60),
        img_path='data/x/img_1.jpg',
        instances=instances)


def loaded():
    """Results after LoadOCRAnnotations (polygon, bbox, label, text)."""
    return LoadOCRAnnotations(
        with_polygon=True, with_bbox=True, with_label=True, with_text=True)(
            raw())


def kept_x(results):
    return [int(p[0]) // 10 for p in results['gt_polygons']]


def check_aligned(results, idx):
    assert kept_x(results) == idx
    assert results['gt_texts'] == [TEXTS[i] for i in idx]
    assert results['gt_bboxes'].shape == (len(idx), 4)
    np.testing.assert_array_equal(results['gt_bboxes'][:, 0],
                                  [10.0 * i for i in idx])
    assert results['gt_bboxes_labels'].tolist() == [0] * len(idx)
    assert results['gt_ignored'].tolist() == [IGNORE[i] for i in idx]


def test_pretrain_drops_ignored():
    res = GenerateInstruction(stage='pretrain')(loaded())
    assert res['instruction'] == 'all text'
    check_aligned(res, [0, 2, 3])


def test_test_stage_keeps_everything():
    res = GenerateInstruction(stage='test')(loaded())
    assert res['instruction'] == 'all text'
    check_aligned(res, [0, 1, 2, 3, 4])
    # fixed filter: unselected valid instances go, ignored ones stay
    res = GenerateInstruction(
        stage='test', instruction='text of number')(
            loaded())
    assert res['instruction'] == 'text of number'
    check_aligned(res, [1, 2, 4])


def test_fixed_instruction_in_training():
    t = GenerateInstruction(
        stage='instruction', instruction="text ends with the character 't'")
    res = t(loaded())
    assert res['instruction'] == "text ends with the character 't'"
    check_aligned(res, [3])
    res = GenerateInstruction(
        stage='instruction', instruction='text of go,STOP')(
            loaded())
    check_aligned(res, [0])  # 'go' is ignored
    with pytest.raises(ValueError, match='not a template'):
        GenerateInstruction(instruction='what is written here?')
    with pytest.raises(ValueError, match='stage'):
        GenerateInstruction(stage='val')
    with pytest.raises(ValueError, match='order'):
        GenerateInstruction(order='middle')


def test_sampled_instruction_filters_consistently():
    t = GenerateInstruction(stage='instruction', seed=0, order='before_aug')
    seen = set()
    for _ in range(200):
        res = t(loaded())
        tid, _ = parse_instruction(res['instruction'])
        seen.add(tid)
        selected = select_instances(res['instruction'], TEXTS)
        check_aligned(res, [i for i in (0, 2, 3) if selected[i]])
    # 'STOP', '2024', 'Exit': a number, all lengths 4 -> the 10-way table
    assert seen == set(range(10))
    assert "order='before_aug'" in repr(t)
    # same seed, same stream
    a = [GenerateInstruction('instruction', seed=4)(loaded())['instruction']]
    b = [GenerateInstruction('instruction', seed=4)(loaded())['instruction']]
    assert a == b


def test_empty_and_missing_texts():
    res = dict(img_path='e.jpg', gt_polygons=[], gt_ignored=np.zeros(0, bool))
    res = GenerateInstruction(stage='instruction')(res)
    assert res['instruction'] == 'all text' and res['gt_polygons'] == []
    res = loaded()
    del res['gt_texts']
    with pytest.raises(KeyError, match='gt_texts'):
        GenerateInstruction(stage='instruction')(res)
    res['gt_bboxes'] = res['gt_bboxes'][:2]
    with pytest.raises(ValueError, match='different lengths'):
        GenerateInstruction(stage='pretrain')(res)


def test_in_mmocr_pipeline():
    pipeline = Compose([
        TRANSFORMS.build(cfg) for cfg in [
            dict(
                type='LoadOCRAnnotations',
                with_polygon=True,
                with_bbox=True,
                with_label=True,
                with_text=True),
            dict(
                type='GenerateInstruction',
                stage='test',
                instruction="text starts with the character 'E'"),
            dict(
                type='PackTextDetInputs',
                meta_keys=('img_path', 'ori_shape', 'img_shape',
                           'instruction')),
        ]
    ])
    assert isinstance(pipeline.transforms[1], GenerateInstruction)
    assert isinstance(pipeline.transforms[2], PackTextDetInputs)
    sample = pipeline(raw())['data_samples']
    assert sample.metainfo['instruction'] == (
        "text starts with the character 'E'")
    gt = sample.gt_instances
    assert gt.texts == ['###', 'Exit', 'go']
    assert gt.ignored.tolist() == [True, False, True]
    assert gt.bboxes[:, 0].tolist() == [10.0, 30.0, 40.0]
    assert [float(p[0]) for p in gt.polygons] == [10.0, 30.0, 40.0]
