# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``mlt19_converter.py``: MLT19 ground truth -> mmocr 1.x textdet JSON."""
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import pytest
from PIL import Image

from conftest import REPO, tool_env

TOOL = osp.join(REPO, 'tools', 'dataset_converters', 'mlt19_converter.py')
METAINFO = dict(
    dataset_type='TextDetDataset',
    task_name='textdet',
    category=[dict(id=0, name='text')])


def _module():
    spec = importlib.util.spec_from_file_location('_mlt19_converter', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cli(*args):
    return subprocess.run([sys.executable, TOOL, *map(str, args)],
                          cwd=REPO,
                          env=tool_env(),
                          capture_output=True,
                          text=True,
                          timeout=120)


@pytest.fixture
def mlt(tmp_path):
    root = tmp_path / 'mlt19'
    gt, imgs = root / 'gt', root / 'imgs'
    gt.mkdir(parents=True)
    imgs.mkdir()
    Image.new('RGB', (120, 80)).save(imgs / 'tr_img_00001.jpg')
    Image.new('RGB', (60, 40)).save(imgs / 'tr_img_00002.png')
    Image.new('RGB', (30, 20)).save(imgs / 'tr_img_00003.jpg')
    # BOM, CRLF, a transcription with commas, a do-not-care region
    (gt / 'gt_tr_img_00001.txt').write_bytes(
        '\ufeff10,20,50,20,50,40,10,40,Latin,Hello, world\r\n'
        '60,5,100,5,100,30,60,30,None,###\r\n\r\n'.encode('utf-8'))
    (gt / 'tr_img_00002.txt').write_text(
        '1.5,2,30,2,30,20,1.5,20,Chinese,中文\n', encoding='utf-8')
    (gt / 'gt_tr_img_00003.txt').write_text('', encoding='utf-8')
    return root


def test_converts_exactly(mlt):
    proc = _cli(mlt / 'gt', mlt / 'imgs', '--out-dir', mlt)
    assert proc.returncode == 0, proc.stderr
    assert 'train: 3 images, 3 instances (1 ignored' in proc.stderr
    with open(mlt / 'textdet_train.json', encoding='utf-8') as f:
        out = json.load(f)
    assert out == dict(
        metainfo=METAINFO,
        data_list=[
            dict(
                img_path='imgs/tr_img_00001.jpg',
                height=80,
                width=120,
                instances=[
                    dict(
                        polygon=[10, 20, 50, 20, 50, 40, 10, 40],
                        bbox=[10, 20, 50, 40],
                        bbox_label=0,
                        ignore=False),
                    dict(
                        polygon=[60, 5, 100, 5, 100, 30, 60, 30],
                        bbox=[60, 5, 100, 30],
                        bbox_label=0,
                        ignore=True)
                ]),
            dict(
                img_path='imgs/tr_img_00002.png',
                height=40,
                width=60,
                instances=[
                    dict(
                        polygon=[1.5, 2, 30, 2, 30, 20, 1.5, 20],
                        bbox=[1.5, 2, 30, 20],
                        bbox_label=0,
                        ignore=False)
                ]),
            dict(
                img_path='imgs/tr_img_00003.jpg',
                height=20,
                width=30,
                instances=[]),
        ])
    assert not (mlt / 'textdet_val.json').exists()


def test_val_split_is_seeded_and_disjoint(mlt):
    assert _cli(mlt / 'gt', mlt / 'imgs', '--out-dir', mlt, '--val-ratio',
                '0.34').returncode == 0
    parts = {}
    for name in ('train', 'val'):
        with open(mlt / f'textdet_{name}.json', encoding='utf-8') as f:
            parts[name] = [d['img_path'] for d in json.load(f)['data_list']]
    assert len(parts['val']) == 1 and len(parts['train']) == 2
    assert sorted(parts['train'] + parts['val']) == [
        f'imgs/tr_img_0000{i}.{"png" if i == 2 else "jpg"}' for i in (1, 2, 3)
    ]
    mod = _module()
    data = [dict(img_path=str(i)) for i in range(10)]
    assert mod.split(data, 0.3, 0) == mod.split(data, 0.3, 0)


@pytest.mark.parametrize('line, msg', [
    ('10,20,50,20,50,40,10,Latin,x', '9'),
    ('10,20,50,x,50,40,10,40,Latin,x', 'bad coordinate'),
    ('10,20,50,nan,50,40,10,40,Latin,x', 'bad coordinate'),
])
def test_malformed_line_names_file_and_line(mlt, line, msg):
    bad = mlt / 'gt' / 'gt_tr_img_00001.txt'
    bad.write_text('10,20,50,20,50,40,10,40,Latin,ok\n' + line + '\n')
    proc = _cli(mlt / 'gt', mlt / 'imgs', '--out-dir', mlt)
    assert proc.returncode == 2
    assert f'{bad}:2:' in proc.stderr and msg in proc.stderr
    assert not (mlt / 'textdet_train.json').exists()


def test_missing_image_is_an_error(mlt):
    (mlt / 'imgs' / 'tr_img_00003.jpg').unlink()
    proc = _cli(mlt / 'gt', mlt / 'imgs', '--out-dir', mlt)
    assert proc.returncode == 2
    assert 'gt_tr_img_00003.txt: no image' in proc.stderr
