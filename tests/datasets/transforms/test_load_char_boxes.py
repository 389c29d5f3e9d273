# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""LoadCharBoxes: right character edges from the annotation or E2STR's
pos file; a missing source gives None, a malformed file a ValueError."""
import json
import os.path as osp

import numpy as np
import pytest
from mmocr.registry import TRANSFORMS

from mmocr_ext.datasets.transforms import LoadCharBoxes


def quad(x1, y1, x2, y2):
    return [x1, y1, x2, y1, x2, y2, x1, y2]


def results(img_path='data/x/word_1.png', **inst):
    return dict(img_path=img_path, instances=[dict(text='abc', **inst)])


def write_json(path, obj):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(obj, f)
    return str(path)


def test_registered():
    t = TRANSFORMS.build(dict(type='LoadCharBoxes'))
    assert isinstance(t, LoadCharBoxes) and t.pos_file is None


def test_from_char_polygons_and_boxes():
    # a slanted quad: the right edge is its max x
    polys = [
        quad(0, 0, 10, 5),
        quad(10, 0, 21, 5), [21, 0, 30, 1, 33, 5, 22, 5]
    ]
    out = LoadCharBoxes()(results(char_polygons=polys))['char_right_x']
    assert out.dtype == np.float32 and out.tolist() == [10, 21, 33]
    boxes = [[0, 0, 7, 5], [7, 0, 15.5, 5]]
    out = LoadCharBoxes()(results(char_boxes=boxes))['char_right_x']
    assert out.dtype == np.float32 and out.tolist() == [7, 15.5]
    # char_polygons wins over char_boxes
    out = LoadCharBoxes()(results(char_polygons=polys,
                                  char_boxes=boxes))['char_right_x']
    assert out.tolist() == [10, 21, 33]


def test_missing_gives_none():
    assert LoadCharBoxes()(results())['char_right_x'] is None
    assert LoadCharBoxes()(dict(img_path='a.png',
                                instances=[]))['char_right_x'] is None
    assert LoadCharBoxes()(dict(img_path='a.png'))['char_right_x'] is None


def test_malformed_instance_boxes_name_the_image():
    with pytest.raises(ValueError, match='word_1.png.*char_boxes'):
        LoadCharBoxes()(results(char_boxes=[[0, 0, 'x', 5]]))
    with pytest.raises(ValueError, match='char_polygons'):
        LoadCharBoxes()(results(char_polygons=[[0, 0, 1, 1]]))


def test_pos_file_matching(tmp_path):
    pos = write_json(
        tmp_path / 'pos.json', {
            '/abs/imgs/full.png': [[0, 0, 5, 9], [5, 0, 12, 9]],
            'imgs/rel.png': [[0, 0, 3, 9, 0, 0, 0, 0]],
            'a/dup.png': [[0, 0, 1, 1]],
            'b/dup.png': [[0, 0, 2, 2]],
            'deep/name.png': [[0, 0, 4, 4], [4, 0, 8, 4]],
        })
    t = LoadCharBoxes(pos_file=pos)
    # full path
    assert t(results('/abs/imgs/full.png'))['char_right_x'].tolist() == [5, 12]
    # relative to the json's folder
    rel = osp.join(str(tmp_path), 'imgs', 'rel.png')
    assert t(results(rel))['char_right_x'].tolist() == [3]
    # basename fallback, unless ambiguous
    assert t(
        results('/other/root/name.png'))['char_right_x'].tolist() == [4, 8]
    assert t(results('/other/dup.png'))['char_right_x'] is None
    assert t(results('/other/absent.png'))['char_right_x'] is None
    # the annotation comes first
    out = t(results('/abs/imgs/full.png', char_boxes=[[0, 0, 1, 1]]))
    assert out['char_right_x'].tolist() == [1]
    # a lookup does not hand out the cached array
    out = t(results('/abs/imgs/full.png'))['char_right_x']
    out[:] = -1
    assert t(results('/abs/imgs/full.png'))['char_right_x'].tolist() == [5, 12]


def test_pos_file_loaded_once(tmp_path, monkeypatch):
    pos = write_json(tmp_path / 'once.json', {'x.png': [[0, 0, 3, 3]]})
    from mmocr_ext.datasets.transforms import load_char_boxes as mod
    calls = []
    real = mod._CharBoxIndex

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(mod, '_CharBoxIndex', counting)
    monkeypatch.setattr(mod, '_POS_CACHE', {})
    a, b = LoadCharBoxes(pos_file=pos), LoadCharBoxes(pos_file=pos)
    for t in (a, b, a):
        assert t(results('x.png'))['char_right_x'].tolist() == [3]
    assert len(calls) == 1


@pytest.mark.parametrize('content', [
    'not json', '[1, 2]', '{"a.png": 3}', '{"a.png": [[0, 0]]}',
    '{"a.png": [[0, 0, "x", 1]]}', '{"a.png": [[0, 0, NaN, 1]]}'
])
def test_malformed_pos_file(tmp_path, content):
    path = tmp_path / 'bad_pos.json'
    path.write_text(content, encoding='utf-8')
    with pytest.raises(ValueError, match='bad_pos.json'):
        LoadCharBoxes(pos_file=str(path))


def test_missing_pos_file(tmp_path):
    with pytest.raises(ValueError, match='nowhere.json'):
        LoadCharBoxes(pos_file=str(tmp_path / 'nowhere.json'))
