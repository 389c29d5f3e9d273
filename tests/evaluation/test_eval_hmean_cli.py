# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/eval_hmean.py`` end to end: JSON out, exit codes, light imports."""
import json
import os.path as osp
import re
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO, tool_env
from eval_test_utils import DATA, box, write_files

TOOL = osp.join(REPO, 'tools', 'eval_hmean.py')


def cli(*args, python_flags=()):
    return subprocess.run([sys.executable, *python_flags, TOOL, *args],
                          cwd=REPO,
                          env=tool_env(),
                          capture_output=True,
                          text=True,
                          timeout=120)


def zip_dir(folder, out):
    with zipfile.ZipFile(out, 'w') as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, path.name)
    return str(out)


@pytest.fixture
def ic15(tmp_path):
    gt = write_files(
        tmp_path / 'gt', {
            'gt_img_1.txt':
            [box(0, 0, 30, 10) + ',a,b',
             box(50, 0, 80, 10) + ',###'],
            'gt_img_2.txt': [box(0, 0, 30, 10) + ',c'],
        },
        newline='\r\n',
        bom=True)
    det = write_files(
        tmp_path / 'det', {
            'res_img_1.txt': [
                box(0, 0, 30, 10) + ',0.9',
                box(50, 0, 80, 10) + ',0.8',
                box(100, 0, 130, 10) + ',0.3'
            ],
        })
    return tmp_path, gt, det


def test_zip_and_folder_give_one_json_object(ic15):
    tmp_path, gt, det = ic15
    gt_zip = zip_dir(tmp_path / 'gt', tmp_path / 'gt.zip')
    det_zip = zip_dir(tmp_path / 'det', tmp_path / 'det.zip')
    per_image = tmp_path / 'per_image.json'
    outs = []
    for g, d in ((gt, det), (gt_zip, det_zip), (gt_zip, det)):
        proc = cli('--format', 'icdar2015', '--gt', g, '--pred', d,
                   '--per-image', str(per_image))
        assert proc.returncode == 0, proc.stderr
        outs.append(json.loads(proc.stdout))  # exactly one JSON document
    assert outs[0] == outs[1] == outs[2]
    res = outs[0]
    # 2 care gts, 2 care dets (one on ###), 1 match
    assert (res['num_gt_care'], res['num_det_care'],
            res['num_matched']) == (2, 2, 1)
    assert (res['precision'], res['recall'], res['hmean']) == (0.5, 0.5, 0.5)
    with open(per_image) as f:
        images = json.load(f)
    assert images['img_1']['precision'] == 0.5
    assert images['img_2']['recall'] == 0.  # no result file for img_2


def test_score_threshold_option(ic15):
    _, gt, det = ic15
    proc = cli('--format', 'icdar2015', '--gt', gt, '--pred', det,
               '--score-thr', '0.5')
    res = json.loads(proc.stdout)
    assert (res['num_det_care'], res['num_matched']) == (1, 1)


def test_does_not_import_torch_or_mmocr(ic15):
    _, gt, det = ic15
    proc = cli(
        '--format',
        'icdar2015',
        '--gt',
        gt,
        '--pred',
        det,
        python_flags=('-X', 'importtime'))
    assert proc.returncode == 0
    imported = {
        line.rsplit('|', 1)[-1].strip().split('.')[0]
        for line in proc.stderr.splitlines() if line.startswith('import')
    }
    # the core comes from the installed package, without the heavy stack
    assert {'shapely', 'numpy', 'mmocr_ext'} <= imported
    assert not imported & {
        'torch', 'mmocr', 'mmengine', 'mmcv', 'mmdet', 'cv2'
    }


@pytest.mark.parametrize('fmt, gt_lines, det_name, det_lines, message', [
    ('icdar2015', [box(0, 0, 9, 9) + ',a'], 'res_img_1.txt', [
        box(0, 0, 9, 9), '1,2,3,4,5,6,7'
    ], r'res_img_1\.txt, line 2: expected 8 coordinates'),
    ('icdar2015', [box(0, 0, 9, 9) + ',a'], 'res_img_1.txt',
     ['1,2,3,4,5,six,7,8'], r"res_img_1\.txt, line 1: 'six' is not a"),
    ('icdar2015', ['1,2,3,4,5,6,7,8'], 'res_img_1.txt', [],
     r'gt_img_1\.txt, line 1: expected x1,y1'),
    ('icdar2015', [box(0, 0, 9, 9) + ',a'], 'res_img_7.txt', [],
     r"res_img_7\.txt: prediction for image 'img_7', which is not in"),
    ('icdar2015', [box(0, 0, 9, 9) + ',a'], 'img_1.txt', [],
     r'img_1\.txt: file name does not match res_img_N.txt'),
    ('polygon', [box(0, 0, 9, 9) + ',a'], 'res_img_1.txt', ['1,2,3,4,5'],
     r'res_img_1\.txt, line 1: a polygon needs at least'),
    ('polygon', ['1,2,x,4,5,6,7,8,CARE'], 'res_img_1.txt', [],
     r"gt_img_1\.txt, line 1: .*'x' is not a number"),
    ('polygon', [box(0, 0, 9, 9)], 'res_img_1.txt', [],
     r'gt_img_1\.txt, line 1: missing label'),
])
def test_malformed_input_exits_2(tmp_path, fmt, gt_lines, det_name, det_lines,
                                 message):
    gt = write_files(tmp_path / 'gt', {'gt_img_1.txt': gt_lines})
    det = write_files(tmp_path / 'det', {det_name: det_lines})
    proc = cli('--format', fmt, '--gt', gt, '--pred', det)
    assert proc.returncode == 2
    assert proc.stdout == ''
    assert re.search(message, proc.stderr), proc.stderr


def test_missing_path_exits_2(tmp_path):
    proc = cli('--format', 'icdar2015', '--gt', str(tmp_path / 'nope'),
               '--pred', str(tmp_path))
    assert proc.returncode == 2
    assert 'nope: no such file or directory' in proc.stderr


def test_polygon_format_curved(tmp_path):
    # 14-point CTW1500-style polygons (two 7-point chains)
    top = [(10 * i, 0) for i in range(7)]
    bottom = [(10 * i, 10) for i in range(6, -1, -1)]
    poly = ','.join(f'{x},{y}' for x, y in top + bottom)  # [0,60]x[0,10]
    far = ','.join(f'{x + 500},{y}' for x, y in top + bottom)
    gt = write_files(
        tmp_path / 'gt',
        {
            'poly_gt_0001.txt': [poly + ',CARE', far + ',###'],
            'gt_0002.txt': [poly + ',2016', far + ',#'],  # numeric label: care
            '0003.txt': [poly + ',Hello, world'],
        })
    det = write_files(
        tmp_path / 'det',
        {
            'res_0001.txt': [poly + ',0.9', far],  # second one on ###
            '0002.txt': [box(0, 0, 60, 10) + ',0.2'],
            'res_0003.txt': [box(0, 0, 25, 10)],  # IoU 25/60: no match
        })
    proc = cli('--format', 'polygon', '--gt', gt, '--pred', det)
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert (res['num_gt_care'], res['num_det_care'],
            res['num_matched']) == (3, 3, 2)
    proc = cli('--format', 'polygon', '--gt', gt, '--pred', det, '--score-thr',
               '0.5')
    res = json.loads(proc.stdout)
    assert (res['num_det_care'], res['num_matched']) == (2, 1)


def test_totaltext_mat_deteval_cli():
    example = osp.join(DATA, 'totaltext_official')
    proc = cli('--format', 'totaltext-mat', '--protocol', 'deteval', '--gt',
               osp.join(example, 'Groundtruth'), '--pred',
               osp.join(example, 'Prediction'))
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res['protocol'] == 'deteval'
    assert (res['num_gt_care'], res['num_det_care'], res['hmean']) == (24, 12,
                                                                       0.)
