# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/train.py --resume`` continues a stopped run (weights_only load)
and reproduces the uninterrupted run exactly (one process)."""
import os.path as osp
import re

import pytest
import torch

from mmocr_ext.compat import load_checkpoint_safely
from conftest import TOY_CFG, read_logs, run

# 10 images, batch 2, one process: 5 iterations per epoch.
ITERS_PER_EPOCH = 5
OPTS = [
    'default_hooks.checkpoint.interval=1', 'default_hooks.logger.interval=1',
    'train_cfg.val_interval=100'
]


def _lrs(log: str):
    """(epoch, iter-in-epoch, lr) of every logged training iteration."""
    return [(int(e), int(i), float(lr)) for e, i, lr in re.findall(
        r'Epoch\(train\)\s+\[(\d+)\]\[\s*(\d+)/\d+\].*?\blr: (\S+)', log)]


def _losses(log: str):
    """(epoch, iter-in-epoch, loss) of every logged training iteration."""
    return [(int(e), int(i), loss) for e, i, loss in re.findall(
        r'Epoch\(train\)\s+\[(\d+)\]\[\s*(\d+)/\d+\].*?\bloss: (\S+)', log)]


def test_resume_restores_iteration_optimizer_and_scheduler(tmp_path):
    work_dir = str(tmp_path / 'resumed')
    # A run stopped after epoch 1 (iteration 5): max_epochs=1 with a PolyLR
    # horizon of 3 epochs, then resumed with max_epochs=2.
    sched = 'param_scheduler.0.end=3'
    run([
        'python', 'tools/train.py', TOY_CFG, '--work-dir', work_dir,
        '--cfg-options', 'train_cfg.max_epochs=1', sched, *OPTS
    ])
    first = load_checkpoint_safely(osp.join(work_dir, 'epoch_1.pth'))
    assert first['meta']['iter'] == ITERS_PER_EPOCH
    assert first['optimizer']['state'], 'no SGD momentum saved'

    proc = run([
        'python', 'tools/train.py', TOY_CFG, '--work-dir', work_dir,
        '--resume', '--cfg-options', 'train_cfg.max_epochs=2', sched, *OPTS
    ])
    assert re.search(r'resumed epoch: 1, iter: 5',
                     proc.stdout + read_logs(work_dir)), proc.stdout[-3000:]
    second = load_checkpoint_safely(osp.join(work_dir, 'epoch_2.pth'))
    assert second['meta']['epoch'] == 2
    assert second['meta']['iter'] == 2 * ITERS_PER_EPOCH
    # The scheduler continued: mmengine's PolyLR (end=3, i.e. 2 steps) at
    # step 1 gives (lr0 - eta_min) * (1 - 1/2)^0.9 + eta_min for epoch 2; a
    # scheduler restarted from scratch would train epoch 2 at lr0.
    lrs = _lrs(read_logs(work_dir))
    lr0, eta_min = 0.007, 1e-7
    assert [lr for e, _, lr in lrs if e == 1] == [lr0] * ITERS_PER_EPOCH
    resumed = [lr for e, _, lr in lrs if e == 2]
    assert len(resumed) == ITERS_PER_EPOCH, lrs
    expected = (lr0 - eta_min) * 0.5**0.9 + eta_min
    assert resumed == pytest.approx([expected] * ITERS_PER_EPOCH, rel=1e-4)
    assert second['param_schedulers'][0]['last_step'] == 2
    # SGD momentum buffers are saved, and mmengine reloads them with the
    # optimizer state before it logs "resumed epoch" (Runner.resume).
    assert all('momentum_buffer' in state
               for state in second['optimizer']['state'].values())

    # The random states came back too (RNGStateHook): the resumed epoch 2
    # is the uninterrupted run's epoch 2, loss for loss and weight for weight.
    assert len(first['rng_states']) == 1
    straight_dir = str(tmp_path / 'straight')
    run([
        'python', 'tools/train.py', TOY_CFG, '--work-dir', straight_dir,
        '--cfg-options', 'train_cfg.max_epochs=2', sched, *OPTS
    ])
    straight = _losses(read_logs(straight_dir))
    assert len(straight) == 2 * ITERS_PER_EPOCH, straight
    # (the work dir holds the stopped run's log and the resumed run's)
    assert sorted(_losses(read_logs(work_dir))) == sorted(straight)
    weights = load_checkpoint_safely(osp.join(straight_dir,
                                              'epoch_2.pth'))['state_dict']
    assert weights.keys() == second['state_dict'].keys()
    for key, value in weights.items():
        assert torch.equal(value, second['state_dict'][key]), key
