# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR learning check: a small model trained on CPU on synthetic
spotting images, evaluated on held-out ones with ``all text`` and with
instructions (docs/instructocr.md, "Learning check").

    # 1. data (lexicon + 4000 train / 200 test images, about 3 min)
    python tools/misc/instructocr_learning_check.py --generate-only
    # 2. train (about 45 min on 2 cores)
    python tools/train.py \\
        configs/textspot/instructocr/instructocr_clip-r50-small_synth.py \\
        --work-dir work_dirs/instructocr_learning
    # 3. evaluate: JSON + figures
    python tools/misc/instructocr_learning_check.py \\
        --work-dir work_dirs/instructocr_learning

Step 3 reads the newest ``iter_*.pth`` (or ``--checkpoint``), predicts the
200 test images with ``all text`` (point-based end-to-end metric, target
hmean >= 0.3) and with instructions of five templates built per image from
its own words (``text starts with the character 'c'`` with the first
character of one of its words, ``... ends with ...``, ``text of more than
n characters`` with n one less than one word's length, ``text of number``,
``text of char``), scored by the instruction-following metric against the
instances each instruction selects (target: selection precision >= 0.8 on
at least two non-trivial templates). It writes ``summary.json`` (training
curve, validation hmeans, final metrics), ``learning_curve.png`` and
``predictions.png`` (test images with the predicted points and texts) into
the work dir.
"""
import argparse
import glob
import json
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, List, Optional

import numpy as np

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'textspot', 'instructocr',
                  'instructocr_clip-r50-small_synth.py')
DATA = osp.join(REPO, 'data', 'instructocr_synth')
LEXICON = osp.join(REPO, 'data', 'instructocr_synth_lexicon.txt')
SPLITS = (('train', 4000, 11), ('test', 200, 12))
HMEAN_TARGET, PRECISION_TARGET = 0.3, 0.8


def generate() -> None:
    """The lexicon (150 alphabetic wordfreq words of 3-7 letters) and the
    train / test images (``generate_synth.py``, 256x256, 1-3 words)."""
    import wordfreq
    words = [
        w for w in wordfreq.top_n_list('en', 400)
        if w.isalpha() and 3 <= len(w) <= 7
    ][:150]
    with open(LEXICON, 'w') as f:
        f.write('\n'.join(words) + '\n')
    for split, num, seed in SPLITS:
        subprocess.run([
            sys.executable,
            osp.join(REPO, 'tools', 'dataset_converters',
                     'generate_synth.py'), '--num',
            str(num), '--out',
            osp.join(DATA, split), '--tasks', 'spot', '--seed',
            str(seed), '--split', split, '--height', '256', '--width', '256',
            '--num-words', '1', '3', '--font-size', '0.12', '0.2', '--lexicon',
            LEXICON, '--overwrite'
        ],
                       check=True)


def make_instruction(template: str, texts: List[str],
                     rng: np.random.Generator) -> str:
    """An instruction of ``template`` built from the image's own words."""
    word = texts[int(rng.integers(len(texts)))] if texts else 'a'
    if template == 'starts':
        return f"text starts with the character '{word[0]}'"
    if template == 'ends':
        return f"text ends with the character '{word[-1]}'"
    if template == 'longer':
        return f'text of more than {max(len(word) - 1, 1)} characters'
    if template == 'number':
        return 'text of number'
    if template == 'char':
        return 'text of char'
    raise ValueError(template)


def predict(model,
            dataset,
            instructions: Optional[List[str]] = None,
            batch_size: int = 16) -> list:
    """Predictions of every dataset item (with per-image instructions)."""
    import torch
    from mmengine.dataset import pseudo_collate
    outputs = []
    for start in range(0, len(dataset), batch_size):
        items = [
            dataset[i]
            for i in range(start, min(start + batch_size, len(dataset)))
        ]
        for k, item in enumerate(items):
            if instructions is not None:
                item['data_samples'].set_metainfo(
                    dict(instruction=instructions[start + k]))
        with torch.no_grad():
            data = model.data_preprocessor(pseudo_collate(items), False)
            outputs += model.predict(data['inputs'], data['data_samples'])
    return outputs


def evaluate(outputs: list, metric: Dict) -> Dict:
    from mmengine.evaluator import Evaluator
    evaluator = Evaluator([metric])
    evaluator.process(data_samples=outputs, data_batch=None)
    return evaluator.evaluate(len(outputs))


def read_curve(work_dir: str) -> Dict:
    """Training loss and validation hmean from mmengine's scalars.json."""
    path = sorted(
        glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))[-1]
    loss, val = [], []
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            if 'loss' in rec:
                loss.append((rec['step'], rec['loss']))
            if 'synth/fixed_hmean' in rec:
                # validation records carry no training step: place them at
                # the last logged iteration
                val.append(
                    (loss[-1][0] if loss else 0, rec['synth/fixed_hmean']))
    return dict(loss=loss, val_hmean=val)


def figures(work_dir: str, curve: Dict, dataset, outputs: list) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 3.5))
    it, loss = zip(*curve['loss'])
    ax.plot(it, loss, label='training loss (loss_seq)')
    ax.set_xlabel('iteration')
    ax.set_ylabel('loss')
    if curve['val_hmean']:
        ax2 = ax.twinx()
        vi, vh = zip(*curve['val_hmean'])
        ax2.plot(
            vi,
            vh,
            'o-',
            color='C1',
            label='held-out e2e hmean (all predictions)')
        ax2.set_ylabel('hmean')
        ax2.set_ylim(0, 1)
    fig.legend(loc='upper right')
    fig.tight_layout()
    fig.savefig(osp.join(work_dir, 'learning_curve.png'), dpi=120)
    plt.close(fig)

    import mmcv
    fig, axes = plt.subplots(2, 4, figsize=(12, 6.5))
    for ax, out in zip(axes.ravel(), outputs):
        img = mmcv.imread(out.img_path)[..., ::-1]
        ax.imshow(img)
        pred = out.pred_instances
        for (x, y), text in zip(pred.points.tolist(), pred.texts):
            ax.plot(x, y, 'r+', ms=12, mew=2)
            ax.text(
                x,
                y - 6,
                text,
                color='yellow',
                fontsize=9,
                bbox=dict(facecolor='black', alpha=0.6, pad=1))
        ax.set_title(' | '.join(out.gt_instances.texts), fontsize=8)
        ax.axis('off')
    fig.tight_layout()
    fig.savefig(osp.join(work_dir, 'predictions.png'), dpi=100)
    plt.close(fig)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--generate-only', action='store_true')
    parser.add_argument(
        '--work-dir',
        default=osp.join(REPO, 'work_dirs', 'instructocr_learning'))
    parser.add_argument('--config', default=CONFIG)
    parser.add_argument('--checkpoint')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    if args.generate_only:
        generate()
        return 0

    from mmengine.config import Config
    from mmengine.runner import load_checkpoint
    from mmocr.registry import DATASETS, MODELS

    import mmocr_ext
    from mmocr_ext.datasets.instructions import select_instances, valid_mask
    mmocr_ext.register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(args.config)
    ckpt = args.checkpoint or sorted(
        glob.glob(osp.join(args.work_dir, 'iter_*.pth')),
        key=lambda p: int(p.rsplit('_', 1)[1].split('.')[0]))[-1]
    model = MODELS.build(cfg.model)
    load_checkpoint(model, ckpt, map_location='cpu')
    model.eval()
    dataset = DATASETS.build(cfg.test_dataloader.dataset)

    outputs = predict(model, dataset)
    e2e = evaluate(outputs, dict(type='PointSpottingMetric', prefix='e2e'))
    report = dict(
        checkpoint=osp.relpath(ckpt, REPO),
        config=osp.relpath(args.config, REPO),
        test_images=len(dataset),
        all_text=e2e,
        targets=dict(
            e2e_hmean=HMEAN_TARGET,
            instruction_selection_precision=PRECISION_TARGET),
        instructions={})
    rng = np.random.default_rng(args.seed)
    for template in ('starts', 'ends', 'longer', 'number', 'char'):
        instrs, selected = [], []
        for i in range(len(dataset)):
            info = dataset.get_data_info(i)
            texts = [
                inst['text'] for inst in info['instances']
                if not inst.get('ignore', False)
            ]
            instr = make_instruction(template, texts, rng)
            instrs.append(instr)
            mask = select_instances(instr, texts)
            selected.append(mask)
        outs = predict(model, dataset, instrs)
        for out, mask in zip(outs, selected):
            texts = list(out.gt_instances.texts)
            keep = [a and b for a, b in zip(valid_mask(texts), mask)]
            out.gt_instances.selected = np.array(keep, dtype=bool)
        res = evaluate(outs,
                       dict(type='InstructionFollowingMetric', prefix='i'))
        res = {k.split('/', 1)[1]: v for k, v in res.items()}
        res['example'] = instrs[0]
        res['num_predictions'] = int(
            sum(len(o.pred_instances.texts) for o in outs))
        res['num_selected'] = int(sum(sum(m) for m in selected))
        report['instructions'][template] = res
    followed = [
        t for t, r in report['instructions'].items()
        if r['selection_precision'] >= PRECISION_TARGET
    ]
    report['met'] = dict(
        e2e_hmean=e2e['e2e/hmean'] >= HMEAN_TARGET,
        instructions_followed=followed,
        instructions=len(followed) >= 2)
    report['curve'] = read_curve(args.work_dir)
    figures(args.work_dir, report['curve'], dataset, outputs[:8])
    out = osp.join(args.work_dir, 'summary.json')
    with open(out + '.tmp', 'w') as f:
        json.dump(report, f, indent=2)
    os.replace(out + '.tmp', out)
    print(
        json.dumps({
            k: v
            for k, v in report.items() if k != 'curve'
        }, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main())
