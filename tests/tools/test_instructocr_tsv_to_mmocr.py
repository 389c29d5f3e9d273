# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``instructocr_tsv_to_mmocr.py``: InstructOCR's TSV (quads and Total-Text
Bezier curves) -> mmocr 1.x textspotting JSON."""
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from conftest import REPO, tool_env

TOOL = osp.join(REPO, 'tools', 'dataset_converters',
                'instructocr_tsv_to_mmocr.py')
_spec = importlib.util.spec_from_file_location('tsv_tool', TOOL)
tsv_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tsv_tool)

# a straight horizontal "curve": top y=0, bottom y=10, x in [0, 30]
STRAIGHT = '0,0,10,0,20,0,30,0,30,10,20,10,10,10,0,10'
TSV = ('img_1.jpg\t1,2,41,2,41,12,1,12&rec&STOP&&tab&&'
       '50,5,60,5,60,9,50,9&rec&###\n'
       '\n'
       f'sub/img_2.png\t{STRAIGHT}&rec&a&b\n'
       'img_3.jpg\t\n')


def _write_images(root):
    (root / 'sub').mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(root / 'img_1.jpg'), np.zeros((20, 64, 3), np.uint8))
    cv2.imwrite(str(root / 'sub' / 'img_2.png'), np.zeros((9, 7), np.uint8))
    cv2.imwrite(str(root / 'img_3.jpg'), np.zeros((5, 6, 3), np.uint8))


def _cli(tmp_path, tsv, *extra):
    src = tmp_path / 'train.tsv'
    src.write_text(tsv, encoding='utf-8')
    out = tmp_path / 'data' / 'textspotting_train.json'
    proc = subprocess.run(
        [sys.executable, TOOL,
         str(src), str(out), *extra],
        cwd=REPO,
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=120)
    return proc, out


def test_bezier_sampling_and_quad():
    # t = 0.5 of (0,10),(10,0),(20,0),(30,10): 1/8 P0 + 3/8 P1 + 3/8 P2 +
    # 1/8 P3 = (15, 2.5)
    bez = [0, 10, 10, 0, 20, 0, 30, 10, 30, 20, 20, 20, 10, 20, 0, 20]
    poly = tsv_tool.bezier_to_polygon(np.array(bez, float), 21)
    assert poly.shape == (42, 2)
    np.testing.assert_allclose(poly[[0, 10, 20]],
                               [[0, 10], [15, 2.5], [30, 10]])
    np.testing.assert_allclose(poly[[21, 31, 41]],
                               [[30, 20], [15, 20], [0, 20]])
    quad = tsv_tool.min_area_quad(poly)
    np.testing.assert_allclose(
        quad, [[0, 2.5], [30, 2.5], [30, 20], [0, 20]], atol=1e-3)
    # rotated square: clockwise from the smallest x + y
    diamond = np.array([[5, 0], [10, 5], [5, 10], [0, 5]], float)
    np.testing.assert_allclose(
        tsv_tool.order_clockwise(diamond[[2, 0, 3, 1]]), diamond[[3, 0, 1, 2]])


def test_converts_exactly(tmp_path):
    data = tmp_path / 'data'
    _write_images(data / 'imgs')
    proc, out = _cli(tmp_path, TSV, '--img-dir', str(data / 'imgs'))
    assert proc.returncode == 0, proc.stderr
    assert ('3 images (1 without instances), 3 instances (1 ignored ###, '
            '1 from Bezier curves)') in proc.stderr
    ann = json.loads(out.read_text(encoding='utf-8'))
    assert ann['metainfo'] == dict(
        dataset_type='TextSpottingDataset',
        task_name='textspotting',
        category=[dict(id=0, name='text')])
    d1, d2, d3 = ann['data_list']
    assert (d1['img_path'], d1['height'], d1['width']) == ('imgs/img_1.jpg',
                                                           20, 64)
    assert d1['instances'] == [
        dict(
            polygon=[1, 2, 41, 2, 41, 12, 1, 12],
            bbox=[1, 2, 41, 12],
            bbox_label=0,
            ignore=False,
            text='STOP'),
        dict(
            polygon=[50, 5, 60, 5, 60, 9, 50, 9],
            bbox=[50, 5, 60, 9],
            bbox_label=0,
            ignore=True,
            text='###')
    ]
    assert (d2['img_path'], d2['height'],
            d2['width']) == ('imgs/sub/img_2.png', 9, 7)
    (inst, ) = d2['instances']
    assert inst['text'] == 'a&b' and inst['ignore'] is False
    np.testing.assert_allclose(
        inst['polygon'], [0, 0, 30, 0, 30, 10, 0, 10], atol=1e-2)
    assert inst['bbox'] == pytest.approx([0, 0, 30, 10], abs=1e-2)
    assert inst['bezier'] == [float(v) for v in STRAIGHT.split(',')]
    assert d3['instances'] == [] and d3['img_path'] == 'imgs/img_3.jpg'


def test_sampled_polygon_no_size(tmp_path):
    proc, out = _cli(tmp_path, TSV, '--no-read-size', '--curve-polygon',
                     'sampled', '--bezier-points', '4', '--data-root',
                     str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    d1, d2, _ = json.loads(out.read_text())['data_list']
    assert 'height' not in d1 and d1['img_path'] == 'img_1.jpg'
    assert d2['instances'][0]['polygon'] == [
        0, 0, 10, 0, 20, 0, 30, 0, 30, 10, 20, 10, 10, 10, 0, 10
    ]


@pytest.mark.parametrize('line, message',
                         [('img.jpg\t1,2,3,4,5,6,7,8', "no '&rec&'"),
                          ('img.jpg\t1,2,3,4,5,6&rec&ab', '6 coordinates'),
                          ('img.jpg\t1,2,3,x,5,6,7,8&rec&ab', 'not numbers'),
                          ('img.jpg\t1,2,3,nan,5,6,7,8&rec&ab', 'non-finite'),
                          ('\t1,2,3,4,5,6,7,8&rec&ab', 'no image path')])
def test_malformed_line_names_file_and_line(tmp_path, line, message):
    src = tmp_path / 'bad.tsv'
    src.write_text('ok.jpg\t\n' + line + '\n')
    with pytest.raises(ValueError, match=message) as info:
        tsv_tool.convert(str(src), str(tmp_path), read_size=False)
    assert f'{src}:2' in str(info.value)


def test_missing_image(tmp_path):
    proc, out = _cli(tmp_path, 'nowhere.jpg\t\n')
    assert proc.returncode == 2
    assert 'train.tsv:1' in proc.stderr and 'nowhere.jpg' in proc.stderr
    assert not out.exists()
