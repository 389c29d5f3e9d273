# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The I3CL toy config through the stock tools on 2 CPU processes (gloo):
``tools/dist_train.sh``, ``tools/dist_test.sh`` (hmean-iou) and
``tools/infer.py`` (drawings and JSON)."""
import os.path as osp

import pytest

from conftest import (HMEAN, REPO, dist_test_reports_hmean, dist_train_epochs,
                      infer_and_check, read_logs, train_records)

TOY = osp.join(REPO, 'configs', 'textdet', 'i3cl',
               'i3cl_resnet50-slim_fpn_toy.py')
# 10 images, 2 processes x batch 2 -> 3 iterations per epoch.
EPOCHS = 4


@pytest.fixture(scope='module')
def i3cl_trained(tmp_path_factory):
    return dist_train_epochs(TOY, str(tmp_path_factory.mktemp('i3cl_toy')),
                             EPOCHS, ())


def test_toy_training_logs_every_loss_and_it_falls(i3cl_trained):
    log = read_logs(i3cl_trained['work_dir'])
    assert 'GPU number: 2' in log  # mmengine's name for the world size
    records = train_records(i3cl_trained['work_dir'])
    assert len(records) == 3 * EPOCHS
    for key in ('loss_rpn_cls', 'loss_rpn_bbox', 'loss_cls', 'loss_bbox',
                'loss_mask'):
        assert all(key in r for r in records), key
    losses = [r['loss'] for r in records]
    first, last = sum(losses[:3]) / 3, sum(losses[-3:]) / 3
    assert last < 0.85 * first, losses
    assert HMEAN.search(log), log[-3000:]


def test_toy_dist_test_reports_hmean(i3cl_trained, tmp_path):
    dist_test_reports_hmean(TOY, i3cl_trained['checkpoint'], str(tmp_path))


def test_toy_infer_writes_images_and_json(i3cl_trained, tmp_path):
    preds = infer_and_check(TOY, i3cl_trained['checkpoint'],
                            str(tmp_path / 'out'))
    assert len(preds) == 3
