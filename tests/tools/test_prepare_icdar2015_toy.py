# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``prepare_icdar2015_toy.py`` regenerates the bundled json exactly."""
import json
import os.path as osp
import sys

from conftest import REPO, run

TOY = osp.join(REPO, 'data', 'icdar2015_toy')


def test_regenerates_bundled_annotations(tmp_path):
    out = tmp_path / 'toy'
    run([
        sys.executable, 'tools/dataset_converters/prepare_icdar2015_toy.py',
        '--train',
        osp.join(TOY, 'textdet_imgs', 'train'),
        osp.join(TOY, 'annotations', 'train'), '--test',
        osp.join(TOY, 'textdet_imgs', 'test'),
        osp.join(TOY, 'annotations', 'test'), '--out',
        str(out)
    ])
    # (boxes, '###' boxes) per split, counted in the RRC txt files
    expected = dict(train=(82, 61), test=(24, 4))
    for split in ('train', 'test'):
        with open(osp.join(TOY, f'textdet_{split}.json')) as f:
            bundled = json.load(f)
        with open(out / f'textdet_{split}.json') as f:
            assert json.load(f) == bundled
        ignored = [
            inst['ignore'] for entry in bundled['data_list']
            for inst in entry['instances']
        ]
        assert (len(ignored), sum(ignored)) == expected[split]
