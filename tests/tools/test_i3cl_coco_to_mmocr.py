# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``i3cl_coco_to_mmocr.py``: I3CL's COCO JSON (with ``lossweight``) ->
mmocr 1.x textdet JSON."""
import json
import os.path as osp
import string
import subprocess
import sys

import pytest

from conftest import REPO, tool_env

TOOL = osp.join(REPO, 'tools', 'dataset_converters', 'i3cl_coco_to_mmocr.py')
NAMES = ['text'] + list(string.digits + string.ascii_uppercase +
                        string.ascii_lowercase)


def _coco():
    return dict(
        images=[
            dict(id=1, file_name='gt_1.jpg', height=100, width=200),
            dict(id=2, file_name='gt_2.jpg', height=50, width=60),
            dict(id=3, file_name='gt_3.jpg', height=30, width=40),
        ],
        categories=[dict(id=i + 1, name=n) for i, n in enumerate(NAMES)],
        annotations=[
            dict(
                id=10,
                image_id=1,
                category_id=1,
                iscrowd=0,
                bbox=[10, 20, 40, 20],
                segmentation=[[10, 20, 50, 20, 50, 40, 10, 40]],
                lossweight=0.75),
            dict(
                id=11,
                image_id=1,
                category_id=1,
                iscrowd=1,
                bbox=[60, 5, 40, 25.5],
                segmentation=[[60, 5, 100, 5, 100, 30.5, 60, 30.5]],
                lossweight=1.0),
            dict(
                id=12,
                image_id=2,
                category_id=2,  # the digit '0': not used by I3CL
                iscrowd=0,
                bbox=[1, 1, 5, 5],
                segmentation=[[1, 1, 6, 1, 6, 6, 1, 6]]),
            dict(
                id=13,
                image_id=2,
                category_id=1,
                iscrowd=0,
                bbox=[0, 0, 10, 10],
                segmentation=[[0, 0, 10, 0, 10, 10, 0, 10]]),
        ])


def _cli(tmp_path, coco, *extra):
    src = tmp_path / 'art_train_lossweight.json'
    src.write_text(json.dumps(coco))
    out = tmp_path / 'out' / 'textdet_train_lossweight.json'
    proc = subprocess.run(
        [sys.executable, TOOL,
         str(src), str(out), *extra],
        cwd=REPO,
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=120)
    return proc, out


def test_converts_exactly_and_reports(tmp_path):
    proc, out = _cli(tmp_path, _coco(), '--img-prefix', 'imgs/')
    assert proc.returncode == 0, proc.stderr
    assert ('3 images (1 without annotations, kept), 3 text instances '
            '(1 ignored, 2 with lossweight); 1 annotations of other '
            'categories dropped') in proc.stderr
    assert json.loads(out.read_text()) == dict(
        metainfo=dict(
            dataset_type='TextDetDataset',
            task_name='textdet',
            category=[dict(id=0, name='text')]),
        data_list=[
            dict(
                img_path='imgs/gt_1.jpg',
                height=100,
                width=200,
                instances=[
                    dict(
                        polygon=[10, 20, 50, 20, 50, 40, 10, 40],
                        bbox=[10, 20, 50, 40],
                        bbox_label=0,
                        ignore=False,
                        lossweight=0.75),
                    dict(
                        polygon=[60, 5, 100, 5, 100, 30.5, 60, 30.5],
                        bbox=[60, 5, 100, 30.5],
                        bbox_label=0,
                        ignore=True,
                        lossweight=1.0),
                ]),
            dict(
                img_path='imgs/gt_2.jpg',
                height=50,
                width=60,
                instances=[
                    dict(
                        polygon=[0, 0, 10, 0, 10, 10, 0, 10],
                        bbox=[0, 0, 10, 10],
                        bbox_label=0,
                        ignore=False)
                ]),
            dict(img_path='imgs/gt_3.jpg', height=30, width=40, instances=[]),
        ])


@pytest.mark.parametrize('field, value, msg', [
    ('lossweight', float('nan'), 'lossweight must be a finite'),
    ('lossweight', -1, 'lossweight must be a finite'),
    ('segmentation', [[1, 2, 3, 4]], 'must be a polygon'),
    ('segmentation', [[0, 0, 1, 0, 1, 1], [0, 0, 1, 0, 1, 1]], '2 polygons'),
    ('image_id', 99, 'no image with that id'),
])
def test_bad_annotation_names_it(tmp_path, field, value, msg):
    coco = _coco()
    coco['annotations'][0][field] = value
    proc, out = _cli(tmp_path, coco)
    assert proc.returncode == 2
    assert 'art_train_lossweight.json' in proc.stderr
    assert 'annotation id=10' in proc.stderr and msg in proc.stderr
    assert not out.exists()


def test_missing_text_category(tmp_path):
    coco = _coco()
    coco['categories'] = coco['categories'][1:]
    proc, _ = _cli(tmp_path, coco)
    assert proc.returncode == 2 and 'named "text"' in proc.stderr


def test_textdet_relabel_sets_label_zero(tmp_path):
    relabel = osp.join(REPO, 'tools', 'dataset_converters',
                       'textdet_relabel.py')
    src = tmp_path / 'instances_training.json'
    inst = dict(polygon=[0, 0, 4, 0, 4, 4], bbox=[0, 0, 4, 4], ignore=False)
    src.write_text(
        json.dumps(
            dict(
                metainfo=dict(dataset_type='TextDetDataset'),
                data_list=[
                    dict(
                        img_path='a.jpg',
                        instances=[
                            dict(inst, bbox_label=1),
                            dict(inst, bbox_label=0)
                        ])
                ])))
    out = tmp_path / 'textdet_train.json'
    proc = subprocess.run(
        [sys.executable, relabel, str(src),
         str(out)],
        cwd=REPO,
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert '1 bbox_label(s) set to 0' in proc.stderr
    ann = json.loads(out.read_text())
    assert ann['metainfo'] == dict(
        dataset_type='TextDetDataset', category=[dict(id=0, name='text')])
    assert [i['bbox_label']
            for i in ann['data_list'][0]['instances']] == [0, 0]
