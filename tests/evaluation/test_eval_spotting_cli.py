# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/eval_spotting.py``: both prediction forms, errors, --out."""
import json
import os.path as osp
import subprocess
import sys

import pytest

from conftest import REPO, tool_env

TOOL = osp.join(REPO, 'tools', 'eval_spotting.py')
sys.path.insert(0, osp.join(REPO, 'tools'))
import eval_spotting  # noqa: E402


def quad(cx, cy):
    return [cx - 2, cy - 2, cx + 2, cy - 2, cx + 2, cy + 2, cx - 2, cy + 2]


def inst(cx, cy, text, ignore=False):
    return dict(
        polygon=quad(cx, cy),
        bbox=[cx - 2, cy - 2, cx + 2, cy + 2],
        bbox_label=0,
        ignore=ignore,
        text=text)


@pytest.fixture
def files(tmp_path):
    gt = dict(
        metainfo=dict(dataset_type='TextSpottingDataset'),
        data_list=[
            dict(
                img_path='imgs/img_1.jpg',
                height=100,
                width=300,
                instances=[
                    inst(5, 5, 'Cat'),
                    inst(50, 5, 'dog'),
                    inst(100, 5, '###', True)
                ]),
            dict(
                img_path='imgs/img_2.jpg',
                height=100,
                width=300,
                instances=[inst(5, 5, 'sun')]),
        ])
    per_image = [
        dict(
            img_path='x/img_1.jpg',
            points=[[5, 5], [50, 5], [100, 5]],
            texts=['cat', 'dgo', 'zz'],
            scores=[0.95, 0.9, 0.99])
    ]
    official = [
        dict(
            image_id=1,
            filename='img_1.jpg',
            polys=[[5, 5]],
            rec='cat',
            score=0.95),
        dict(
            image_id=1,
            filename='img_1.jpg',
            polys=[[50, 5]],
            rec='dgo',
            score=0.9),
        dict(
            image_id=1,
            filename='img_1.jpg',
            polys=[[100, 5]],
            rec='zz',
            score=0.99),
    ]
    paths = {}
    for key, obj in (('gt', gt), ('pred', per_image), ('official', official)):
        paths[key] = str(tmp_path / f'{key}.json')
        with open(paths[key], 'w') as f:
            json.dump(obj, f)
    (tmp_path / 'weak.txt').write_text('cat\ndog\nsun\n')
    (tmp_path / 'pairs.txt').write_text('cat Cat\ndog Dog\nsun Sun\n')
    paths['weak'] = str(tmp_path / 'weak.txt')
    paths['pairs'] = str(tmp_path / 'pairs.txt')
    return tmp_path, paths


def test_both_forms_and_out(files, capsys):
    tmp_path, p = files
    out = str(tmp_path / 'res' / 'out.json')
    assert eval_spotting.main(
        ['--gt', p['gt'], '--pred', p['pred'], '--out', out]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    # img_1: cat TP, dgo (0.9) FP, zz nearest ### ignored; img_2 has no
    # predictions: its GT is missed. At <= 0.90: tp 1, pred 2, gt 3 (H .4);
    # from 0.91 dgo is dropped: tp 1, pred 1 (P 1, R 1/3, H .5) = best
    assert summary['precision'] == 1.0
    assert summary['recall'] == pytest.approx(1 / 3)
    assert summary['hmean'] == pytest.approx(0.5)
    assert summary['best_score_thr'] == 0.91
    assert summary['fixed']['hmean'] == pytest.approx(0.4)
    assert summary['images_without_predictions'] == 1
    assert 'img_2.jpg' in captured.err and 'all missed' in captured.err
    with open(out) as f:
        full = json.load(f)
    assert len(full['sweep']) == 20
    assert full['images_without_predictions'] == ['img_2.jpg']
    assert full['fixed']['num_pred'] == 2
    assert eval_spotting.main(['--gt', p['gt'], '--pred', p['official']]) == 0
    assert json.loads(capsys.readouterr().out) == dict(
        summary, images_without_predictions=1)


def test_weak_lexicon(files, capsys):
    _, p = files
    assert eval_spotting.main([
        '--gt', p['gt'], '--pred', p['pred'], '--lexicon-type', 'weak',
        '--lexicon', p['weak'], '--pairs', p['pairs']
    ]) == 0
    summary = json.loads(capsys.readouterr().out)
    # dgo -> dog (2/3 >= 0.4) and zz (1.0) dropped; cat TP. tp 1, pred 1
    assert summary['precision'] == 1.0
    assert summary['recall'] == pytest.approx(1 / 3)
    assert summary['num_dropped_by_lexicon'] == 2


@pytest.mark.parametrize('extra, message', [
    (['--lexicon-type', 'weak', '--lexicon', 'nope.txt'
      ], 'nope.txt: lexicon file not found'),
    (['--lexicon-type', 'strong'], 'needs --lexicon'),
])
def test_lexicon_errors(files, capsys, extra, message):
    _, p = files
    assert eval_spotting.main(['--gt', p['gt'], '--pred', p['pred']] +
                              extra) == 2
    assert message in capsys.readouterr().err


def test_bad_predictions(files, capsys):
    tmp_path, p = files
    bad = [
        ([dict(filename='img_9.jpg', points=[], texts=[],
               scores=[])], 'img_9.jpg'),
        ([dict(filename='img_1.jpg', points=[[1, 1]], texts=[],
               scores=[1])], '1 points, 0 texts, 1 scores'),
        ([dict(filename='img_1.jpg', polys=[[1, 1]],
               rec='a')], 'needs "polys", "rec"'),
        ({
            'img_1.jpg': []
        }, 'expected a JSON list'),
    ]
    for obj, message in bad:
        path = tmp_path / 'bad.json'
        path.write_text(json.dumps(obj))
        assert eval_spotting.main(['--gt', p['gt'], '--pred', str(path)]) == 2
        err = capsys.readouterr().err
        assert 'bad.json' in err and message in err, err


def test_subprocess_light_imports(files):
    _, p = files
    proc = subprocess.run([
        sys.executable, '-X', 'importtime', TOOL, '--gt', p['gt'], '--pred',
        p['pred']
    ],
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
    assert {'numpy', 'rapidfuzz', 'mmocr_ext'} <= imported
    assert not imported & {'torch', 'mmocr', 'mmengine', 'mmcv', 'mmdet'}
