# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Does in-context learning work? E2STR's central claim, measured on CPU.

    python tools/misc/e2str_icl_evidence.py [--work-dir work_dirs/e2str_icl]

1. data: ``data/e2str_icl`` (``tools/misc/make_e2str_icl_data.py``) unless
   present;
2. stage 1: the small E2STR trained plainly on DejaVu-font crops
   (``tools/dist_train.sh``, 2 CPU processes);
3. stage 2: in-context training from the stage-1 weights;
4. word accuracy on 300 unseen words in held-out fonts for both stages,
   (a) without a pool, (b) with a pool of OTHER renderings of the test
   words in the held-out fonts, (c) with a pool of unrelated words in the
   same fonts (``tools/test.py --cfg-options model.icl_test_cfg.pool=``),
   plus the retrieval hit rate (top-1 demonstration has the query's word);
5. ``summary.json`` (curves, accuracies, settings, timing) and
   ``icl_evidence.png``.

Each step is skipped when its output exists, so an interrupted run
resumes. The figures in docs/e2str.md come from this script.
"""
import argparse
import glob
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Dict, List, Optional

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
CFG_DIR = osp.join(REPO, 'configs', 'textrecog', 'e2str')
STAGE1 = osp.join(CFG_DIR, 'e2str_vit-small_opt-small_3e_icl-synth-stage1.py')
STAGE2 = osp.join(CFG_DIR, 'e2str_vit-small_opt-small_icl-synth-stage2.py')
DATA = osp.join(REPO, 'data', 'e2str_icl')
POOLS = dict(
    none=None,
    same=osp.join(DATA, 'pool_same', 'textrecog_pool_same.json'),
    unrelated=osp.join(DATA, 'pool_unrelated',
                       'textrecog_pool_unrelated.json'),
    # diagnostic, not a claim: the test crops themselves, so retrieval is
    # perfect (each query finds itself first) and only the model's use of
    # a matching demonstration is measured
    oracle=osp.join(DATA, 'test', 'textrecog_test.json'))
METRIC = 'test/recog/word_acc_ignore_case_symbol'


def _run(cmd: List[str], log: str, threads: int = 1) -> None:
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS=str(threads))
    env['PATH'] = osp.dirname(sys.executable) + os.pathsep + env['PATH']
    print('$', ' '.join(cmd), '>', log, flush=True)
    with open(log, 'w') as f:
        proc = subprocess.run(
            cmd, cwd=REPO, env=env, stdout=f, stderr=subprocess.STDOUT)
    if proc.returncode:
        raise SystemExit(f'failed ({proc.returncode}): see {log}')


def _last_ckpt(work_dir: str) -> Optional[str]:
    path = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return f.read().strip()


def train(config: str, work_dir: str, extra: List[str], port: int) -> str:
    """dist_train.sh on 2 CPU processes unless a final checkpoint exists."""
    done = osp.join(work_dir, 'DONE')
    if not osp.isfile(done):
        os.makedirs(work_dir, exist_ok=True)
        env_port = os.environ.get('PORT')
        os.environ['PORT'] = str(port)
        try:
            _run([
                'bash', 'tools/dist_train.sh', config, '2', '--work-dir',
                work_dir, *extra
            ], osp.join(work_dir, 'train.log'))
        finally:
            if env_port is None:
                os.environ.pop('PORT')
            else:
                os.environ['PORT'] = env_port
        with open(done, 'w') as f:
            f.write(_last_ckpt(work_dir))
    with open(done) as f:
        return f.read().strip()


def test(config: str, ckpt: str, pool: Optional[str], work_dir: str,
         beams: int) -> Dict[str, float]:
    """tools/test.py with (or without) a pool; the final metrics."""
    if not glob.glob(osp.join(work_dir, '*', '[0-9]*_[0-9]*.json')):
        os.makedirs(work_dir, exist_ok=True)
        options = [f'model.decode_cfg.num_beams={beams}']
        if pool:
            options += [
                f'model.icl_test_cfg.pool={pool}',
                f'model.icl_test_cfg.cache_dir={osp.join(work_dir, "..")}'
            ]
        _run([
            sys.executable, 'tools/test.py', config, ckpt, '--work-dir',
            work_dir, '--cfg-options', *options
        ],
             osp.join(work_dir, 'test.log'),
             threads=2)
    path = sorted(glob.glob(osp.join(work_dir, '*', '[0-9]*_[0-9]*.json')))[-1]
    with open(path) as f:
        return json.load(f)


def retrieval_hits(config: str, ckpt: str, pool: str) -> Dict[str, float]:
    """Share of test crops whose top-1 / top-2 retrieved pool crops carry
    the query's own word."""
    import torch
    from mmengine.config import Config
    from mmengine.runner import load_checkpoint
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    from mmocr_ext.models.textrecog.e2str import InContextPool
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(config)
    model = MODELS.build(cfg.model)
    load_checkpoint(model, ckpt, map_location='cpu', strict=True)
    model.eval()
    pipeline = cfg.model.icl_test_cfg.pipeline
    test_ann = osp.join(DATA, 'test', 'textrecog_test.json')
    queries = InContextPool.build(test_ann, model, pipeline)
    demos = InContextPool.build(pool, model, pipeline)
    with torch.no_grad():
        index = demos.retrieve(queries.feats, k=2)
    top1 = top2 = 0
    for text, row in zip(queries.texts, index.tolist()):
        words = [demos.texts[j] for j in row]
        top1 += words[0] == text
        top2 += text in words
    n = len(queries)
    return dict(top1=top1 / n, top2=top2 / n, queries=n)


def read_curve(work_dir: str) -> Dict[str, list]:
    """Loss and validation records of every run in ``work_dir`` (a resumed
    run continues in a new timestamped folder), by step."""
    loss, val = {}, []
    for path in sorted(
            glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                if 'loss' in rec:
                    loss[rec['step']] = rec['loss']
                elif any(
                        k.endswith('word_acc_ignore_case_symbol')
                        for k in rec):
                    last = max(loss) if loss else 0
                    val.append(
                        dict({
                            k: v
                            for k, v in rec.items() if 'recog' in k
                        },
                             iteration=last))
    return dict(loss=sorted(loss.items()), val=val)


def plot(summary: dict, out: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2))
    offset = 0
    for stage in ('stage1', 'stage2'):
        curve = summary['curves'][stage]['loss']
        if curve:
            xs = [offset + s for s, _ in curve]
            ax1.plot(xs, [v for _, v in curve], label=f'{stage} loss')
            offset = xs[-1]
    ax1.set_xlabel('iteration (stage 2 after stage 1)')
    ax1.set_ylabel('next-token loss')
    ax1.set_title('training')
    ax1.legend()
    labels, values, colors = [], [], []
    for stage in ('stage1', 'stage2'):
        for pool, color in (('none', 'grey'), ('same', 'tab:green'),
                            ('unrelated', 'tab:red'), ('oracle', 'tab:blue')):
            acc = summary['accuracy'][stage][pool]
            labels.append(f'{stage}\n{pool}')
            values.append(100 * acc)
            colors.append(color)
    bars = ax2.bar(range(len(values)), values, color=colors)
    for bar, value in zip(bars, values):
        ax2.text(
            bar.get_x() + bar.get_width() / 2,
            value + 1,
            f'{value:.1f}',
            ha='center')
    ax2.set_xticks(range(len(values)), labels)
    ax2.set_ylabel('word accuracy (%, ignore case/symbols)')
    ax2.set_title('300 unseen words, held-out fonts, by pool')
    ax2.set_ylim(0, 105)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/e2str_icl')
    parser.add_argument('--beams', type=int, default=3)
    parser.add_argument(
        '--stage2-options',
        nargs='*',
        default=[],
        help='extra --cfg-options for stage 2')
    args = parser.parse_args(argv)
    work = osp.abspath(args.work_dir)
    os.makedirs(work, exist_ok=True)
    start = time.time()
    if not osp.isfile(POOLS['same']):
        _run([
            sys.executable, 'tools/misc/make_e2str_icl_data.py', '--out', DATA,
            '--workers', '2'
        ], osp.join(work, 'data.log'))
    t0 = time.time()
    ckpt1 = train(STAGE1, osp.join(work, 'stage1'), [], 29631)
    t1 = time.time()
    ckpt2 = train(
        STAGE2, osp.join(work, 'stage2'),
        ['--cfg-options', f'load_from={ckpt1}', *args.stage2_options], 29632)
    t2 = time.time()
    accuracy, hits = {}, {}
    for stage, config, ckpt in (('stage1', STAGE1, ckpt1), ('stage2', STAGE2,
                                                            ckpt2)):
        accuracy[stage] = {}
        for name, pool in POOLS.items():
            metrics = test(config, ckpt, pool,
                           osp.join(work, f'test_{stage}_{name}'), args.beams)
            accuracy[stage][name] = metrics[METRIC]
            print(
                f'{stage} pool={name}: {METRIC} = {metrics[METRIC]:.4f}',
                flush=True)
        hits[stage] = {
            name: retrieval_hits(config, ckpt, pool)
            for name, pool in POOLS.items() if pool
        }
    gain = accuracy['stage2']['same'] - accuracy['stage2']['none']
    harm = accuracy['stage2']['unrelated'] - accuracy['stage2']['none']
    summary = dict(
        metric=METRIC,
        accuracy=accuracy,
        retrieval_hits=hits,
        icl_gain_points=100 * gain,
        unrelated_pool_change_points=100 * harm,
        target=dict(gain_points=20, unrelated_helps=False),
        target_met=bool(gain >= 0.2 and harm <= 0.02),
        curves=dict(
            stage1=read_curve(osp.join(work, 'stage1')),
            stage2=read_curve(osp.join(work, 'stage2'))),
        settings=dict(
            stage1=osp.relpath(STAGE1, REPO),
            stage2=osp.relpath(STAGE2, REPO),
            stage2_options=args.stage2_options,
            beams=args.beams,
            data=json.load(open(osp.join(DATA, 'manifest.json')))
            if osp.isfile(osp.join(DATA, 'manifest.json')) else None),
        minutes=dict(
            stage1=(t1 - t0) / 60,
            stage2=(t2 - t1) / 60,
            total=(time.time() - start) / 60))
    with open(osp.join(work, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    plot(summary, osp.join(work, 'icl_evidence.png'))
    print(
        json.dumps(
            {
                k: summary[k]
                for k in ('accuracy', 'retrieval_hits', 'icl_gain_points',
                          'unrelated_pool_change_points', 'target_met')
            },
            indent=1))


if __name__ == '__main__':
    main()
