# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""SynthRenderDataset: sample i rendered from (seed, i), through mmocr."""
import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope
from mmocr.registry import DATASETS

from mmocr_ext.datasets import SynthRenderDataset
from mmocr_ext.datasets.synth import build_renderer

RENDERER = dict(height=96, width=128, num_words=(2, 3), font_size=(0.12, 0.2))
DET_PIPELINE = [
    dict(type='LoadImageFromNDArray'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True,
        with_text=True),
]


@pytest.fixture(autouse=True)
def mmocr_scope():
    with DefaultScope.overwrite_default_scope('mmocr'):
        yield


def _dataset(**kwargs):
    cfg = dict(
        type='SynthRenderDataset',
        num_samples=3,
        seed=5,
        renderer=RENDERER,
        pipeline=DET_PIPELINE)
    cfg.update(kwargs)
    return DATASETS.build(cfg)


def test_registered_and_renders_the_samples_of_its_seed():
    ds = _dataset(task='textspotting')
    assert isinstance(ds, SynthRenderDataset) and len(ds) == 3
    ref = build_renderer(**RENDERER).render(5, 1)
    item = ds[1]
    assert np.array_equal(item['img'], ref.image)
    assert item['img_shape'] == (96, 128)
    assert item['img_path'] == 'synth://5/1'
    assert len(item['gt_polygons']) == len(ref.words) > 0
    for poly, word in zip(item['gt_polygons'], ref.words):
        np.testing.assert_allclose(
            poly.reshape(-1, 2), word.polygon, atol=0.006)
    assert list(item['gt_texts']) == [w.text for w in ref.words]
    assert not item['gt_ignored'].any()
    # The same item twice, and another seed differs.
    assert np.array_equal(ds[1]['img'], item['img'])
    other = _dataset(seed=6, task='textspotting')
    assert not np.array_equal(other[1]['img'], item['img'])


def test_textdet_has_no_texts_and_packs_for_a_detector():
    pipeline = DET_PIPELINE[:2] + [
        dict(type='PackTextDetInputs', meta_keys=('img_path', 'img_shape'))
    ]
    pipeline[1] = dict(pipeline[1], with_text=False)
    ds = _dataset(task='textdet', pipeline=pipeline)
    info = ds.get_data_info(0)
    assert all('text' not in inst for inst in info['instances'])
    packed = ds[0]
    assert isinstance(packed['inputs'], torch.Tensor)
    assert packed['inputs'].shape == (3, 96, 128)
    assert len(packed['data_samples'].gt_instances.polygons) > 0


def test_textrecog_items_are_word_crops():
    ds = _dataset(
        task='textrecog',
        pipeline=[
            dict(type='LoadImageFromNDArray'),
            dict(type='LoadOCRAnnotations', with_text=True)
        ])
    ref = build_renderer(**RENDERER, with_crops=True).render(5, 2)
    item = ds[2]
    word = ref.words[2 % len(ref.words)]
    assert np.array_equal(item['img'], word.crop)
    assert item['gt_texts'] == [word.text]


@pytest.mark.parametrize('kwargs,message', [
    (dict(num_samples=0), 'num_samples'),
    (dict(task='kie'), 'task'),
])
def test_bad_settings_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        _dataset(**kwargs)
