# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Our and mmocr's stock dist scripts on 2 CPU processes (gloo)."""
import glob
import os
import os.path as osp
import re
import subprocess

import cv2
import mmocr
import torch

from mmocr_ext.compat import load_checkpoint_safely
from conftest import (HMEAN, REPO, SHORT_RUN, TOY_CFG, TOY_TEST_IMGS,
                      free_port, read_logs, run, tool_env)

STOCK_TOOLS = osp.join(osp.dirname(mmocr.__file__), '.mim', 'tools')


def _check_trained(work_dir: str) -> None:
    """A finished 2-process run: world size 2, checkpoint, hmean logged."""
    log = read_logs(work_dir)
    assert 'Distributed launcher: pytorch' in log
    assert 'Distributed training: True' in log
    assert 'GPU number: 2' in log  # mmengine's name for the world size
    assert HMEAN.search(log), f'no icdar/hmean in the log:\n{log[-3000:]}'
    ckpt = load_checkpoint_safely(osp.join(work_dir, 'epoch_1.pth'))
    assert ckpt['meta']['epoch'] == 1 and ckpt['meta']['iter'] == 3


def test_our_dist_train(dist_trained):
    _check_trained(dist_trained['work_dir'])


def test_our_dist_test(dist_trained, tmp_path):
    vis = tmp_path / 'vis'
    proc = run([
        'bash', 'tools/dist_test.sh', TOY_CFG, dist_trained['checkpoint'], '2',
        '--work-dir',
        str(tmp_path), '--save-preds', '--show-dir',
        str(vis)
    ],
               env=tool_env(PORT=str(free_port())))
    assert HMEAN.search(proc.stdout), proc.stdout[-3000:]
    assert osp.isfile(tmp_path / 'epoch_1.pth_predictions.pkl')
    # both ranks save their drawings (TextDetAllRanksVisualizer): all three
    # test images, named <image>_<batch index>.png
    drawn = glob.glob(str(vis / 'vis_data' / 'vis_image' / '*.png'))
    stems = {
        re.sub(r'_\d+$', '',
               osp.splitext(osp.basename(p))[0])
        for p in drawn
    }
    assert stems == {osp.splitext(n)[0]
                     for n in os.listdir(TOY_TEST_IMGS)}, drawn
    # ... and every rank drew them: ground truth and prediction side by side
    # (rank 1 used to save the bare image: mmengine's drawing is rank-0 only).
    for path in drawn:
        stem = re.sub(r'_\d+$', '', osp.splitext(osp.basename(path))[0])
        src = cv2.imread(osp.join(TOY_TEST_IMGS, stem + '.jpg'))
        img = cv2.imread(path)
        assert img.shape[1] == 2 * src.shape[1], path


def test_stock_mmocr_scripts(tmp_path):
    """mmocr's wheel scripts (torch.distributed.launch) run our config."""
    work_dir = str(tmp_path / 'train')
    run([
        'bash',
        osp.join(STOCK_TOOLS, 'dist_train.sh'), TOY_CFG, '2', '--work-dir',
        work_dir, '--cfg-options', *SHORT_RUN
    ],
        env=tool_env(PORT=str(free_port())))
    _check_trained(work_dir)
    proc = run([
        'bash',
        osp.join(STOCK_TOOLS, 'dist_test.sh'), TOY_CFG,
        osp.join(work_dir, 'epoch_1.pth'), '2', '--work-dir',
        str(tmp_path / 'test')
    ],
               env=tool_env(PORT=str(free_port())))
    assert HMEAN.search(proc.stdout), proc.stdout[-3000:]


def test_multi_node_agrees_with_single_node(dist_trained, tmp_path):
    """Two 'nodes' (NNODES=2, one process each) train together.

    Same seed, data and world size as the single-node 2-process run, so the
    trained weights must match it.
    """
    work_dir = str(tmp_path)
    env = dict(NNODES='2', MASTER_ADDR='127.0.0.1', PORT=str(free_port()))
    cmd = [
        'bash', 'tools/dist_train.sh', TOY_CFG, '1', '--work-dir', work_dir,
        '--cfg-options', *SHORT_RUN
    ]
    nodes = [
        subprocess.Popen(
            cmd,
            cwd=REPO,
            env=tool_env(NODE_RANK=str(rank), **env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True) for rank in (0, 1)
    ]
    outputs = [node.communicate(timeout=900)[0] for node in nodes]
    for rank, (node, out) in enumerate(zip(nodes, outputs)):
        assert node.returncode == 0, f'node {rank} failed:\n{out[-4000:]}'
    _check_trained(work_dir)
    multi = load_checkpoint_safely(osp.join(work_dir,
                                            'epoch_1.pth'))['state_dict']
    single = load_checkpoint_safely(dist_trained['checkpoint'])['state_dict']
    assert multi.keys() == single.keys()
    for key in single:
        torch.testing.assert_close(multi[key], single[key], msg=key)
