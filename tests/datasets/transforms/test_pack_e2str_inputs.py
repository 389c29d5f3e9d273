# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""PackE2STRInputs: mmocr's recognition packing plus the ICL views, which
survive TextRecogDataSample, pseudo_collate and a device move."""
import numpy as np
import pytest
import torch
from mmengine.dataset import pseudo_collate
from mmocr.registry import TRANSFORMS
from mmocr.structures import TextRecogDataSample

from mmocr_ext.datasets.transforms import PackE2STRInputs

META = ('img_path', 'ori_shape', 'img_shape', 'valid_ratio')


def results(views=None, text='hello'):
    img = np.random.randint(0, 255, (32, 128, 3), np.uint8)
    res = dict(
        img=img,
        img_path='x.png',
        ori_shape=(20, 60),
        img_shape=(32, 128),
        gt_texts=[text])
    if views is not None:
        res['icl_views'] = views
    return res


def view(value, text, kind):
    img = np.zeros((32, 128, 3), np.uint8)
    img[..., 0], img[..., 2] = value, 255 - value
    return dict(img=img, text=text, kind=kind)


def test_registered():
    t = TRANSFORMS.build(dict(type='PackE2STRInputs', meta_keys=META))
    assert isinstance(t, PackE2STRInputs) and t.meta_keys == META


def test_pack_views():
    views = [view(10, 'hello', 'transform'), view(20, 'ell', 'split')]
    res = results(views)
    packed = PackE2STRInputs(meta_keys=META)(res)
    sample = packed['data_samples']
    assert isinstance(sample, TextRecogDataSample)
    assert sample.gt_text.item == 'hello'
    assert torch.equal(packed['inputs'],
                       torch.from_numpy(res['img']).permute(2, 0, 1))
    imgs = sample.icl_imgs
    assert imgs.dtype == torch.uint8 and imgs.shape == (2, 3, 32, 128)
    # the channel order of the views is kept (channel 0 first)
    assert (imgs[0, 0] == 10).all() and (imgs[0, 2] == 245).all()
    assert (imgs[1, 0] == 20).all()
    assert sample.icl_texts == ['hello', 'ell']
    assert sample.icl_kinds == ['transform', 'split']
    assert sample.img_path == 'x.png' and sample.valid_ratio == 1


@pytest.mark.parametrize('views', [None, []])
def test_no_views(views):
    sample = PackE2STRInputs(meta_keys=META)(results(views))['data_samples']
    assert sample.icl_imgs.shape == (0, 3, 32, 128)
    assert sample.icl_imgs.dtype == torch.uint8
    assert sample.icl_texts == [] and sample.icl_kinds == []
    other = PackE2STRInputs(
        meta_keys=META, icl_scale=(64, 16))(results(views))['data_samples']
    assert other.icl_imgs.shape == (0, 3, 16, 64)


def test_wrong_view_size():
    bad = dict(img=np.zeros((32, 100, 3), np.uint8), text='a', kind='split')
    with pytest.raises(ValueError, match='x.png: ICL view 0'):
        PackE2STRInputs(meta_keys=META)(results([bad]))


def test_survives_collate_and_device_move():
    pack = PackE2STRInputs(meta_keys=META)
    batch = pseudo_collate([
        pack(results([view(1, 'ab', 'transform')], text='ab')),
        pack(results([], text='cd'))
    ])
    assert len(batch['inputs']) == 2
    first, second = batch['data_samples']
    assert first.icl_texts == ['ab'] and first.icl_imgs.shape[0] == 1
    assert second.icl_texts == [] and second.icl_imgs.shape[0] == 0
    # all three are metainfo (what the model reads)
    assert set(first.metainfo) >= {'icl_imgs', 'icl_texts', 'icl_kinds'}
    # the data preprocessor's cast (BaseDataElement.to) keeps every field
    moved = first.to('cpu')
    assert torch.equal(moved.icl_imgs, first.icl_imgs)
    assert moved.icl_texts == ['ab'] and moved.icl_kinds == ['transform']
    assert moved.gt_text.item == 'ab'
    # and so do new() and to_dict()
    assert first.new().icl_kinds == ['transform']
    assert first.to_dict()['icl_texts'] == ['ab']


def test_survives_the_data_preprocessor():
    from mmocr.models.textrecog.data_preprocessors import \
        TextRecogDataPreprocessor
    pack = PackE2STRInputs(meta_keys=META)
    batch = pseudo_collate(
        [pack(results([view(5, 'ab', 'split')], text='ab'))] * 2)
    out = TextRecogDataPreprocessor(
        mean=[0, 0, 0], std=[1, 1, 1], bgr_to_rgb=True)(
            batch, training=True)
    assert out['inputs'].shape == (2, 3, 32, 128)
    for sample in out['data_samples']:
        assert sample.metainfo['icl_imgs'].shape == (1, 3, 32, 128)
        assert sample.icl_texts == ['ab'] and sample.icl_kinds == ['split']
