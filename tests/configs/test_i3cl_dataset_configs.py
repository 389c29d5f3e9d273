# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The base dataset configs of I3CL's training sources parse and name the
files their header comments produce."""
import os.path as osp

import pytest
from mmengine.config import Config

from conftest import REPO

DATASETS = osp.join(REPO, 'configs', 'textdet', '_base_', 'datasets')
# config file -> {variable: (ann_file, image prefix)}
EXPECTED = {
    'art': {
        'art_textdet_train': ('textdet_train.json', None),
        'art_ssl_textdet_train': ('textdet_train_lossweight.json', None),
    },
    'lsvt': {
        'lsvt_textdet_train': ('textdet_train.json', 'imgs/'),
        'lsvt_ssl_textdet_train': ('textdet_train_lossweight.json', None),
        'lsvt_test_ssl_textdet_train': ('textdet_test_lossweight.json', None),
    },
    'rctw': {
        'rctw_textdet_train': ('textdet_train.json', 'imgs/')
    },
    'rects': {
        'rects_textdet_train': ('textdet_train.json', 'imgs/')
    },
    'mlt19': {
        'mlt19_textdet_train': ('textdet_train.json', None),
        'mlt19_ssl_textdet_train': ('textdet_train_lossweight.json', None),
    },
    'synthtext150k': {
        'synthtext150k_textdet_train': ('textdet_train.json', None)
    },
}


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_dataset_config(name):
    path = osp.join(DATASETS, f'{name}.py')
    cfg = Config.fromfile(path, import_custom_modules=False)
    root = cfg[f'{name}_textdet_data_root']
    assert osp.normpath(root) == osp.join(REPO, 'data', name)
    variables = {k for k in cfg if k.endswith(('_train', '_test'))}
    assert variables == set(EXPECTED[name])
    for var, (ann_file, prefix) in EXPECTED[name].items():
        ds = cfg[var]
        assert ds.type == 'CheckedOCRDataset'
        assert ds.data_root == root
        assert ds.ann_file == ann_file
        assert ds.pipeline is None
        assert ds.filter_cfg == dict(filter_empty_gt=True, min_size=32)
        assert ds.get('data_prefix', {}).get('img_path') == prefix
        assert not ds.get('test_mode', False)
    with open(path, encoding='utf-8') as f:
        header = f.read()
    # the header names the command that writes each annotation file
    for ann_file, _ in EXPECTED[name].values():
        assert f'data/{name}/{ann_file}' in header
