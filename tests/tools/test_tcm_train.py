# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The TCM toy config through the stock tools on 2 CPU processes (gloo)."""
import os.path as osp

import pytest

from conftest import (HMEAN, REPO, dist_test_reports_hmean, dist_train_epochs,
                      infer_and_check, read_logs, train_records)

TOY = osp.join(REPO, 'configs', 'textdet', 'tcm',
               'tcm_clip-r50-slim_fpnc_toy.py')
# 10 images, 2 processes x batch 2 -> 3 iterations per epoch.
EPOCHS = 6


@pytest.fixture(scope='module')
def tcm_trained(tmp_path_factory):
    return dist_train_epochs(TOY, str(tmp_path_factory.mktemp('tcm_toy')),
                             EPOCHS, [f'param_scheduler.0.end={EPOCHS}'])


def test_toy_training_loss_falls(tcm_trained):
    log = read_logs(tcm_trained['work_dir'])
    assert 'GPU number: 2' in log  # mmengine's name for the world size
    records = train_records(tcm_trained['work_dir'])
    assert len(records) == 3 * EPOCHS
    for key in ('loss_prob', 'loss_thr', 'loss_db', 'loss_pix_cls'):
        assert all(key in r for r in records), key
    # A crop whose text is all ignored (too small after resizing) has the
    # constant loss 1.0 (Dice only) and no matching positives: skip those.
    with_text = [r for r in records if r['loss_pix_cls'] > 0]
    assert len(with_text) >= 12, records
    losses = [r['loss'] for r in with_text]
    first, last = sum(losses[:4]) / 4, sum(losses[-4:]) / 4
    assert last < 0.85 * first, losses
    assert HMEAN.search(log), log[-3000:]


def test_toy_dist_test_reports_hmean(tcm_trained, tmp_path):
    dist_test_reports_hmean(TOY, tcm_trained['checkpoint'], str(tmp_path))


def test_toy_infer_writes_images_and_json(tcm_trained, tmp_path):
    preds = infer_and_check(TOY, tcm_trained['checkpoint'],
                            str(tmp_path / 'out'))
    assert all(len(p) == 8 for pred in preds for p in pred['polygons'])
