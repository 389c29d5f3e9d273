# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``prepare_msra_td500.py``: rotated boxes -> polygons computed by hand."""
import json
import math
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from conftest import REPO

TOOL = osp.join(REPO, 'tools/dataset_converters/prepare_msra_td500.py')


def _image(path, height, width):
    cv2.imwrite(str(path), np.full((height, width, 3), 127, np.uint8))


def _convert(td500, out, *extra):
    return subprocess.run([
        sys.executable, TOOL, '--td500',
        str(td500), '--out',
        str(out), *extra
    ],
                          cwd=REPO,
                          capture_output=True,
                          text=True)


@pytest.fixture
def td500(tmp_path):
    root = tmp_path / 'MSRA-TD500'
    for split in ('train', 'test'):
        (root / split).mkdir(parents=True)
    _image(root / 'train' / 'IMG_0001.JPG', 80, 100)
    # an upright box, and a difficult one turned by 90 degrees
    (root / 'train' / 'IMG_0001.gt'
     ).write_text(f'0 0 10 20 40 10 0\r\n1 1 10 20 40 10 {math.pi / 2}\r\n')
    _image(root / 'test' / 'IMG_0002.JPG', 60, 90)
    (root / 'test' / 'IMG_0002.gt').write_text(f'0 0 10 20 40 10 {math.pi}\n')
    tr400 = tmp_path / 'HUST-TR400'
    tr400.mkdir()
    _image(tr400 / 'IMG_0003.jpg', 50, 70)
    (tr400 / 'IMG_0003.gt').write_text('0 0 1 2 3 4 0\n')
    return root, tr400


def _instance(poly, ignore):
    xs, ys = poly[0::2], poly[1::2]
    return dict(
        polygon=poly,
        bbox=[min(xs), min(ys), max(xs), max(ys)],
        bbox_label=0,
        ignore=ignore)


def test_converts_td500_and_tr400(td500, tmp_path):
    root, tr400 = td500
    out = tmp_path / 'out'
    proc = _convert(root, out, '--tr400', str(tr400))
    assert proc.returncode == 0, proc.stderr
    with open(out / 'textdet_train.json') as f:
        train = json.load(f)
    with open(out / 'textdet_test.json') as f:
        test = json.load(f)
    assert train['metainfo']['task_name'] == 'textdet'
    # centre (30, 25); corners TL, TR, BR, BL of the unrotated 40x10 box
    upright = [10., 20., 50., 20., 50., 30., 10., 30.]
    turned = [35., 5., 35., 45., 25., 45., 25., 5.]  # +90 deg, y down
    flipped = [50., 30., 10., 30., 10., 20., 50., 20.]  # 180 deg
    assert train['data_list'] == [
        dict(
            img_path='textdet_imgs/train/IMG_0001.JPG',
            height=80,
            width=100,
            instances=[_instance(upright, False),
                       _instance(turned, True)]),
        dict(
            img_path='textdet_imgs/train/tr400_IMG_0003.jpg',
            height=50,
            width=70,
            instances=[_instance([1., 2., 4., 2., 4., 6., 1., 6.], False)])
    ]
    assert test['data_list'] == [
        dict(
            img_path='textdet_imgs/test/IMG_0002.JPG',
            height=60,
            width=90,
            instances=[_instance(flipped, False)])
    ]
    assert (out / 'textdet_imgs/train/tr400_IMG_0003.jpg').is_file()

    # the TCM TD500 dataset class reads the result
    from mmocr.registry import DATASETS
    dataset = DATASETS.build(
        dict(
            type='CheckedOCRDataset',
            data_root=str(out),
            ann_file='textdet_train.json',
            pipeline=[]))
    assert len(dataset) == 2
    assert dataset[0]['img_path'] == str(out /
                                         'textdet_imgs/train/IMG_0001.JPG')


@pytest.mark.parametrize('line,problem',
                         [('0 0 10 20 40 10', '7 fields'),
                          ('0 0 10 20 forty 10 0', 'not a number'),
                          ('0 2 10 20 40 10 0', 'difficult 0/1')])
def test_malformed_line_names_file_and_line(td500, tmp_path, line, problem):
    root, _ = td500
    gt = root / 'train' / 'IMG_0001.gt'
    gt.write_text('0 0 10 20 40 10 0\n' + line + '\n')
    proc = _convert(root, tmp_path / 'out')
    assert proc.returncode == 2
    assert f'{gt}, line 2' in proc.stderr and problem in proc.stderr


def test_missing_ground_truth(td500, tmp_path):
    root, _ = td500
    (root / 'test' / 'IMG_0002.gt').unlink()
    proc = _convert(root, tmp_path / 'out')
    assert proc.returncode == 2
    assert 'IMG_0002.gt not found' in proc.stderr
