# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR learning check: a small UPOCR trained jointly on CPU on synthetic
pixel data, evaluated on held-out images for the three tasks
(docs/upocr.md, "Learning check").

    # 1. data (2,000 train / 100 held-out 128x128 images, about 2 min)
    python tools/misc/upocr_learning_check.py --generate-only
    # 2. train (3,500 iterations of 4 images per task)
    python tools/train.py configs/pixel/upocr/upocr_swinv2-small_synth.py \\
        --work-dir work_dirs/upocr_learning
    # 3. evaluate every saved checkpoint: JSON + figures
    python tools/misc/upocr_learning_check.py \\
        --work-dir work_dirs/upocr_learning

Step 3 tests every ``iter_*.pth`` of the work dir on the 100 held-out
images (each used for the three tasks: the image with text for removal and
segmentation, its tampered twin for tamper detection) with the config's
metrics, and computes the "do nothing" baseline of text removal: the PSNR
of the input image against the clean one, with the same per-image
protocol. Targets: removal PSNR >= input PSNR + 3 dB, segmentation fgIoU
>= 0.5, tamper mIoU >= 0.3. It writes ``summary.json`` (training curve per
loss term, metrics per checkpoint, baseline, targets met),
``learning_curve.png`` and ``predictions.png`` (input | prediction |
target for each task on held-out images) into the work dir.
"""
import argparse
import glob
import json
import os
import os.path as osp
import re
import subprocess
import sys
from typing import Dict, List, Optional

import numpy as np

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'pixel', 'upocr',
                  'upocr_swinv2-small_synth.py')
DATA = osp.join(REPO, 'data', 'upocr_synth')
SPLITS = (('train', 2000, 21), ('test', 100, 22))
RENDER = [
    '--height', '128', '--width', '128', '--num-words', '1', '4',
    '--font-size', '0.12', '0.25'
]
PSNR_GAIN, FGIOU, MIOU = 3.0, 0.5, 0.3
KEYS = dict(psnr='textremoval/PSNR', fgiou='textseg/fgIoU', miou='ttd/mIoU')


def generate() -> None:
    """The train / held-out images (``generate_synth.py --tasks pixel``)."""
    for split, num, seed in SPLITS:
        subprocess.run([
            sys.executable,
            osp.join(REPO, 'tools', 'dataset_converters', 'generate_synth.py'),
            '--tasks', 'pixel', '--split', split, '--seed',
            str(seed), '--num',
            str(num), '--out',
            osp.join(DATA, split), '--overwrite', *RENDER
        ],
                       check=True)


def input_baseline(root: str) -> Dict[str, float]:
    """Removal metrics of the input image itself (the "do nothing"
    baseline), per-image protocol of the official script."""
    from mmocr_ext.evaluation.functional.pixel_metrics import (
        TextRemovalAccumulator, read_removal_image)
    with open(osp.join(root, 'pixel_test.json')) as f:
        entries = json.load(f)['data_list']
    acc = TextRemovalAccumulator(num_pixels=None)
    for entry in entries:
        gt = read_removal_image(osp.join(root, entry['clean']), None)
        img = read_removal_image(osp.join(root, entry['image']), None)
        acc.add(gt, img)
    return acc.summarize()


def read_curve(work_dir: str) -> List[dict]:
    """Training records (step, loss terms, lr) of the newest run."""
    paths = sorted(
        glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not paths:
        raise FileNotFoundError(f'no scalars.json under {work_dir}')
    curve = []
    with open(paths[-1]) as f:
        for line in f:
            rec = json.loads(line)
            if 'loss' in rec:
                curve.append({
                    k: v
                    for k, v in rec.items()
                    if 'loss' in k or k in ('step', 'lr')
                })
    return curve


def evaluate(config: str, checkpoint: str, work_dir: str) -> Dict:
    """The config's test metrics for ``checkpoint`` (mmengine Runner)."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    cfg = Config.fromfile(config)
    cfg.load_from = checkpoint
    cfg.work_dir = osp.join(work_dir, 'eval')
    cfg.visualizer = dict(type='Visualizer', name='upocr_eval')
    cfg.log_level = 'WARNING'
    cfg.default_hooks.pop('visualization', None)
    runner = Runner.from_cfg(cfg)
    return runner.test()


def figures(work_dir: str, curve: List[dict], points: List[dict],
            baseline: float) -> None:
    """``learning_curve.png``: loss terms and the three metrics."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.6))
    steps = [r['step'] for r in curve]
    for key in sorted({k for r in curve for k in r if k.endswith('loss')}):
        axes[0].plot(steps, [r.get(key, np.nan) for r in curve], label=key)
    axes[0].set(xlabel='iteration', ylabel='loss', yscale='log')
    axes[0].legend(fontsize=7)
    its = [p['iteration'] for p in points]
    spec = (('psnr', 'removal PSNR (dB)', baseline + PSNR_GAIN),
            ('fgiou', 'segmentation fgIoU', FGIOU), ('miou', 'tamper mIoU',
                                                     MIOU))
    for ax, (key, label, target) in zip(axes[1:], spec):
        ax.plot(its, [p[key] for p in points], 'o-', label='held-out')
        ax.axhline(target, ls='--', color='C3', label=f'target {target:.2f}')
        if key == 'psnr':
            ax.axhline(
                baseline, ls=':', color='C2', label=f'input {baseline:.2f}')
        ax.set(xlabel='iteration', ylabel=label)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(osp.join(work_dir, 'learning_curve.png'), dpi=100)
    plt.close(fig)


def predictions(config: str, checkpoint: str, out: str, num: int = 4) -> None:
    """``predictions.png``: per held-out image and task, input | prediction
    | target (segmentation white text, tamper map green real / blue
    tampered)."""
    import torch
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.runner import load_checkpoint
    from mmocr.registry import DATASETS, MODELS
    from PIL import Image
    cfg = Config.fromfile(config)
    model = MODELS.build(cfg.model)
    load_checkpoint(model, checkpoint, map_location='cpu')
    model.eval()
    palette = np.array([[0, 0, 0], [0, 255, 0], [0, 0, 255]], np.uint8)
    rows = []
    for ds_cfg in cfg.test_dataloader.dataset.datasets:
        dataset = DATASETS.build(ds_cfg)
        batch = pseudo_collate([dataset[i] for i in range(num)])
        with torch.no_grad():
            outs = model.test_step(batch)
        for inputs, sample in zip(batch['inputs'], outs):
            img = inputs.permute(1, 2, 0).numpy()
            pred = sample.pred_pixel.img.permute(1, 2, 0).numpy()
            pred = (pred * 255).astype(np.uint8)
            task = sample.task
            if task == 'text_removal':
                gt = np.asarray(
                    Image.open(sample.gt_path).convert('RGB').resize(
                        img.shape[1::-1], Image.BICUBIC))
            elif task == 'text_segmentation':
                pred = (np.repeat(
                    sample.pred_sem_seg.data[0].numpy()[..., None], 3, 2) *
                        255).astype(np.uint8)
                g = sample.gt_sem_seg.data[0].numpy()
                gt = np.where(g[..., None] == 255, 128,
                              np.repeat(g[..., None], 3, 2) * 255).astype(
                                  np.uint8)
            else:
                pred = palette[sample.pred_sem_seg.data[0].numpy()]
                g = sample.gt_sem_seg.data[0].numpy()
                gt = palette[np.where(g == 255, 0, g)]
            size = img.shape[1::-1]
            panel = [img] + [
                np.asarray(Image.fromarray(a).resize(size, Image.NEAREST))
                for a in (pred, gt)
            ]
            gap = np.full((img.shape[0], 4, 3), 255, np.uint8)
            rows.append(
                np.concatenate([panel[0], gap, panel[1], gap, panel[2]], 1))
    grid = [np.concatenate(rows[i::num], 1) for i in range(num)]
    Image.fromarray(np.concatenate(grid, 0)).save(out)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--generate-only', action='store_true')
    parser.add_argument('--work-dir', default='work_dirs/upocr_learning')
    parser.add_argument('--config', default=CONFIG)
    args = parser.parse_args(argv)
    if args.generate_only:
        generate()
        return 0
    from mmocr_ext import register_all_modules
    register_all_modules(init_default_scope=True)
    ckpts = sorted(
        glob.glob(osp.join(args.work_dir, 'iter_*.pth')),
        key=lambda p: int(re.findall(r'iter_(\d+)', p)[-1]))
    if not ckpts:
        print(f'no iter_*.pth in {args.work_dir}', file=sys.stderr)
        return 1
    baseline = input_baseline(osp.join(DATA, 'test'))
    points = []
    for ckpt in ckpts:
        metrics = evaluate(args.config, ckpt, args.work_dir)
        point = dict(
            iteration=int(re.findall(r'iter_(\d+)', ckpt)[-1]),
            metrics=metrics,
            **{
                k: metrics[v]
                for k, v in KEYS.items()
            })
        print(
            f'{osp.basename(ckpt)}: PSNR {point["psnr"]:.2f} dB (input '
            f'{baseline["PSNR"]:.2f}), fgIoU {point["fgiou"]:.3f}, '
            f'mIoU {point["miou"]:.3f}',
            flush=True)
        points.append(point)
    final = points[-1]
    summary = dict(
        config=osp.relpath(args.config, REPO),
        train_curve=read_curve(args.work_dir),
        checkpoints=points,
        input_baseline=baseline,
        final=final,
        targets=dict(
            psnr=dict(
                target=baseline['PSNR'] + PSNR_GAIN,
                value=final['psnr'],
                met=final['psnr'] >= baseline['PSNR'] + PSNR_GAIN),
            fgiou=dict(
                target=FGIOU,
                value=final['fgiou'],
                met=final['fgiou'] >= FGIOU),
            miou=dict(
                target=MIOU, value=final['miou'], met=final['miou'] >= MIOU)))
    out = osp.join(args.work_dir, 'summary.json')
    with open(out + '.tmp', 'w') as f:
        json.dump(summary, f, indent=1)
    os.replace(out + '.tmp', out)
    figures(args.work_dir, summary['train_curve'], points, baseline['PSNR'])
    predictions(args.config, ckpts[-1],
                osp.join(args.work_dir, 'predictions.png'))
    print(json.dumps(summary['targets'], indent=1))
    print(f'wrote {out}, learning_curve.png, predictions.png')
    return 0


if __name__ == '__main__':
    sys.exit(main())
