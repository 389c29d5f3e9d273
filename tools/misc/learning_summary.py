# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Learning curve + final test metrics of a run, as JSON and a figure.

Reads what mmengine already writes: the training run's
``<work_dir>/<timestamp>/vis_data/scalars.json`` (loss per logged iteration,
validation metrics per validation) and, for each ``--test NAME=DIR``, the
newest ``DIR/<timestamp>/<timestamp>.json`` that ``tools/test.py`` dumps.

    python tools/misc/learning_summary.py work_dirs/demo/RUN \\
        --test synthetic=work_dirs/demo/RUN/test_synth \\
        --test icdar2015=work_dirs/demo/RUN/test_icdar2015
"""
import argparse
import glob
import json
import os
import os.path as osp
import sys
from typing import Dict, List, Tuple

METRIC = 'icdar/hmean'


def _newest(pattern: str) -> str:
    paths = sorted(glob.glob(pattern))
    if not paths:
        raise FileNotFoundError(f'nothing matches {pattern}')
    return paths[-1]


def read_curve(work_dir: str) -> Tuple[List[dict], List[dict]]:
    """``(train, val)`` records of the newest run in ``work_dir``."""
    path = _newest(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    train, val = [], []
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            if any(k.startswith('icdar/') for k in rec):
                # mmengine logs a validation at the epoch (by-epoch loops) or
                # iteration it ran; place it at the last logged iteration.
                val.append(
                    dict(rec, iteration=train[-1]['step'] if train else 0))
            elif 'loss' in rec:
                train.append(
                    dict(step=rec['step'], loss=rec['loss'], lr=rec.get('lr')))
    return train, val


def read_test(test_dir: str) -> Dict[str, float]:
    """Metrics of the newest ``tools/test.py`` run in ``test_dir``."""
    path = _newest(osp.join(test_dir, '*', '[0-9]*_[0-9]*.json'))
    with open(path) as f:
        rec = json.load(f)
    if METRIC not in rec:
        raise ValueError(f'{path}: no {METRIC} in {sorted(rec)}')
    return {k: v for k, v in rec.items() if k.startswith('icdar/')}


def plot(summary: dict, out: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    train, val = summary['train_curve'], summary['val_curve']
    ax1.plot([r['step'] for r in train], [r['loss'] for r in train])
    ax1.set(xlabel='iteration', ylabel='training loss', yscale='log')
    ax2.plot([r['iteration'] for r in val], [r[METRIC] for r in val],
             'o-',
             label='held-out synthetic (val)')
    for name, metrics in summary['test'].items():
        ax2.axhline(
            metrics[METRIC],
            ls='--',
            color='C1' if 'synth' in name else 'C3',
            label=f'test {name}: {metrics[METRIC]:.3f}')
    ax2.set(xlabel='iteration', ylabel=METRIC, ylim=(0, 1))
    ax2.legend(loc='lower right', fontsize=8)
    fig.suptitle(summary['name'], fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dir', help='the training work_dir')
    parser.add_argument(
        '--test',
        action='append',
        default=[],
        metavar='NAME=DIR',
        help='a tools/test.py work_dir, named')
    parser.add_argument('--out', help='JSON (default WORK_DIR/summary.json)')
    parser.add_argument(
        '--figure', help='PNG (default WORK_DIR/learning_curve.png)')
    args = parser.parse_args(argv)
    try:
        train, val = read_curve(args.work_dir)
        tests = {}
        for item in args.test:
            name, sep, test_dir = item.partition('=')
            if not sep:
                raise ValueError(f'--test expects NAME=DIR, got {item!r}')
            tests[name] = read_test(test_dir)
    except (OSError, ValueError) as err:
        sys.exit(f'learning_summary: error: {err}')
    summary = dict(
        name=osp.basename(osp.normpath(args.work_dir)),
        train_curve=train,
        val_curve=val,
        test=tests,
        iterations=train[-1]['step'] if train else 0)
    out = args.out or osp.join(args.work_dir, 'summary.json')
    figure = args.figure or osp.join(args.work_dir, 'learning_curve.png')
    tmp = f'{out}.tmp'
    with open(tmp, 'w') as f:
        json.dump(summary, f, indent=1)
    os.replace(tmp, out)
    plot(summary, figure)
    for name, metrics in tests.items():
        print(f'{name}: {METRIC} = {metrics[METRIC]:.4f} '
              f'(precision {metrics.get("icdar/precision", 0):.4f}, '
              f'recall {metrics.get("icdar/recall", 0):.4f})')
    print(f'summary: {out}\nfigure: {figure}')


if __name__ == '__main__':
    main()
