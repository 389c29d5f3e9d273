# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STR's recognition dataset configs parse and point at the expected
files; the bundled word crops are complete; the stage-2 data pipeline runs
end to end on one sample with character polygons."""
import json
import os.path as osp
import random

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope
from mmengine.utils import get_installed_path
from mmocr.registry import DATASETS

from conftest import REPO

DATASETS_DIR = osp.join(REPO, 'configs', 'textrecog', '_base_', 'datasets')
UNION14M = ('challenging', 'hard', 'medium', 'normal', 'easy')
# config -> {variable: (data root under data/, ann_file, test_mode)}
EXPECTED = {
    'union14m': {
        f'union14m_{s}_textrecog_train':
        ('Union14M-L', f'train_annos/mmocr1.0/train_{s}.json', False)
        for s in UNION14M
    },
    'synth_textrecog': {
        'synth_textrecog_train':
        ('synth_textrecog_train', 'textrecog_train.json', False),
        'synth_textrecog_test':
        ('synth_textrecog_test', 'textrecog_test.json', True),
    },
    'word_crops': {
        'word_crops_textrecog_test':
        ('word_crops', 'textrecog_test.json', True)
    },
}
# mmocr's benchmark configs the E2STR leaves list as bases
MMOCR_BENCHMARKS = {
    'iiit5k': 'iiit5k_textrecog_test',
    'svt': 'svt_textrecog_test',
    'icdar2013': 'icdar2013_textrecog_test',  # 1015 words
    'icdar2015': 'icdar2015_textrecog_test',
    'svtp': 'svtp_textrecog_test',
    'cute80': 'cute80_textrecog_test',
}
WORD_CROPS = osp.join(REPO, 'data', 'word_crops')


@pytest.fixture
def mmocr_scope():
    # a config run has default_scope='mmocr'
    with DefaultScope.overwrite_default_scope('mmocr'):
        yield


def _load(path):
    return Config.fromfile(path, import_custom_modules=False)


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_dataset_config(name):
    cfg = _load(osp.join(DATASETS_DIR, f'{name}.py'))
    datasets = {
        k
        for k, v in cfg.items()
        if isinstance(v, dict) and v.get('type') == 'OCRDataset'
    }
    assert datasets == set(EXPECTED[name])
    for var, (root, ann_file, test_mode) in EXPECTED[name].items():
        ds = cfg[var]
        assert osp.normpath(ds.data_root) == osp.join(REPO, 'data', root)
        assert ds.ann_file == ann_file
        assert ds.pipeline is None
        assert ds.get('test_mode', False) is test_mode
        assert DATASETS.get(ds.type) is not None


def test_union14m_list():
    cfg = _load(osp.join(DATASETS_DIR, 'union14m.py'))
    assert cfg.union14m_textrecog_train_list == [
        cfg[f'union14m_{s}_textrecog_train'] for s in UNION14M
    ]


def test_mmocr_benchmark_configs():
    root = osp.join(
        get_installed_path('mmocr'), '.mim', 'configs', 'textrecog', '_base_',
        'datasets')
    for name, var in MMOCR_BENCHMARKS.items():
        cfg = _load(osp.join(root, f'{name}.py'))
        assert cfg[var].test_mode and cfg[var].ann_file == (
            'textrecog_test.json')
    assert 'icdar2013_857_textrecog_test' in _load(
        osp.join(root, 'icdar2013.py'))


def test_word_crops_json(mmocr_scope):
    with open(
            osp.join(WORD_CROPS, 'textrecog_test.json'),
            encoding='utf-8') as f:
        ann = json.load(f)
    assert ann['metainfo'] == dict(
        dataset_name='word_crops', task_name='textrecog')
    paths = [d['img_path'] for d in ann['data_list']]
    assert len(paths) == len(set(paths)) == 36
    for entry in ann['data_list']:
        assert osp.isfile(osp.join(WORD_CROPS, entry['img_path']))
        assert len(entry['instances']) == 1
        assert entry['instances'][0]['text'].strip()
    assert osp.isfile(osp.join(WORD_CROPS, 'SOURCE.txt'))
    cfg = _load(osp.join(DATASETS_DIR, 'word_crops.py'))
    ds = DATASETS.build(dict(cfg.word_crops_textrecog_test, pipeline=[]))
    assert len(ds) == 36
    texts = {
        osp.normpath(d['img_path']): d['instances'][0]['text']
        for d in ds
    }
    assert texts[osp.join(WORD_CROPS, 'mmocr_toy',
                          '1036169.jpg')] == ('03/09/2009')


def test_stage2_pipeline(tmp_path, mmocr_scope):
    """A crop whose 4 characters end at x = 12, 30, 41, 60."""
    right = [12, 30, 41, 60]
    img = np.zeros((24, 60, 3), np.uint8)
    left = 0
    for k, r in enumerate(right):
        img[:, left:r] = 40 * (k + 1)
        left = r
    cv2.imwrite(str(tmp_path / 'w.png'), img)
    polys = [[a, 0, b, 0, b, 24, a, 24]
             for a, b in zip([0] + right[:-1], right)]
    ann = dict(
        metainfo=dict(dataset_name='synth', task_name='textrecog'),
        data_list=[
            dict(
                img_path='w.png',
                instances=[dict(text='Word', char_polygons=polys)])
        ])
    with open(tmp_path / 'ann.json', 'w', encoding='utf-8') as f:
        json.dump(ann, f)
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadOCRAnnotations', with_text=True),
        dict(type='LoadCharBoxes'),
        dict(type='E2STRICLViews', num_transforms=2),
        dict(type='Resize', scale=(128, 32)),
        dict(
            type='PackE2STRInputs',
            meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
    ]
    ds = DATASETS.build(
        dict(
            type='OCRDataset',
            data_root=str(tmp_path),
            ann_file='ann.json',
            pipeline=pipeline))
    random.seed(0)
    batch = pseudo_collate([ds[0], ds[0]])
    for inputs, sample in zip(batch['inputs'], batch['data_samples']):
        assert inputs.shape == (3, 32, 128)
        assert sample.gt_text.item == 'Word'
        n = len(sample.icl_texts)
        assert sample.icl_imgs.shape == (n, 3, 32, 128)
        assert sample.icl_imgs.dtype == torch.uint8
        assert sample.icl_kinds[:2] == ['transform'] * 2
        assert sample.icl_texts[:2] == ['Word'] * 2
        # Latin text: 2..4 split views, each a substring of whole characters
        assert 2 <= sample.icl_kinds.count('split') <= 4
        for text in sample.icl_texts[2:]:
            assert text and text in 'Word'
