# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""BackgroundPool: text-free real crops, procedural images, errors."""
import json
import os.path as osp
import pickle

import cv2
import numpy as np
import pytest

from mmocr_ext.datasets.synth.backgrounds import BackgroundPool
from mmocr_ext.datasets.synth.procedural import procedural_background
from conftest import REPO

TOY_TRAIN = osp.join(REPO, 'data', 'icdar2015_toy', 'textdet_train.json')


@pytest.fixture(scope='module')
def real_pool():
    return BackgroundPool([TOY_TRAIN], procedural_prob=0.0)


@pytest.mark.parametrize('size', [(640, 640), (32, 200), (1, 1), (300, 97)])
@pytest.mark.parametrize('prob', [0.0, 1.0])
def test_shape_dtype(real_pool, size, prob):
    pool = real_pool if prob == 0.0 else BackgroundPool([], procedural_prob=1)
    rng = np.random.default_rng(0)
    for _ in range(5):
        img = pool.sample(rng, *size)
        assert img.shape == (*size, 3) and img.dtype == np.uint8


def test_default_is_toy_train():
    pool = BackgroundPool()
    assert len(pool) == 10
    assert all('/textdet_imgs/train/' in path for path, _ in pool.sources)


def test_deterministic():
    pool = BackgroundPool([TOY_TRAIN], procedural_prob=0.4)
    rng1, rng2 = np.random.default_rng(7), np.random.default_rng(7)
    for _ in range(20):
        assert np.array_equal(
            pool.sample(rng1, 64, 256), pool.sample(rng2, 64, 256))
    clone = pickle.loads(pickle.dumps(pool))
    assert np.array_equal(
        clone.sample(np.random.default_rng(3), 50, 50),
        pool.sample(np.random.default_rng(3), 50, 50))


def _polygon_mask(img_path):
    """Undilated mask of every polygon (ignored ones too) of an image."""
    with open(TOY_TRAIN) as f:
        data = json.load(f)
    entry = next(
        e for e in data['data_list']
        if osp.join(osp.dirname(TOY_TRAIN), e['img_path']) == img_path)
    img = cv2.imread(img_path)
    mask = np.zeros(img.shape[:2], np.uint8)
    for inst in entry['instances']:
        pts = np.asarray(inst['polygon']).reshape(-1, 2)
        cv2.fillPoly(mask, [np.round(pts).astype(np.int32)], 1)
    return mask


def test_real_crops_are_text_free(real_pool):
    rng = np.random.default_rng(0)
    masks = {}
    n_real = 0
    for _ in range(50):
        img, info = real_pool.sample(rng, 64, 192, return_info=True)
        assert img.shape == (64, 192, 3)
        if info['rect'] is None:
            continue
        n_real += 1
        path = info['source']
        if path not in masks:
            masks[path] = _polygon_mask(path)
        x, y, w, h = info['rect']
        assert w >= 64 and h >= 64
        assert not masks[path][y:y + h, x:x + w].any(), info
    assert n_real >= 40


def test_rect_avoids_all_polygons(real_pool):
    rng = np.random.default_rng(1)
    for index, (path, _) in enumerate(real_pool.sources):
        mask = _polygon_mask(path)
        for _ in range(10):
            rect = real_pool._sample_real_rect(rng, index, 100, 100)
            if rect is not None:
                x, y, w, h = rect
                assert not mask[y:y + h, x:x + w].any()


def test_ignored_polygons_are_avoided():
    with open(TOY_TRAIN) as f:
        data = json.load(f)
    n_ignored = sum(inst['ignore'] for e in data['data_list']
                    for inst in e['instances'])
    n_all = sum(len(e['instances']) for e in data['data_list'])
    pool = BackgroundPool([TOY_TRAIN])
    assert n_ignored > 0
    assert sum(len(polys) for _, polys in pool.sources) == n_all


def test_procedural_only():
    pool = BackgroundPool(ann_files=[], procedural_prob=1.0)
    rng = np.random.default_rng(0)
    imgs = [pool.sample(rng, 80, 120) for _ in range(20)]
    assert len({img.tobytes() for img in imgs}) == 20
    assert np.mean([img.std() for img in imgs]) > 3
    # no source: procedural whatever procedural_prob says
    assert BackgroundPool([], procedural_prob=0.0).sample(rng, 8, 8).shape \
        == (8, 8, 3)
    a = procedural_background(np.random.default_rng(5), 640, 640)
    b = procedural_background(np.random.default_rng(5), 640, 640)
    assert np.array_equal(a, b)


def test_bg_dirs(tmp_path):
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)
    cv2.imwrite(str(tmp_path / 'a.png'), img)
    pool = BackgroundPool([],
                          bg_dirs=[str(tmp_path)],
                          procedural_prob=0.0,
                          min_crop=16)
    out, info = pool.sample(rng, 30, 40, return_info=True)
    assert out.shape == (30, 40, 3)
    assert info['source'] == str((tmp_path / 'a.png').resolve())
    x, y, w, h = info['rect']
    assert 0 <= x and x + w <= 120 and 0 <= y and y + h <= 90


def test_bad_image_in_bg_dir(tmp_path):
    bad = tmp_path / 'sub' / 'bad.jpg'
    bad.parent.mkdir()
    bad.write_bytes(b'not an image at all' * 10)
    with pytest.raises(ValueError, match='cannot read image') as err:
        BackgroundPool([], bg_dirs=[str(tmp_path)])
    assert str(bad) in str(err.value)


def test_missing_sources(tmp_path):
    missing = str(tmp_path / 'missing.json')
    with pytest.raises(FileNotFoundError, match=missing):
        BackgroundPool([missing])
    with pytest.raises(FileNotFoundError, match='nodir'):
        BackgroundPool([], bg_dirs=[str(tmp_path / 'nodir')])
    broken = tmp_path / 'broken.json'
    broken.write_text('{"data_list": [', encoding='utf-8')
    with pytest.raises(ValueError, match='broken.json'):
        BackgroundPool([str(broken)])


def test_unreadable_referenced_image(tmp_path):
    (tmp_path / 'imgs').mkdir()
    (tmp_path / 'imgs' / 'x.jpg').write_bytes(b'garbage')
    ann = tmp_path / 'ann.json'
    ann.write_text(
        json.dumps(
            {'data_list': [{
                'img_path': 'imgs/x.jpg',
                'instances': []
            }]}))
    pool = BackgroundPool([str(ann)], procedural_prob=0.0)
    with pytest.raises(ValueError, match='x.jpg: cannot read image'):
        pool.sample(np.random.default_rng(0), 10, 10)
    ann.write_text(
        json.dumps(
            {'data_list': [{
                'img_path': 'imgs/none.jpg',
                'instances': []
            }]}))
    with pytest.raises(ValueError, match='none.jpg'):
        BackgroundPool([str(ann)])
