# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The text-spotting dataset configs (InstructOCR) parse, point at
data/<name>/textspotting_<split>.json and name the commands that write it."""
import os.path as osp

import pytest
from mmengine.config import Config

from conftest import REPO

DATASETS = osp.join(REPO, 'configs', 'textspot', '_base_', 'datasets')


def _load(name):
    path = osp.join(DATASETS, f'{name}.py')
    with open(path, encoding='utf-8') as f:
        header = f.read()
    return Config.fromfile(path, import_custom_modules=False), header


@pytest.mark.parametrize('name', ['icdar2013', 'icdar2015', 'totaltext'])
def test_benchmark_config(name):
    cfg, header = _load(name)
    root = cfg[f'{name}_textspotting_data_root']
    assert osp.normpath(root) == osp.join(REPO, 'data', name)
    variables = {k for k in cfg if k.endswith(('_train', '_test'))}
    assert variables == {
        f'{name}_textspotting_train', f'{name}_textspotting_test'
    }
    for split in ('train', 'test'):
        ds = cfg[f'{name}_textspotting_{split}']
        assert ds.type == 'CheckedOCRDataset'
        assert ds.data_root == root
        assert ds.ann_file == f'textspotting_{split}.json'
        assert ds.pipeline is None
        assert ds.get('test_mode', False) == (split == 'test')
        assert f'data/{name}/textspotting_{split}.json' in header
    assert f'prepare_dataset.py {name}' in header
    assert 'instructocr_tsv_to_mmocr.py' in header


def test_synth_config_builds_spotting_samples():
    from mmocr.registry import DATASETS as REGISTRY
    cfg, header = _load('synth_textspotting')
    root = cfg.synth_textspotting_data_root
    assert osp.normpath(root) == osp.join(REPO, 'data', 'synth_textspotting')
    assert 'data/synth_textspotting/textspotting_test.json' in header
    assert '--tasks spot' in header
    train, val, test = (
        cfg[f'synth_textspotting_{s}'] for s in ('train', 'val', 'test'))
    assert (train.task, train.seed, val.task, val.seed) == ('textspotting', 0,
                                                            'textspotting', 1)
    assert val.test_mode and not train.get('test_mode', False)
    assert train.renderer == val.renderer
    assert (test.type, test.ann_file,
            test.data_root) == ('CheckedOCRDataset', 'textspotting_test.json',
                                root)
    small = dict(train.to_dict(), num_samples=1, pipeline=[])
    small['renderer'] = dict(small['renderer'], height=96, width=96)
    info = REGISTRY.build(small).get_data_info(0)
    assert info['img'].shape[:2] == (96, 96) and info['instances']
    for inst in info['instances']:
        assert isinstance(inst['text'], str) and inst['text']
        assert len(inst['polygon']) >= 8 and inst['ignore'] is False
