# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Shared helpers for the mmocr_ext test-suite (subprocess runs of tools)."""
import os
import os.path as osp
import re
import socket
import subprocess
import sys
from typing import Dict, List, Optional, Sequence

import pytest

import mmocr_ext

# The tests build registered modules directly (no config import).
mmocr_ext.register_all_modules()

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TOY_CFG = osp.join(REPO, 'configs', 'textdet', 'dbnet',
                   'dbnet_resnet18_fpnc_toy.py')
TOY_TEST_IMGS = osp.join(REPO, 'data', 'icdar2015_toy', 'textdet_imgs', 'test')
# A short toy run: 1 epoch (3 iterations with 2 processes x batch 2),
# validation and a checkpoint at its end, a log line per iteration.
SHORT_RUN = [
    'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
    'default_hooks.checkpoint.interval=1', 'default_hooks.logger.interval=1'
]


def free_port() -> int:
    """A TCP port that is free right now on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def tool_env(**extra: str) -> Dict[str, str]:
    """Environment for running tools: this venv's python first on PATH."""
    env = dict(os.environ)
    env['PATH'] = osp.dirname(sys.executable) + os.pathsep + env['PATH']
    env['PYTHON'] = sys.executable
    env['OMP_NUM_THREADS'] = '1'
    env.pop('MMOCR_EXT_DISABLE_COMPAT', None)
    env.update(extra)
    return env


def run(cmd: List[str],
        env: Optional[Dict[str, str]] = None,
        timeout: int = 900,
        check: bool = True,
        cwd: str = REPO) -> subprocess.CompletedProcess:
    """Run ``cmd``; on unexpected failure show the end of its output."""
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        env=env or tool_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout)
    if check and proc.returncode != 0:
        pytest.fail(f'{" ".join(cmd)} exited {proc.returncode}:\n'
                    f'{proc.stdout[-6000:]}')
    return proc


def read_logs(work_dir: str) -> str:
    """Concatenate every ``*.log`` written under ``work_dir``."""
    text = []
    for root, _, files in os.walk(work_dir):
        for name in sorted(files):
            if name.endswith('.log'):
                with open(osp.join(root, name), encoding='utf-8') as f:
                    text.append(f.read())
    return '\n'.join(text)


def infer_and_check(config: str, checkpoint: str, out_dir: str) -> List[dict]:
    """Run ``tools/infer.py`` on the toy test folder and check its outputs.

    Every image gets a drawing in ``vis/`` and a JSON in ``preds/`` with as
    many scores as polygons, each polygon a flat list of x, y pairs.

    Returns:
        list[dict]: the predictions, in image-name order.
    """
    import json
    run([
        'python', 'tools/infer.py', TOY_TEST_IMGS, '--det', config,
        '--det-weights', checkpoint, '--out-dir', out_dir
    ])
    names = sorted(osp.splitext(n)[0] for n in os.listdir(TOY_TEST_IMGS))
    drawn = sorted(
        osp.splitext(n)[0] for n in os.listdir(osp.join(out_dir, 'vis')))
    assert drawn == names
    preds = []
    for name in names:
        with open(osp.join(out_dir, 'preds', f'{name}.json')) as f:
            pred = json.load(f)
        assert len(pred['polygons']) == len(pred['scores'])
        assert all(len(p) % 2 == 0 and len(p) >= 6 for p in pred['polygons'])
        preds.append(pred)
    return preds


#: The metric line mmocr's evaluators log (fixed-threshold hmean-iou).
HMEAN = re.compile(r'icdar/hmean: (\d+\.\d+)')


def train_records(work_dir: str) -> List[dict]:
    """The training-iteration records of a run's ``scalars.json``."""
    import glob
    import json
    path, = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    with open(path) as f:
        records = [json.loads(line) for line in f]
    return [r for r in records if 'loss' in r]


def dist_train_epochs(config: str, work_dir: str, epochs: int,
                      extra: Sequence[str]) -> Dict[str, str]:
    """``tools/dist_train.sh`` on 2 CPU processes for ``epochs`` epochs:
    validation and a checkpoint at the end, a log line with that
    iteration's own loss every iteration.

    Returns:
        dict: ``work_dir`` and ``checkpoint`` (the last epoch's).
    """
    options = [
        f'train_cfg.max_epochs={epochs}', f'train_cfg.val_interval={epochs}',
        f'default_hooks.checkpoint.interval={epochs}',
        'default_hooks.logger.interval=1', 'log_processor.window_size=1',
        *extra
    ]
    run([
        'bash', 'tools/dist_train.sh', config, '2', '--work-dir', work_dir,
        '--cfg-options', *options
    ],
        env=tool_env(PORT=str(free_port())))
    return dict(
        work_dir=work_dir,
        checkpoint=osp.join(work_dir, f'epoch_{epochs}.pth'))


def dist_test_reports_hmean(config: str, checkpoint: str,
                            work_dir: str) -> None:
    """``tools/dist_test.sh`` on 2 CPU processes prints ``icdar/hmean``."""
    proc = run([
        'bash', 'tools/dist_test.sh', config, checkpoint, '2', '--work-dir',
        work_dir
    ],
               env=tool_env(PORT=str(free_port())))
    assert HMEAN.search(proc.stdout), proc.stdout[-3000:]


@pytest.fixture(scope='session')
def dist_trained(tmp_path_factory):
    """One short 2-process CPU (gloo) run of our ``tools/dist_train.sh``.

    Returns:
        dict: ``work_dir``, ``checkpoint`` and the run's ``output``.
    """
    work_dir = str(tmp_path_factory.mktemp('dist_train'))
    proc = run([
        'bash', 'tools/dist_train.sh', TOY_CFG, '2', '--work-dir', work_dir,
        '--cfg-options', *SHORT_RUN
    ],
               env=tool_env(PORT=str(free_port())))
    return dict(
        work_dir=work_dir,
        checkpoint=osp.join(work_dir, 'epoch_1.pth'),
        output=proc.stdout)
