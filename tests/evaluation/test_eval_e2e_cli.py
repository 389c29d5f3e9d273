# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/eval_e2e.py`` on composed-pipeline JSON files: folders, single
files, errors, --out, and its loader."""
import json
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest

from mmocr_ext.evaluation.functional.errors import EvalInputError
from mmocr_ext.evaluation.functional.polygon_spotting_io import (
    evaluate_ocr_run, load_ocr_predictions, load_ocr_run)
from conftest import REPO, tool_env

TOOL = osp.join(REPO, 'tools', 'eval_e2e.py')
sys.path.insert(0, osp.join(REPO, 'tools'))
import eval_e2e  # noqa: E402


def box(x0, y0, x1, y1):
    return [x0, y0, x1, y0, x1, y1, x0, y1]


def gt_inst(poly, text, ignore=False):
    return dict(polygon=poly, bbox=[0, 0, 1, 1], ignore=ignore, text=text)


def pred_inst(poly, text, score):
    pts = [sum(poly[0::2]) / 4, sum(poly[1::2]) / 4]
    return dict(
        polygon=poly,
        point=pts,
        text=text,
        det_score=0.9,
        rec_score=score / 0.9,
        score=score)


def pipeline_json(name, instances, random_weights=()):
    return dict(
        image=name,
        width=100,
        height=40,
        pipeline=dict(det='tcm', rec='e2str', spotter=None, erase=None),
        instruction=None,
        random_weights=list(random_weights),
        instances=instances,
        counts=dict(
            detected=len(instances),
            below_score_thr=0,
            degenerate_crop=0,
            filtered_by_instruction=0,
            kept=len(instances)))


A, B, C = box(0, 0, 10, 10), box(20, 0, 30, 10), box(40, 0, 50, 10)


@pytest.fixture
def run_dir(tmp_path):
    gt = dict(
        metainfo=dict(dataset_type='TextSpottingDataset'),
        data_list=[
            dict(
                img_path='imgs/img_1.jpg',
                instances=[
                    gt_inst(A, 'Cat'),
                    gt_inst(B, 'dog'),
                    gt_inst(C, '###', True)
                ]),
            dict(img_path='imgs/img_2.jpg', instances=[gt_inst(A, 'sun')]),
        ])
    (tmp_path / 'gt.json').write_text(json.dumps(gt))
    preds = tmp_path / 'out' / 'preds'
    preds.mkdir(parents=True)
    # img_1: CAT TP; dgo at dog (.5) FP; xyz on ### don't care
    img_1 = pipeline_json('img_1.jpg', [
        pred_inst(A, 'CAT', .81),
        pred_inst(B, 'dgo', .5),
        pred_inst(C, 'xyz', .9)
    ], ['rec'])
    (preds / 'img_1.json').write_text(json.dumps(img_1))
    (tmp_path / 'weak.txt').write_text('cat\ndog\nsun\n')
    return tmp_path, img_1


def args(tmp_path, pred, *extra):
    return ['--gt', str(tmp_path / 'gt.json'), '--pred',
            str(pred)] + list(extra)


def test_folder_and_out(run_dir, capsys):
    tmp_path, _ = run_dir
    out = tmp_path / 'res' / 'e2e.json'
    assert eval_e2e.main(
        args(tmp_path, tmp_path / 'out' / 'preds', '--out', str(out))) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    # care GT: Cat, dog, sun (img_2 has no predictions: missed).
    # .3 - .5: tp 1, pred 2 (P .5, R 1/3, H .4); .6 - .8: tp 1, pred 1
    # (P 1, H .5) = best at .6; fixed 0: as .3
    assert summary['hmean'] == pytest.approx(0.5)
    assert summary['precision'] == 1.0
    assert summary['recall'] == pytest.approx(1 / 3)
    assert summary['best_score_thr'] == pytest.approx(0.6)
    assert (summary['num_tp'], summary['num_pred'], summary['num_gt']) == \
        (1, 1, 3)
    assert summary['fixed']['hmean'] == pytest.approx(0.4)
    assert summary['num_pred_dont_care'] == 1
    assert summary['images_without_predictions'] == 1
    assert summary['random_weights'] == ['rec']
    assert summary['pipeline']['det'] == 'tcm'
    assert 'img_2.jpg' in captured.err and 'all missed' in captured.err
    assert 'RANDOM' in captured.err
    full = json.loads(out.read_text())
    assert full['images_without_predictions'] == ['img_2.jpg']
    assert len(full['sweep']) == 6
    # the run folder itself (OUT, holding preds/) and the single file agree
    assert eval_e2e.main(args(tmp_path, tmp_path / 'out')) == 0
    assert json.loads(capsys.readouterr().out) == summary
    single = tmp_path / 'out' / 'preds' / 'img_1.json'
    assert eval_e2e.main(args(tmp_path, single)) == 0
    assert json.loads(capsys.readouterr().out) == summary


def test_weak_lexicon_and_list_file(run_dir, capsys):
    tmp_path, img_1 = run_dir
    listed = tmp_path / 'all.json'
    img_2 = pipeline_json('img_2.jpg', [pred_inst(A, 'snu', .9)])
    listed.write_text(json.dumps([img_1, img_2]))
    assert eval_e2e.main(
        args(tmp_path, listed, '--lexicon-type', 'weak', '--lexicon',
             str(tmp_path / 'weak.txt'), '--score-thrs', '0', '1', '0.5')) == 0
    summary = json.loads(capsys.readouterr().out)
    # dgo -> dog: 2/3 >= .4, dropped; xyz (don't care) -> 1.0, dropped;
    # snu -> sun (2/3): dropped too. CAT TP: tp 1, pred 1, gt 3
    assert summary['num_dropped_by_lexicon'] == 3
    assert (summary['num_tp'], summary['num_pred']) == (1, 1)
    assert summary['images_without_predictions'] == 0


def test_loader(run_dir):
    tmp_path, _ = run_dir
    preds = load_ocr_predictions(str(tmp_path / 'out' / 'preds'))
    polys, texts, scores = preds['img_1.jpg']
    assert texts == ['CAT', 'dgo', 'xyz']
    assert polys[1].tolist() == B and scores.tolist() == [.81, .5, .9]
    run = load_ocr_run(str(tmp_path / 'out'), known_images=['img_1.jpg'])
    assert run.sources['img_1.jpg'].endswith('img_1.json')
    with pytest.raises(EvalInputError, match='not in the ground truth'):
        load_ocr_run(str(tmp_path / 'out'), known_images=['img_2.jpg'])


def test_in_memory_results(run_dir, capsys):
    tmp_path, img_1 = run_dir
    # the pipeline's dicts in memory, arrays and numpy scalars included
    mem = dict(img_1, image='/some/where/img_1.jpg')
    mem['instances'] = [
        dict(
            i,
            polygon=np.asarray(i['polygon'], np.float32),
            score=np.float32(i['score'])) for i in img_1['instances']
    ]
    res = evaluate_ocr_run(str(tmp_path / 'gt.json'), load_ocr_run([mem]))
    assert eval_e2e.main(args(tmp_path, tmp_path / 'out')) == 0
    expected = json.loads(capsys.readouterr().out)
    assert res['hmean'] == expected['hmean'] == pytest.approx(0.5)
    assert res['fixed'] == expected['fixed']
    assert res['images_without_predictions'] == ['img_2.jpg']
    other = dict(mem, image='img_7.jpg')
    with pytest.raises(EvalInputError, match='<results>: image img_7.jpg'):
        evaluate_ocr_run(str(tmp_path / 'gt.json'), load_ocr_run([other]))


def _bad_cases(img_1):
    point = pipeline_json('img_1.jpg', [dict(img_1['instances'][0])])
    point['instances'][0]['polygon'] = None
    point['pipeline'] = dict(det=None, rec=None, spotter='instructocr')
    no_text = pipeline_json('img_1.jpg', [dict(img_1['instances'][0])])
    del no_text['instances'][0]['text']
    odd = pipeline_json('img_1.jpg', [pred_inst([1, 2, 3], 'a', .5)])
    return [
        (json.dumps(point), 'need the point-based metric, '
         'tools/eval_spotting.py'),
        ('{"image": "img_1.jpg", "instances": [', 'invalid JSON'),
        (json.dumps(pipeline_json('img_9.jpg', [])),
         'img_9.jpg is not in the ground truth'),
        (json.dumps(no_text), 'instance 0 needs "polygon"'),
        (json.dumps(odd), '"polygon" has 3 coordinates'),
        (json.dumps(dict(instances=[])), 'expected an object with "image"'),
        (json.dumps([img_1, img_1]), 'already read from'),
    ]


def test_bad_input_exits_2(run_dir, capsys):
    tmp_path, img_1 = run_dir
    for text, message in _bad_cases(img_1):
        path = tmp_path / 'bad.json'
        path.write_text(text)
        assert eval_e2e.main(args(tmp_path, path)) == 2, message
        err = capsys.readouterr().err
        assert 'bad.json' in err and message in err, err
    empty = tmp_path / 'empty'
    empty.mkdir()
    assert eval_e2e.main(args(tmp_path, empty)) == 2
    assert 'no .json prediction files' in capsys.readouterr().err
    assert eval_e2e.main(
        args(tmp_path, tmp_path / 'out', '--lexicon-type', 'weak')) == 2
    assert 'needs --lexicon' in capsys.readouterr().err


def test_subprocess_light_imports(run_dir):
    tmp_path, _ = run_dir
    proc = subprocess.run(
        [sys.executable, '-X', 'importtime', TOOL] +
        args(tmp_path, tmp_path / 'out' / 'preds'),
        cwd=REPO,
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)['hmean'] == pytest.approx(0.5)
    imported = {
        line.rsplit('|', 1)[-1].strip().split('.')[0]
        for line in proc.stderr.splitlines() if line.startswith('import')
    }
    assert {'numpy', 'shapely', 'mmocr_ext'} <= imported
    assert not imported & {'torch', 'mmocr', 'mmengine', 'mmcv', 'mmdet'}
    bad = tmp_path / 'bad.json'
    bad.write_text('[')
    proc = subprocess.run(
        [sys.executable, TOOL] + args(tmp_path, bad),
        cwd=REPO,
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=120)
    assert proc.returncode == 2 and 'bad.json' in proc.stderr
    assert proc.stdout == ''
