# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STRICLViews: the transform and split views of E2STR's stage 2 (spec
A3.2) on hand-made crops of known character edges."""
import random

import numpy as np
import pytest
from mmocr.registry import TRANSFORMS

from mmocr_ext.datasets.transforms import E2STRICLViews

RIGHT = [10, 25, 33, 50, 60]  # right x edge of each character


def striped(right=RIGHT, height=20):
    """A BGR crop whose columns of character k all have the value k + 1."""
    img = np.zeros((height, right[-1], 3), np.uint8)
    left = 0
    for k, r in enumerate(right):
        img[:, left:r] = k + 1
        left = r
    return img


def sample(text='abcde', right=RIGHT, img=None):
    img = striped(right or RIGHT) if img is None else img
    return dict(
        img=img,
        img_path='x.png',
        ori_shape=img.shape[:2],
        gt_texts=[text],
        char_right_x=None if right is None else np.array(right, np.float32))


class Recording(E2STRICLViews):
    """Keeps the crops given to the strong augmentation, unaugmented."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.crops = []

    def _strong_aug(self, img):
        self.crops.append(img.copy())
        return super()._strong_aug(img)


def test_registered():
    t = TRANSFORMS.build(dict(type='E2STRICLViews', num_transforms=2))
    assert isinstance(t, E2STRICLViews) and t.num_transforms == 2


@pytest.mark.parametrize('seed', range(20))
def test_split_views_cut_at_the_character_edges(seed):
    random.seed(seed)
    t = Recording(num_transforms=0)
    res = t(sample())
    views = res['icl_views']
    assert 'icl_split_skipped' not in res
    assert len(views) == len(t.crops) >= 2
    for view, crop in zip(views, t.crops):
        assert view['kind'] == 'split'
        # the crop holds exactly the whole characters l..r
        chars = sorted(set(np.unique(crop).tolist()))
        first, last = chars[0] - 1, chars[-1] - 1
        assert chars == list(range(first + 1, last + 2))
        assert view['text'] == 'abcde'[first:last + 1]
        left = 0 if first == 0 else RIGHT[first - 1]
        assert crop.shape == (20, RIGHT[last] - left, 3)
        assert view['img'].shape == (32, 128, 3)
        assert view['img'].dtype == np.uint8


def test_split_counts():
    random.seed(0)
    t = E2STRICLViews(num_transforms=0)
    latin, other = set(), set()
    for _ in range(200):
        latin.add(len(t(sample('abcde'))['icl_views']))
        other.add(len(t(sample('12345'))['icl_views']))
    # Latin: U{2..len}; otherwise U{1..int(0.7 len)}
    assert latin == {2, 3, 4, 5}
    assert other == {1, 2, 3}
    # two characters, no Latin letter: max(int(1.4), 1) = 1 view
    two = sample('12', right=[10, 60])
    assert len(t(two)['icl_views']) == 1


def test_transform_views():
    random.seed(1)
    res = E2STRICLViews(num_transforms=3, split=False)(sample())
    views = res['icl_views']
    assert [v['kind'] for v in views] == ['transform'] * 3
    for v in views:
        assert v['text'] == 'abcde'
        assert v['img'].shape == (32, 128, 3) and v['img'].dtype == np.uint8
    res = E2STRICLViews(num_transforms=2)(sample())
    kinds = [v['kind'] for v in res['icl_views']]
    assert kinds[:2] == ['transform'] * 2 and set(kinds[2:]) == {'split'}


def test_channel_order_kept_and_scale():
    img = np.zeros((16, 40, 3), np.uint8)
    img[..., 0] = 255  # blue in BGR
    t = E2STRICLViews(
        num_transforms=1,
        split=False,
        scale=(64, 16),
        jitter=(0, 0, 0, 0),
        max_rotate=0)
    view = t(sample(right=None, img=img))['icl_views'][0]
    assert view['img'].shape == (16, 64, 3)
    assert (view['img'][..., 0] == 255).all()
    assert (view['img'][..., 1:] == 0).all()


def test_strong_aug_changes_the_crop():
    random.seed(3)
    img = (np.arange(40 * 160 * 3) % 251).astype(np.uint8).reshape(40, 160, 3)
    t = E2STRICLViews(num_transforms=4, split=False, scale=(160, 40))
    views = t(sample(right=None, img=img))['icl_views']
    assert all(not np.array_equal(v['img'], img) for v in views)


def test_no_split_without_or_with_mismatched_boxes():
    t = E2STRICLViews(num_transforms=1)
    res = t(sample(right=None))
    assert [v['kind'] for v in res['icl_views']] == ['transform']
    assert 'icl_split_skipped' not in res
    res = t(sample('abcdef'))  # 5 edges, 6 characters
    assert [v['kind'] for v in res['icl_views']] == ['transform']
    assert '5 character boxes' in res['icl_split_skipped']
    # one character: nothing to split
    res = t(sample('a', right=[60]))
    assert [v['kind'] for v in res['icl_views']] == ['transform']
    assert 'icl_split_skipped' not in res
    # split=False
    res = E2STRICLViews(num_transforms=0, split=False)(sample())
    assert res['icl_views'] == []


def test_narrow_crops_are_dropped():
    # characters 2..4 have zero width: their views are skipped
    random.seed(0)
    t = Recording(num_transforms=0)
    for _ in range(30):
        t.crops.clear()
        views = t(sample('abcd', right=[30, 30, 30, 60]))['icl_views']
        assert all(c.shape[1] >= 1 for c in t.crops)
        assert len(views) == len(t.crops)
        assert all(v['text'] not in ('b', 'c', 'bc') for v in views)


def test_edges_follow_a_resized_image():
    # the image was resized to half its width after the edges were loaded
    random.seed(0)
    res = sample()
    res['ori_shape'] = (20, 120)
    res['char_right_x'] = np.array(RIGHT, np.float32) * 2
    t = Recording(num_transforms=0)
    views = t(res)['icl_views']
    for view, crop in zip(views, t.crops):
        chars = np.unique(crop) - 1
        assert view['text'] == 'abcde'[chars.min():chars.max() + 1]


def test_text_from_instances_and_gray_images():
    res = dict(
        img=np.full((10, 30), 128, np.uint8),
        instances=[dict(text='hi')],
        char_right_x=None)
    views = E2STRICLViews(num_transforms=1)(res)['icl_views']
    assert views[0]['text'] == 'hi' and views[0]['img'].shape == (32, 128, 3)
