# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/make_submission.py``: saved predictions -> result zip -> eval."""
import json
import os
import os.path as osp
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from conftest import REPO, tool_env
from eval_test_utils import box, load_tool, write_files

TOOL = osp.join(REPO, 'tools', 'make_submission.py')
EVAL = osp.join(REPO, 'tools', 'eval_hmean.py')


def cli(tool, *args):
    return subprocess.run([sys.executable, tool, *args],
                          cwd=REPO,
                          env=tool_env(),
                          capture_output=True,
                          text=True,
                          timeout=120)


def sample(name, polys, scores):
    return dict(
        img_path=f'data/test/{name}.jpg',
        pred_instances=dict(
            polygons=[np.asarray(p, np.float32).ravel() for p in polys],
            scores=np.asarray(scores, np.float32)))


def clockwise(values):
    x, y = np.asarray(values[0::2]), np.asarray(values[1::2])
    return np.sum((np.roll(x, -1) - x) * (np.roll(y, -1) + y)) <= 0


def test_pickle_to_icdar2015_zip_and_back(tmp_path):
    preds = [
        sample(
            'img_1',
            [
                [[0.4, 0.4], [30.4, 0.4], [30.4, 10.6], [0.4, 10.6]],
                [[50, 0], [50, 10], [80, 10], [80, 0]],  # counter-clockwise
            ],
            [0.9, 0.8]),
        sample(
            'img_2',
            [
                # 6 points -> minimum rotated rectangle [0, 20] x [-2, 12]
                [[0, 0], [10, -2], [20, 0], [20, 10], [10, 12], [0, 10]],
                [[100, 0], [130, 0], [130, 10], [100, 10]],
            ],
            [0.7, 0.2]),
    ]
    pkl = tmp_path / 'preds.pkl'
    pkl.write_bytes(pickle.dumps(preds))
    out = tmp_path / 'sub.zip'
    proc = cli(TOOL, str(pkl), '--format', 'icdar2015', '--out', str(out))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ['res_img_1.txt', 'res_img_2.txt']
        img1 = zf.read('res_img_1.txt').decode().splitlines()
        img2 = zf.read('res_img_2.txt').decode().splitlines()
    assert img1 == ['0,0,30,0,30,11,0,11', '80,0,80,10,50,10,50,0']
    rect = [int(v) for v in img2[0].split(',')]
    assert sorted(zip(rect[0::2], rect[1::2])) == [(0, -2), (0, 12), (20, -2),
                                                   (20, 12)]
    assert all(
        clockwise([int(v) for v in line.split(',')]) for line in img1 + img2)
    gt = write_files(
        tmp_path / 'gt', {
            'gt_img_1.txt':
            [box(0, 0, 30, 11) + ',a',
             box(50, 0, 80, 10) + ',b'],
            'gt_img_2.txt': [box(100, 0, 130, 10) + ',c'],
        })
    res = json.loads(
        cli(EVAL, '--format', 'icdar2015', '--gt', gt, '--pred',
            str(out)).stdout)
    assert (res['num_gt_care'], res['num_det_care'],
            res['num_matched']) == (3, 4, 3)
    # a score threshold drops the 0.2 detection
    proc = cli(TOOL, str(pkl), '--format', 'icdar2015', '--out',
               str(tmp_path / 'thr'), '--score-thr', '0.5', '--with-score')
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / 'thr' / 'res_img_2.txt') as f:
        lines = f.read().splitlines()
    assert len(lines) == 1 and lines[0].endswith(',0.699999988079071')


def test_infer_json_to_polygon_files(tmp_path):
    preds = tmp_path / 'preds'
    preds.mkdir()
    poly = [0.5, 0, 10.25, 0, 10.25, 10, 0.5, 10, 0, 5]
    (preds / 'street_01.json').write_text(
        json.dumps(dict(polygons=[poly], scores=[0.75])))
    (preds / 'street_02.json').write_text(
        json.dumps(dict(det_polygons=[], det_scores=[])))  # mmocr's keys
    out = tmp_path / 'sub.zip'
    proc = cli(TOOL, str(preds), '--format', 'polygon', '--out', str(out),
               '--with-score')
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as zf:
        assert sorted(
            zf.namelist()) == ['res_street_01.txt', 'res_street_02.txt']
        # lossless coordinates, the score last (odd count)
        assert zf.read('res_street_01.txt').decode() == \
            '0.5,0,10.25,0,10.25,10,0.5,10,0,5,0.75\n'
        assert zf.read('res_street_02.txt').decode() == ''
    gt = write_files(
        tmp_path / 'gt', {
            'gt_street_01.txt': ['0.5,0,10.25,0,10.25,10,0.5,10,0,5,CARE'],
            'gt_street_02.txt': [],
        })
    res = json.loads(
        cli(EVAL, '--format', 'polygon', '--gt', gt, '--pred',
            str(out)).stdout)
    assert (res['precision'], res['recall']) == (1., 1.)


def test_icdar2015_needs_img_n_names(tmp_path):
    pkl = tmp_path / 'preds.pkl'
    pkl.write_bytes(pickle.dumps([sample('street', [], [])]))
    proc = cli(TOOL, str(pkl), '--format', 'icdar2015', '--out',
               str(tmp_path / 'out.zip'))
    assert proc.returncode == 2
    assert 'street.jpg: the icdar2015 format needs images named img_N' in \
        proc.stderr


def test_pickle_to_art_json(tmp_path):
    preds = [
        sample(
            'gt_12',
            [
                # counter-clockwise on screen: written reversed
                [[0, 0], [0, 10], [20.5, 10], [20.5, 0]],
                [[30, 0], [40, 0], [45, 5], [40, 10], [30, 10]],
                [[50, 0], [60, 0]],  # 2 points: not a polygon, left out
            ],
            [0.5, 0.25, 0.9]),
        sample('gt_3', [], []),  # no detection: an empty list
        sample('art_test_7', [[[0, 0], [10, 0], [10, 10], [0, 10]]], [0.1]),
    ]
    pkl = tmp_path / 'preds.pkl'
    pkl.write_bytes(pickle.dumps(preds))
    out = tmp_path / 'sub' / 'art.json'
    proc = cli(TOOL, str(pkl), '--format', 'art', '--out', str(out))
    assert proc.returncode == 0, proc.stderr
    assert 'wrote 3 images, 3 detections' in proc.stderr
    assert json.loads(out.read_text()) == {
        'res_12': [
            dict(
                points=[[20.5, 0], [20.5, 10], [0, 10], [0, 0]],
                confidence=0.5),
            dict(
                points=[[30, 0], [40, 0], [45, 5], [40, 10], [30, 10]],
                confidence=0.25),
        ],
        'res_3': [],
        'res_7': [
            dict(
                points=[[0, 0], [10, 0], [10, 10], [0, 10]],
                confidence=pytest.approx(0.1))
        ],
    }
    assert os.listdir(out.parent) == ['art.json']  # no temporary left
    # a score threshold keeps every image's key
    proc = cli(TOOL, str(pkl), '--format', 'art', '--out', str(out),
               '--score-thr', '0.4')
    assert proc.returncode == 0, proc.stderr
    res = json.loads(out.read_text())
    assert [len(res[k]) for k in ('res_12', 'res_3', 'res_7')] == [1, 0, 0]


def test_art_needs_numeric_ids_and_a_json_out(tmp_path):
    pkl = tmp_path / 'preds.pkl'
    pkl.write_bytes(pickle.dumps([sample('street', [], [])]))
    proc = cli(TOOL, str(pkl), '--format', 'art', '--out',
               str(tmp_path / 'art.json'))
    assert proc.returncode == 2
    assert 'street.jpg: the art format needs images named gt_<id>' in \
        proc.stderr
    assert not (tmp_path / 'art.json').exists()
    proc = cli(TOOL, str(pkl), '--format', 'art', '--out',
               str(tmp_path / 'art.zip'))
    assert proc.returncode == 2 and 'must end with .json' in proc.stderr
    pkl.write_bytes(
        pickle.dumps([sample('gt_1', [], []),
                      sample('x_1', [], [])]))
    proc = cli(TOOL, str(pkl), '--format', 'art', '--out',
               str(tmp_path / 'art.json'))
    assert proc.returncode == 2 and 'two images map to res_1' in proc.stderr


def dump_results(path, samples):
    """Write ``samples`` as ``tools/test.py --save-preds`` does: mmengine's
    Evaluator with a ``DumpResults`` metric."""
    from mmengine.evaluator import DumpResults, Evaluator
    evaluator = Evaluator([DumpResults(out_file_path=str(path))])
    evaluator.process(data_samples=samples)
    evaluator.evaluate(len(samples))


def test_save_preds_pickle_round_trips(tmp_path):
    import pickletools

    import torch
    from mmengine.structures import InstanceData
    from mmocr.structures import TextDetDataSample
    box_a = [0, 0, 30, 0, 30, 10, 0, 10]
    box_b = [50, 0, 80, 0, 80, 10, 50, 10]
    box_c = [0, 0, 9, 0, 9, 9, 0, 9]
    # img_3: nothing detected (empty arrays and tensors)
    preds = [([box_a, box_b], [0.9, 0.3]), ([box_c], [0.8]), ([], [])]
    samples = []
    for i, (polys, scores) in enumerate(preds, 1):
        ds = TextDetDataSample(
            metainfo=dict(
                img_path=f'data/img_{i}.jpg',
                ori_shape=(720, 1280),
                scale_factor=(np.float64(0.5), 0.5),
                homography_matrix=np.eye(3, dtype=np.float32)))
        ds.pred_instances = InstanceData(
            polygons=[np.array(p, np.float32) for p in polys],
            scores=torch.tensor(scores),
            bboxes=torch.zeros(len(polys), 4))
        ds.gt_instances = InstanceData(
            polygons=[np.array(p, np.float32) for p in polys[:1]],
            ignored=torch.tensor([False] * len(polys[:1])),
            labels=torch.zeros(len(polys[:1]), dtype=torch.long))
        samples.append(ds)
    pkl = tmp_path / 'epoch_1.pth_predictions.pkl'
    dump_results(pkl, samples)
    ops = {arg for _, arg, _ in pickletools.genops(pkl.read_bytes())}
    assert 'torch._utils _rebuild_tensor_v2' in ops  # tensors inside
    tool = load_tool('make_submission')
    preds = tool.read_predictions(str(pkl))
    assert [p[0] for p in preds] == [f'data/img_{i}.jpg' for i in (1, 2, 3)]
    assert preds[2][1] == [] and preds[2][2].shape == (0, )
    np.testing.assert_array_equal(preds[0][1][1],
                                  [[50, 0], [80, 0], [80, 10], [50, 10]])
    np.testing.assert_allclose(preds[0][2], [0.9, 0.3])
    out = tmp_path / 'sub'
    proc = cli(TOOL, str(pkl), '--format', 'icdar2015', '--out', str(out),
               '--score-thr', '0.5')
    assert proc.returncode == 0, proc.stderr
    assert (out / 'res_img_1.txt').read_text() == '0,0,30,0,30,10,0,10\n'
    assert (out / 'res_img_2.txt').read_text() == '0,0,9,0,9,9,0,9\n'
    assert (out / 'res_img_3.txt').read_text() == ''


class _Call:
    """Pickles as a call of ``func(*args)``."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


@pytest.mark.parametrize('payload', ['os.system', 'builtins.exec', 'nested'])
def test_pickle_with_other_globals_is_refused_unexecuted(tmp_path, payload):
    marker = tmp_path / 'executed'
    run = _Call(os.system, f'touch {marker}')
    if payload == 'builtins.exec':
        run = _Call(exec, f'open({str(marker)!r}, "w").close()')
    elif payload == 'nested':  # a storage whose bytes hide a call
        import torch.storage
        run = _Call(torch.storage._load_from_bytes, pickle.dumps(run))
    pkl = tmp_path / 'preds.pkl'
    pkl.write_bytes(pickle.dumps([sample('img_1', [], []), run], protocol=2))
    proc = cli(TOOL, str(pkl), '--format', 'icdar2015', '--out',
               str(tmp_path / 'out.zip'))
    assert proc.returncode == 2
    assert not marker.exists()
    assert f'error: {pkl}: ' in proc.stderr
    if payload == 'nested':
        assert 'refusing a tensor storage' in proc.stderr, proc.stderr
    else:
        name = f'{os.system.__module__}.system' \
            if payload == 'os.system' else payload
        assert f'refusing to load the global {name}' in proc.stderr
    assert not (tmp_path / 'out.zip').exists()
