# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CheckedOCRDataset: clear errors for bad annotations, before training."""
import json
import os.path as osp
import shutil

import pytest

from mmocr_ext.datasets import AnnotationError, CheckedOCRDataset
from conftest import REPO

TOY = osp.join(REPO, 'data', 'icdar2015_toy')


def _build(root, ann='textdet_train.json', **kwargs):
    return CheckedOCRDataset(
        data_root=str(root), ann_file=ann, pipeline=[], **kwargs)


def _copy_toy(tmp_path):
    root = tmp_path / 'toy'
    shutil.copytree(TOY, root)
    return root


def _edit(root, fn, ann='textdet_train.json'):
    path = root / ann
    data = json.loads(path.read_text())
    fn(data)
    path.write_text(json.dumps(data))


def test_bundled_toy_set_loads():
    train = _build(TOY)
    test = _build(TOY, ann='textdet_test.json', test_mode=True)
    assert len(train) == 10 and len(test) == 3
    n_inst = sum(len(train.get_data_info(i)['instances']) for i in range(10))
    assert n_inst == 82  # data/icdar2015_toy/SOURCE.txt: 82 boxes, 61 '###'


def test_missing_image_names_the_file(tmp_path):
    root = _copy_toy(tmp_path)
    (root / 'textdet_imgs' / 'train' / 'img_3.jpg').unlink()
    with pytest.raises(AnnotationError) as err:
        _build(root)
    msg = str(err.value)
    assert 'textdet_train.json' in msg and 'img_3.jpg' in msg
    assert 'not found' in msg


@pytest.mark.parametrize('bad, what', [
    ([1, 2, 3, 4, 5], 'polygon'),
    ([1, 2, 'x', 4, 5, 6], 'polygon'),
    ([1, 2, 3, 4], 'polygon'),
])
def test_malformed_polygon(tmp_path, bad, what):
    root = _copy_toy(tmp_path)
    _edit(root,
          lambda d: d['data_list'][4]['instances'][1].update(polygon=bad))
    with pytest.raises(AnnotationError) as err:
        _build(root)
    msg = str(err.value)
    assert 'textdet_train.json' in msg and 'data_list[4]' in msg
    assert 'instances[1]' in msg and what in msg


def test_malformed_bbox_and_ignore(tmp_path):
    root = _copy_toy(tmp_path)
    _edit(
        root, lambda d: d['data_list'][0]['instances'][0].update(
            bbox=[10, 10, 5, 5]))
    with pytest.raises(AnnotationError, match='bbox'):
        _build(root)
    root = _copy_toy(tmp_path / 'b')
    _edit(root,
          lambda d: d['data_list'][0]['instances'][0].update(ignore='yes'))
    with pytest.raises(AnnotationError, match='ignore'):
        _build(root)


def test_unparsable_json_names_the_file(tmp_path):
    root = _copy_toy(tmp_path)
    (root / 'textdet_train.json').write_text('{"metainfo": {}, "data_list": [')
    with pytest.raises(AnnotationError, match='textdet_train.json'):
        _build(root)


def test_missing_annotation_file(tmp_path):
    with pytest.raises(AnnotationError, match='does not exist'):
        _build(tmp_path)
