# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The UPOCR toy config through the stock tools on 2 CPU processes (gloo):
``tools/dist_train.sh`` (joint training, every batch 2 images per task on
every rank) and ``tools/dist_test.sh`` printing the three tasks' metrics,
then ``tools/infer.py --task`` with the trained weights."""
import os
import os.path as osp
import re
import sys

import numpy as np
import pytest
from PIL import Image

from conftest import REPO, free_port, read_logs, run, tool_env, train_records

TOY = osp.join(REPO, 'configs', 'pixel', 'upocr', 'upocr_swinv2-tiny_toy.py')
ITERS = 4
RENDER = [
    '--height', '128', '--width', '128', '--num-words', '1', '3',
    '--font-size', '0.12', '0.25'
]


@pytest.fixture(scope='module')
def upocr_trained(tmp_path_factory):
    root = tmp_path_factory.mktemp('upocr_toy')
    data = root / 'synth'
    for split, seed, num in (('train', 0, 8), ('test', 1, 3)):
        run([
            sys.executable, 'tools/dataset_converters/generate_synth.py',
            '--tasks', 'pixel', '--split', split, '--seed',
            str(seed), '--num',
            str(num), '--out',
            str(data / split), *RENDER
        ])
    data_opts = [
        f'train_dataloader.dataset.datasets.{i}.data_root={data}/train'
        for i in (0, 2, 3)
    ] + [
        f'test_dataloader.dataset.datasets.{i}.data_root={data}/test'
        for i in (0, 1, 2)
    ] + [
        f'val_dataloader.dataset.datasets.{i}.data_root={data}/test'
        for i in (0, 1, 2)
    ]
    work_dir = str(root / 'work')
    run([
        'bash', 'tools/dist_train.sh', TOY, '2', '--work-dir', work_dir,
        '--cfg-options', f'train_cfg.max_iters={ITERS}',
        f'train_cfg.val_interval={ITERS}',
        f'default_hooks.checkpoint.interval={ITERS}',
        'log_processor.window_size=1', *data_opts
    ],
        env=tool_env(PORT=str(free_port())))
    return dict(
        work_dir=work_dir,
        checkpoint=osp.join(work_dir, f'iter_{ITERS}.pth'),
        data=str(data),
        data_opts=data_opts)


def test_toy_joint_training_logs_every_task_loss(upocr_trained):
    log = read_logs(upocr_trained['work_dir'])
    assert 'GPU number: 2' in log
    records = train_records(upocr_trained['work_dir'])
    assert len(records) == ITERS
    for key in ('textremoval_MSR_loss', 'textremoval_prc_loss',
                'textremoval_style_loss', 'textseg_l1_loss', 'ttd_l1_loss'):
        assert all(key in r for r in records), key
    # Logged, never optimised: mmengine sums only keys containing 'loss'.
    assert all('textseg_pos_l1' in r for r in records)
    for r in records:
        optimised = sum(v for k, v in r.items() if k != 'loss' and 'loss' in k)
        assert r['loss'] == pytest.approx(optimised, rel=1e-3)
    assert osp.isfile(upocr_trained['checkpoint'])


def test_toy_dist_test_prints_every_task_metric(upocr_trained, tmp_path):
    proc = run([
        'bash', 'tools/dist_test.sh', TOY, upocr_trained['checkpoint'], '2',
        '--work-dir',
        str(tmp_path), '--cfg-options', *upocr_trained['data_opts']
    ],
               env=tool_env(PORT=str(free_port())))
    out = proc.stdout
    for key in ('textremoval/PSNR', 'textremoval/MSSIM', 'textremoval/AGE',
                'textseg/fgIoU', 'textseg/F', 'ttd/mIoU', 'ttd/mF'):
        assert re.search(rf'{key}: -?\d+\.\d+', out), (key, out[-3000:])


def test_toy_infer_on_images_without_ground_truth(upocr_trained, tmp_path):
    images = osp.join(upocr_trained['data'], 'test', 'pixel_imgs', 'test',
                      'image')
    out_dir = tmp_path / 'out'
    run([
        sys.executable, 'tools/infer.py', images, '--pixel', TOY,
        '--pixel-weights', upocr_trained['checkpoint'], '--task',
        'text_segmentation', '--out-dir',
        str(out_dir)
    ])
    names = sorted(osp.splitext(n)[0] for n in os.listdir(images))
    preds = sorted(os.listdir(out_dir / 'preds'))
    assert preds == [f'{n}_text_segmentation.png' for n in names]
    assert sorted(os.listdir(out_dir / 'vis')) == preds
    for name in preds:
        with Image.open(out_dir / 'preds' / name) as im:
            mask = np.asarray(im)
        assert mask.shape[:2] == (128, 128)
        assert set(np.unique(mask)) <= {0, 255}
