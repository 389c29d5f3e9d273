# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The InstructOCR toy config through the stock tools on 2 CPU processes
(gloo): ``dist_train.sh`` (training with sampled instructions, validation
with the point spotting and instruction-following metrics) and
``dist_test.sh`` printing the end-to-end spotting metric."""
import os.path as osp
import re

import pytest

from conftest import (REPO, dist_train_epochs, free_port, read_logs, run,
                      tool_env, train_records)

TOY = osp.join(REPO, 'configs', 'textspot', 'instructocr',
               'instructocr_clip-r50-tiny_toy.py')
# 16 synthetic images, 2 processes x batch 4 -> 2 iterations per epoch.
EPOCHS = 2
HMEAN = re.compile(r'synth/hmean: (\d+\.\d+)')


@pytest.fixture(scope='module')
def instructocr_trained(tmp_path_factory):
    return dist_train_epochs(TOY,
                             str(tmp_path_factory.mktemp('instructocr_toy')),
                             EPOCHS, [])


def test_toy_dist_training_runs_on_two_processes(instructocr_trained):
    log = read_logs(instructocr_trained['work_dir'])
    assert 'GPU number: 2' in log  # mmengine's name for the world size
    records = train_records(instructocr_trained['work_dir'])
    assert len(records) == 2 * EPOCHS
    losses = [r['loss_seq'] for r in records]
    assert all(0 < loss < 10 for loss in losses)
    assert losses[-1] < losses[0], losses
    assert HMEAN.search(log), log[-3000:]  # validation through the metrics
    assert 'synth/instruction/selection_precision' in log


def test_toy_dist_test_prints_spotting_metric(instructocr_trained, tmp_path):
    proc = run([
        'bash', 'tools/dist_test.sh', TOY, instructocr_trained['checkpoint'],
        '2', '--work-dir',
        str(tmp_path)
    ],
               env=tool_env(PORT=str(free_port())))
    found = HMEAN.search(proc.stdout)
    assert found, proc.stdout[-3000:]
    assert 0. <= float(found.group(1)) <= 1.
    # every test image was evaluated once (8 images, over 2 processes)
    assert re.search(r'best hmean .* 8 images', proc.stdout), \
        proc.stdout[-3000:]
