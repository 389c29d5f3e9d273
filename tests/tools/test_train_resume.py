# Copyright (c) OpenMMLab. All rights reserved.
"""``tools/train.py --resume`` continues a stopped run (weights_only load)."""
import os.path as osp
import re

from conftest import TOY_CFG, read_logs, run

from mmocr_ext.compat import load_checkpoint_safely

# 10 images, batch 2, one process: 5 iterations per epoch.
ITERS_PER_EPOCH = 5
OPTS = ['default_hooks.checkpoint.interval=1', 'default_hooks.logger.interval=1',
        'train_cfg.val_interval=100']


def _lrs(log: str):
    """(epoch, iter-in-epoch, lr) of every logged training iteration."""
    return [(int(e), int(i), float(lr)) for e, i, lr in re.findall(
        r'Epoch\(train\)\s+\[(\d+)\]\[\s*(\d+)/\d+\].*?\blr: (\S+)', log)]


def test_resume_restores_iteration_optimizer_and_scheduler(tmp_path):
    work_dir = str(tmp_path)
    # A run stopped after epoch 1 (iteration 5) of a 2-epoch schedule: the
    # stop is simulated by max_epochs=1 with the 2-epoch PolyLR horizon.
    sched = 'param_scheduler.0.end=2'
    run(['python', 'tools/train.py', TOY_CFG, '--work-dir', work_dir,
         '--cfg-options', 'train_cfg.max_epochs=1', sched, *OPTS])
    first = load_checkpoint_safely(osp.join(work_dir, 'epoch_1.pth'))
    assert first['meta']['iter'] == ITERS_PER_EPOCH
    assert first['optimizer']['state'], 'no SGD momentum saved'

    proc = run(['python', 'tools/train.py', TOY_CFG, '--work-dir', work_dir,
                '--resume', '--cfg-options', 'train_cfg.max_epochs=2', sched,
                *OPTS])
    assert re.search(r'resumed epoch: 1, iter: 5', proc.stdout + read_logs(
        work_dir)), proc.stdout[-3000:]
    second = load_checkpoint_safely(osp.join(work_dir, 'epoch_2.pth'))
    assert second['meta']['epoch'] == 2
    assert second['meta']['iter'] == 2 * ITERS_PER_EPOCH
    # The scheduler continued: PolyLR stepped once per epoch, so epoch 2
    # trains at lr0 * (1 - 1/2)^0.9, not at the initial lr0.
    lrs = _lrs(read_logs(work_dir))
    lr0 = [lr for e, _, lr in lrs if e == 1][0]
    resumed = [lr for e, _, lr in lrs if e == 2]
    assert resumed, 'the resumed run logged no epoch-2 iterations'
    assert abs(resumed[0] - lr0 * 0.5**0.9) < 1e-6 * lr0 + 1e-9, lrs
    sched_state = second['param_schedulers'][0]
    assert sched_state['last_step'] == 2
    # Momentum buffers came back and kept evolving (not re-created at 0).
    for key, state in second['optimizer']['state'].items():
        assert 'momentum_buffer' in state
