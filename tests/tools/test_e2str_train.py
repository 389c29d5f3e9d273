# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The E2STR toy config through the stock tools on 2 CPU processes (gloo):
``dist_train.sh``, ``dist_test.sh`` (word accuracy printed) and
``infer.py`` on word crops."""
import json
import os.path as osp
import re

import pytest

from conftest import (REPO, dist_train_epochs, free_port, read_logs, run,
                      tool_env, train_records)

TOY = osp.join(REPO, 'configs', 'textrecog', 'e2str',
               'e2str_vit-tiny_opt-tiny_toy.py')
# 36 real + 28 synthetic crops, 2 processes x batch 8 -> 4 iterations per
# epoch.
EPOCHS = 2
WAICS = re.compile(r'word_crops/recog/word_acc_ignore_case_symbol: (\d+\.\d+)')


@pytest.fixture(scope='module')
def e2str_trained(tmp_path_factory):
    return dist_train_epochs(TOY, str(tmp_path_factory.mktemp('e2str_toy')),
                             EPOCHS, [])


def test_toy_dist_training_runs_on_two_processes(e2str_trained):
    log = read_logs(e2str_trained['work_dir'])
    assert 'GPU number: 2' in log  # mmengine's name for the world size
    records = train_records(e2str_trained['work_dir'])
    assert len(records) == 4 * EPOCHS
    losses = [r['loss'] for r in records]
    assert all(0 < loss < 10 for loss in losses)
    assert losses[-1] < losses[0], losses
    assert WAICS.search(log), log[-3000:]  # validation through the evaluator


def test_toy_dist_test_prints_word_accuracy(e2str_trained, tmp_path):
    proc = run([
        'bash', 'tools/dist_test.sh', TOY, e2str_trained['checkpoint'], '2',
        '--work-dir',
        str(tmp_path)
    ],
               env=tool_env(PORT=str(free_port())))
    found = WAICS.search(proc.stdout)
    assert found, proc.stdout[-3000:]
    assert 0. <= float(found.group(1)) <= 1.
    assert 'word_crops/recog/char_recall' in proc.stdout


def test_toy_infer_writes_text_for_each_crop(e2str_trained, tmp_path):
    crops = osp.join(REPO, 'data', 'word_crops', 'mmocr_toy')
    out = tmp_path / 'out'
    run([
        'python', 'tools/infer.py', crops, '--rec', TOY, '--rec-weights',
        e2str_trained['checkpoint'], '--out-dir',
        str(out), '--device', 'cpu', '--batch-size', '4'
    ],
        env=tool_env())
    preds = sorted((out / 'preds').glob('*.json'))
    assert len(preds) == 10
    for path in preds:
        pred = json.loads(path.read_text())
        assert isinstance(pred['text'], str)
        assert 0. <= pred['scores'] <= 1.
    assert len(list((out / 'vis').glob('*.jpg'))) == 10
