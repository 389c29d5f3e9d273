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


def _set_inst(entry, inst, **values):
    return lambda d: d['data_list'][entry]['instances'][inst].update(values)


def _error(root, *words, **kwargs):
    """Build, expect an AnnotationError containing every word."""
    with pytest.raises(AnnotationError) as err:
        _build(root, **kwargs)
    msg = str(err.value)
    for word in ('textdet_train.json', ) + words:
        assert word in msg, msg
    return msg


def test_bundled_toy_set_loads():
    train = _build(TOY, filter_cfg=dict(filter_empty_gt=True, min_size=32))
    test = _build(TOY, ann='textdet_test.json', test_mode=True)
    assert len(train) == 10 and len(test) == 3
    n_inst = sum(len(train.get_data_info(i)['instances']) for i in range(10))
    assert n_inst == 82  # data/icdar2015_toy/SOURCE.txt: 82 boxes, 61 '###'
    summary = train.checker.summary('x')
    assert 'skipped: none' in summary and 'make_valid: 0' in summary
    assert train.checker.counts['entries'] == 10


def test_missing_image_names_the_file(tmp_path):
    root = _copy_toy(tmp_path)
    (root / 'textdet_imgs' / 'train' / 'img_3.jpg').unlink()
    _error(root, 'img_3.jpg', 'not found')


@pytest.mark.parametrize('bad', [[1, 2, 3, 4, 5], [1, 2, 'x', 4, 5, 6]])
def test_malformed_polygon(tmp_path, bad):
    root = _copy_toy(tmp_path)
    _edit(root, _set_inst(4, 1, polygon=bad))
    _error(root, 'data_list[4]', 'img_4.jpg', 'instances[1]', 'polygon')


def test_malformed_bbox_and_ignore(tmp_path):
    root = _copy_toy(tmp_path)
    _edit(root, _set_inst(0, 0, bbox=[10, 10, 5, 5]))
    _error(root, 'bbox')
    root = _copy_toy(tmp_path / 'b')
    _edit(root, _set_inst(0, 0, ignore='yes'))
    _error(root, 'ignore')


def test_unparsable_json_names_the_file(tmp_path):
    root = _copy_toy(tmp_path)
    (root / 'textdet_train.json').write_text('{"metainfo": {}, "data_list": [')
    _error(root)


def test_missing_annotation_file(tmp_path):
    with pytest.raises(AnnotationError, match='does not exist'):
        _build(tmp_path)


NAN, INF = float('nan'), float('inf')
SQUARE = [10.0, 10.0, 50.0, 10.0, 50.0, 50.0, 10.0, 50.0]


@pytest.mark.parametrize('key, value, kind', [
    ('polygon', [NAN] + SQUARE[1:], 'nonfinite'),
    ('polygon', SQUARE[:3] + [INF] + SQUARE[4:], 'nonfinite'),
    ('bbox', [10.0, 10.0, INF, 50.0], 'nonfinite'),
    ('polygon', [10.0, 10.0, 20.0, 20.0, 30.0, 30.0], 'degenerate'),
    ('polygon', [10.0, 10.0, 20.0, 20.0], 'degenerate'),
])
def test_bad_instance_skipped_counted_or_error(tmp_path, key, value, kind):
    root = _copy_toy(tmp_path)
    # json.dumps writes NaN/Infinity, which json.load (and mmengine) accept
    _edit(root, _set_inst(2, 1, **{key: value}))
    ds = _build(root)
    assert len(ds) == 10
    assert len(ds.get_data_info(2)['instances']) == 1  # was 2
    assert ds.checker.counts['skip_' + kind] == 1
    assert f'{kind}=1' in ds.checker.summary('x')
    msg = _error(root, 'data_list[2]', 'img_2.jpg', 'instances[1]', kind,
                 **dict(on_problem={kind: 'error'}))
    assert key in msg


def test_self_intersecting_polygon_repaired_and_counted(tmp_path):
    from shapely.geometry import Polygon
    root = _copy_toy(tmp_path)
    bowtie = [10.0, 10.0, 50.0, 50.0, 50.0, 10.0, 10.0, 50.0]
    _edit(root, _set_inst(2, 1, polygon=bowtie))
    ds = _build(root)
    inst = ds.get_data_info(2)['instances'][1]
    fixed = inst['polygon']
    shape = Polygon(list(zip(fixed[0::2], fixed[1::2])))
    assert shape.is_valid and shape.area == pytest.approx(400.0)
    assert inst['bbox'] == list(shape.bounds)
    assert ds.checker.counts['repaired'] == 1
    assert 'make_valid: 1' in ds.checker.summary('x')
    _error(
        root,
        'data_list[2]',
        'invalid',
        on_problem=dict(invalid_polygon='error'))
    ds = _build(root, on_problem=dict(invalid_polygon='skip'))
    assert len(ds.get_data_info(2)['instances']) == 1


def test_string_label_is_an_error(tmp_path):
    root = _copy_toy(tmp_path)
    _edit(root, _set_inst(2, 0, bbox_label='0'))
    _error(root, 'data_list[2]', 'img_2.jpg', 'bbox_label')


@pytest.mark.parametrize('key, value', [('height', 700), ('width', '1280'),
                                        ('height', True), ('width', 0)])
def test_wrong_size_is_an_error(tmp_path, key, value):
    root = _copy_toy(tmp_path)
    _edit(root, lambda d: d['data_list'][3].update({key: value}))
    _error(root, 'data_list[3]', 'img_3.jpg', 'size_mismatch')
    ds = _build(root, on_problem=dict(size_mismatch='skip'))
    assert len(ds) == 9 and ds.checker.counts['skip_size_mismatch'] == 1


def _zero_byte(path):
    path.write_bytes(b'')


def _truncate(path):
    path.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2])


def _text(path):
    path.write_text('not an image\n')


@pytest.mark.parametrize('damage', [_zero_byte, _truncate, _text])
@pytest.mark.parametrize('decode', ['header', 'full'])
def test_undecodable_image_is_an_error(tmp_path, damage, decode):
    root = _copy_toy(tmp_path)
    damage(root / 'textdet_imgs' / 'train' / 'img_5.jpg')
    _error(
        root, 'data_list[5]', 'img_5.jpg', 'undecodable', decode_check=decode)
    ds = _build(root, on_problem=dict(undecodable='skip'))
    assert len(ds) == 9 and ds.checker.counts['skip_undecodable'] == 1


def test_unknown_policy_or_decode_mode(tmp_path):
    with pytest.raises(AnnotationError, match='unknown problem'):
        _build(TOY, on_problem=dict(nan='skip'))
    with pytest.raises(AnnotationError, match='must be one of'):
        _build(TOY, on_problem=dict(degenerate='repair'))
    with pytest.raises(AnnotationError, match='decode'):
        _build(TOY, decode_check='fast')


def test_duplicate_entry(tmp_path):
    root = _copy_toy(tmp_path)
    _edit(root, lambda d: d['data_list'].append(d['data_list'][1]))
    _error(root, 'data_list[10]', 'img_10.jpg', 'data_list[1]', 'duplicate')
    ds = _build(root, on_problem=dict(duplicate='skip'))
    assert len(ds) == 10 and ds.checker.counts['skip_duplicate'] == 1


def _all_instances(fn):

    def edit(d):
        for entry in d['data_list']:
            for inst in entry['instances']:
                fn(inst)

    return edit


@pytest.mark.parametrize('edit', [
    _all_instances(lambda i: i.update(ignore=True)),
    _all_instances(lambda i: i.update(polygon=[1.0, 1.0, 2.0, 2.0, 3, 3])),
    lambda d: [e.update(instances=[]) for e in d['data_list']],
    _all_instances(lambda i: i['polygon'].__setitem__(0, float('nan'))),
])
def test_no_trainable_instance_is_an_error(tmp_path, edit):
    root = _copy_toy(tmp_path)
    _edit(root, edit)
    _error(root, 'no trainable instance')


def test_empty_data_list_is_an_error(tmp_path):
    root = _copy_toy(tmp_path)
    _edit(root, lambda d: d.update(data_list=[]))
    _error(root, 'empty data_list')
    _error(root, 'empty data_list', test_mode=True)


def test_filter_cfg(tmp_path):
    root = _copy_toy(tmp_path)

    def edit(d):
        d['data_list'][0]['instances'] = []
        d['data_list'][1].update(height=20, width=30)

    _edit(root, edit)
    # make img_10.jpg really 30x20 so that the size check passes
    from PIL import Image
    Image.new('RGB', (30, 20)).save(root / 'textdet_imgs/train/img_10.jpg')
    cfg = dict(filter_empty_gt=True, min_size=32)
    ds = _build(root, filter_cfg=cfg)
    assert len(ds) == 8
    paths = [osp.basename(ds.get_data_info(i)['img_path']) for i in range(8)]
    assert 'img_1.jpg' not in paths and 'img_10.jpg' not in paths
    # all-ignored images (img_4, img_5) count as annotated, as in mmdet
    assert 'img_4.jpg' in paths and 'img_5.jpg' in paths
    assert len(_build(root, filter_cfg=dict(min_size=32))) == 9
    assert len(_build(root)) == 10
    assert len(_build(root, filter_cfg=cfg, test_mode=True)) == 10
    with pytest.raises(AnnotationError, match='unknown filter_cfg'):
        _build(root, filter_cfg=dict(filter_empty_gt=True, bbox_min_size=4))


def _loading_pipeline():
    from mmocr.datasets.transforms import LoadImageFromFile
    return [LoadImageFromFile()]


def test_runtime_guard_skips_vanished_image(tmp_path):
    root = _copy_toy(tmp_path)
    ds = CheckedOCRDataset(
        data_root=str(root),
        ann_file='textdet_train.json',
        pipeline=_loading_pipeline(),
        max_skip_fraction=0.5)
    path = root / 'textdet_imgs' / 'train' / 'img_3.jpg'
    assert osp.basename(ds.get_data_info(3)['img_path']) == 'img_3.jpg'
    path.unlink()
    assert ds.prepare_data(3) is None
    assert ds[3]['img'].shape == (720, 1280, 3)  # another index drawn
    assert ds.runtime_skipped == {3: str(path)}
    _truncate(root / 'textdet_imgs' / 'train' / 'img_4.jpg')
    ds.prepare_data(4)  # cv2 decodes truncated JPEGs; None if it does not
    # past the bound: 6 of 10 > 0.5
    for name in ('img_5', 'img_6', 'img_7', 'img_8', 'img_9'):
        (root / 'textdet_imgs' / 'train' / f'{name}.jpg').unlink()
    with pytest.raises(AnnotationError, match='max_skip_fraction'):
        for i in range(5, 10):
            ds.prepare_data(i)


def test_runtime_guard_default_bound_and_test_mode(tmp_path):
    root = _copy_toy(tmp_path)
    ds = CheckedOCRDataset(
        data_root=str(root),
        ann_file='textdet_train.json',
        pipeline=_loading_pipeline())
    (root / 'textdet_imgs' / 'train' / 'img_3.jpg').unlink()
    with pytest.raises(AnnotationError, match='img_3.jpg'):
        ds.prepare_data(3)  # 1 of 10 > 0.01
    ds = CheckedOCRDataset(
        data_root=str(root),
        ann_file='textdet_test.json',
        test_mode=True,
        pipeline=_loading_pipeline())
    (root / 'textdet_imgs' / 'test' / 'img_11.jpg').unlink()
    with pytest.raises(AnnotationError, match='img_11.jpg.*vanished'):
        ds[1]


def test_runtime_guard_reraises_unrelated_errors():

    def boom(results):
        raise KeyError('a pipeline bug')

    ds = CheckedOCRDataset(
        data_root=TOY, ann_file='textdet_train.json', pipeline=[boom])
    with pytest.raises(KeyError, match='a pipeline bug'):
        ds[0]
    assert ds.runtime_skipped == {}


def test_summary_line_is_logged(tmp_path, monkeypatch):
    from mmocr_ext.datasets import checked_ocr_dataset
    lines = []
    monkeypatch.setattr(checked_ocr_dataset, 'print_log',
                        lambda msg, **kw: lines.append(msg))
    root = _copy_toy(tmp_path)
    _edit(root, _set_inst(2, 1, polygon=[1.0, 1.0, 2.0, 2.0]))
    _build(root, filter_cfg=dict(filter_empty_gt=True, min_size=32))
    line, = lines
    assert 'textdet_train.json: 10 entries checked' in line
    assert 'skipped: degenerate=1' in line and 'make_valid: 0' in line
    assert 'no instance=0' in line and '10 entries kept' in line


def test_bytes_after_the_jpeg_end_marker_are_not_truncation(tmp_path):
    root = _copy_toy(tmp_path)
    path = root / 'textdet_imgs' / 'train' / 'img_5.jpg'
    path.write_bytes(path.read_bytes() + b'\0' * 200)
    assert len(_build(root)) == 10


def test_every_polygon_self_intersecting_is_repaired(tmp_path):
    root = _copy_toy(tmp_path)

    def bowtie(inst):
        p = inst['polygon']  # swap points 2 and 3: a bow tie
        inst['polygon'] = p[:2] + p[4:6] + p[2:4] + p[6:]

    _edit(root, _all_instances(bowtie))
    ds = _build(root)
    assert ds.checker.counts['repaired'] == 82
    assert sum(len(ds.get_data_info(i)['instances']) for i in range(10)) == 82
