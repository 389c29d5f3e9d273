# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Learning check of the composed OCR pipeline (docs/ocr.md): detector +
recogniser trained on CPU toys, next to InstructOCR, on the same 200
held-out synthetic images.

    # 1. word crops of the synthetic spotting images
    python tools/misc/make_synth_word_crops.py
    # 2. train the recognisers (CPU, in parallel: about 50 and 75 min)
    python tools/train.py \\
        configs/textrecog/e2str/e2str_vit-small_opt-small_synth-words.py \\
        --work-dir work_dirs/ocr_learning/e2str
    python tools/train.py \\
        configs/textrecog/crnn/crnn_mini-vgg_synth-words.py \\
        --work-dir work_dirs/ocr_learning/crnn
    # 3. evaluate (about 5 min)
    python tools/misc/ocr_e2e_learning_check.py

Pipelines (``mmocr_ext.apis.OCRPipeline``) on ``data/instructocr_synth/
test``: (i) TCM-synth + small E2STR, (ii) TCM-synth + CRNN (control: a
recogniser that reads), (iii) InstructOCR-synth with ``all text``.
Metrics: the polygon end-to-end metric (``tools/eval_e2e.py``; (i), (ii))
without and with the 150-word lexicon (``generic``), the point metric
(``tools/eval_spotting.py``; all three, det+rec points are the polygon
centres), the detector's hmean-iou and each recogniser's word accuracy on
the ground-truth crops of the same images (``data/instructocr_synth_words/
test``), to attribute errors to stages. Writes ``summary.json``,
``e2e_learning.png`` (bars + training curves) and ``e2e_predictions.jpg``
into ``--work-dir`` and copies them to ``docs/figures/ocr/``.
"""
import argparse
import glob
import json
import os
import os.path as osp
import re
import shutil
import subprocess
import sys
import time
from typing import Dict, List, Optional

import numpy as np

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DATA = osp.join(REPO, 'data', 'instructocr_synth', 'test')
GT = osp.join(DATA, 'textspotting_test.json')
CROPS = osp.join(REPO, 'data', 'instructocr_synth_words')
LEXICON = osp.join(REPO, 'data', 'instructocr_synth_lexicon.txt')
FIGS = osp.join(REPO, 'docs', 'figures', 'ocr')
SWEEP = ['0.0', '1.0', '0.05']
PIPELINES = ('tcm_e2str', 'tcm_crnn', 'instructocr')


def newest(pattern: str) -> Optional[str]:
    hits = glob.glob(osp.join(REPO, pattern))
    return max(hits, key=osp.getmtime) if hits else None


def read_curve(work_dir: str) -> Dict:
    """Training loss and validation word accuracy from mmengine's
    ``scalars.json`` (every run in ``work_dir``, in order)."""
    loss, val = [], []
    for path in sorted(
            glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                if 'loss' in rec:
                    loss.append((rec['step'], round(rec['loss'], 4)))
                for key in ('val/recog/word_acc_ignore_case_symbol',
                            'val/recog/word_acc'):
                    if key in rec:
                        # validation records carry no training step: place
                        # them at the last logged iteration
                        val.append((loss[-1][0] if loss else 0, rec[key]))
                        break
    return dict(loss=loss, val_word_acc_ignore_case_symbol=val)


def log_wall(work_dir: str) -> Optional[float]:
    """Minutes between the first and last time stamp of the train log."""
    import datetime
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.log')))
    stamps = []
    for log in logs:
        with open(log, errors='replace') as f:
            for line in f:
                if re.match(r'\d{4}/\d\d/\d\d \d\d:\d\d:\d\d - mmengine',
                            line):
                    stamps.append(
                        datetime.datetime.strptime(line[:19],
                                                   '%Y/%m/%d %H:%M:%S'))
    if len(stamps) < 2:
        return None
    return round((stamps[-1] - stamps[0]).total_seconds() / 60, 1)


def run_pipeline(name: str, out_dir: str, images: List[str], **kwargs) -> Dict:
    from mmocr_ext.apis import OCRPipeline
    t0 = time.time()
    pipe = OCRPipeline(device='cpu', **kwargs)
    results = pipe(images, batch_size=8, out_dir=out_dir)
    secs = time.time() - t0
    print(f'{name}: {len(results)} images in {secs:.0f} s', flush=True)
    return dict(results=results, seconds=round(secs, 1), pipe=pipe)


def cli_json(args: List[str]) -> Dict:
    out = subprocess.run(
        [sys.executable] + args,
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def polygon_e2e(pred_dir: str, lexicon: bool, gt: str = GT) -> Dict:
    args = [
        'tools/eval_e2e.py', '--gt', gt, '--pred', pred_dir, '--score-thrs'
    ] + SWEEP
    if lexicon:
        args += ['--lexicon-type', 'generic', '--lexicon', LEXICON]
    return cli_json(args)


def point_e2e(results: List[dict],
              images: List[str],
              path: str,
              lexicon: bool,
              gt: str = GT) -> Dict:
    preds = [
        dict(
            img_path=osp.basename(img),
            points=[inst['point'] for inst in res['instances']],
            texts=[inst['text'] for inst in res['instances']],
            scores=[inst['score'] for inst in res['instances']])
        for res, img in zip(results, images)
    ]
    with open(path, 'w') as f:
        json.dump(preds, f)
    args = [
        'tools/eval_spotting.py', '--gt', gt, '--pred', path, '--score-thrs'
    ] + SWEEP
    if lexicon:
        args += ['--lexicon-type', 'generic', '--lexicon', LEXICON]
    return cli_json(args)


def det_hmean(results: List[dict], gt: Dict) -> Dict:
    """hmean-iou (IoU 0.5) of the detector's polygons that the pipeline
    kept (``det_score >= det_score_thr``)."""
    from mmocr_ext.evaluation.metrics.ext_hmean_iou_metric import \
        ExtHmeanIOUMetric
    metric = ExtHmeanIOUMetric(
        score_thr=0.3, pred_score_thrs=dict(start=0.3, stop=0.95, step=0.05))
    samples = []
    for res, item in zip(results, gt):
        insts = res['instances']
        samples.append(
            dict(
                img_path=item['img_path'],
                pred_instances=dict(
                    polygons=[np.asarray(i['polygon']) for i in insts],
                    scores=np.asarray([i['det_score'] for i in insts],
                                      dtype=np.float64)),
                gt_instances=dict(
                    polygons=[
                        np.asarray(i['polygon']) for i in item['instances']
                    ],
                    ignored=np.asarray(
                        [i.get('ignore', False) for i in item['instances']],
                        dtype=bool))))
    metric.process([], samples)
    return {
        k: round(float(v), 4)
        for k, v in metric.compute_metrics(metric.results).items()
    }


def crop_accuracy(pipe, split: str = 'test') -> Dict:
    """Word accuracy of the pipeline's recogniser on GT crops."""
    import cv2
    with open(osp.join(CROPS, split, f'textrecog_{split}.json')) as f:
        items = json.load(f)['data_list']
    imgs = [cv2.imread(osp.join(CROPS, split, it['img_path'])) for it in items]
    gts = [it['instances'][0]['text'] for it in items]
    preds = []
    for s in range(0, len(imgs), 64):
        out = pipe.rec(
            imgs[s:s + 64],
            batch_size=64,
            return_datasamples=True,
            progress_bar=False)['predictions']
        preds += [o.pred_text.item for o in out]
    exact = np.mean([p == g for p, g in zip(preds, gts)])
    icase = np.mean([p.lower() == g.lower() for p, g in zip(preds, gts)])
    wrong = [(g, p) for p, g in zip(preds, gts) if p.lower() != g.lower()]
    return dict(
        num=len(gts),
        word_acc=round(float(exact), 4),
        word_acc_ignore_case=round(float(icase), 4),
        examples_wrong=wrong[:10],
        examples_right=[(g, p) for p, g in zip(preds, gts)
                        if p.lower() == g.lower()][:5])


def short(res: Dict) -> Dict:
    keys = ('precision', 'recall', 'hmean', 'best_score_thr', 'num_tp',
            'num_pred', 'num_gt', 'fixed', 'num_dropped_by_lexicon')
    return {k: res[k] for k in keys if k in res}


def figures(work_dir: str, summary: Dict, images: List[str]) -> List[str]:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    m = summary['metrics']
    labels = ['TCM+E2STR', 'TCM+CRNN', 'InstructOCR']
    keys = ['tcm_e2str', 'tcm_crnn', 'instructocr']
    bars = {
        'polygon e2e': [
            m[k]['polygon_e2e']['hmean'] if 'polygon_e2e' in m[k] else 0
            for k in keys
        ],
        'polygon e2e, lexicon': [
            m[k]['polygon_e2e_lexicon']['hmean']
            if 'polygon_e2e_lexicon' in m[k] else 0 for k in keys
        ],
        'point e2e': [m[k]['point_e2e']['hmean'] for k in keys],
        'point e2e, lexicon':
        [m[k]['point_e2e_lexicon']['hmean'] for k in keys],
    }
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    x = np.arange(len(keys))
    for j, (name, vals) in enumerate(bars.items()):
        axes[0].bar(x + (j - 1.5) * 0.2, vals, 0.2, label=name)
    axes[0].axhline(
        m['det_hmean'].get('hmean', 0),
        color='k',
        ls='--',
        lw=0.8,
        label='TCM det hmean (ceiling)')
    axes[0].set_xticks(x, labels)
    axes[0].set_ylim(0, 1)
    axes[0].set_ylabel('hmean (best score threshold)')
    axes[0].set_title('end to end, 200 held-out synthetic images')
    axes[0].legend(fontsize=7)
    for ax, key, title in ((axes[1], 'e2str', 'small E2STR'),
                           (axes[2], 'crnn', 'CRNN (control)')):
        curve = summary['curves'][key]
        if curve['loss']:
            it, loss = zip(*curve['loss'])
            ax.plot(it, loss, label='training loss')
        ax.set_xlabel('iteration')
        ax.set_ylabel('loss')
        ax.set_title(f'{title}: training')
        if curve['val_word_acc_ignore_case_symbol']:
            ax2 = ax.twinx()
            vi, va = zip(*curve['val_word_acc_ignore_case_symbol'])
            ax2.plot(vi, va, 'o-', color='C1', label='val word acc')
            ax2.set_ylim(0, 1)
            ax2.set_ylabel('val word accuracy (ignore case, symbols)')
    fig.tight_layout()
    bar_path = osp.join(work_dir, 'e2e_learning.png')
    fig.savefig(bar_path, dpi=110)
    plt.close(fig)
    # predictions: the pipelines' drawings of the first 4 test images
    names = [osp.splitext(osp.basename(p))[0] for p in images[:4]]
    fig, axes = plt.subplots(3, 4, figsize=(16, 10))
    for r, (key, label) in enumerate(zip(keys, labels)):
        for c, name in enumerate(names):
            ax = axes[r][c]
            vis = glob.glob(
                osp.join(work_dir, 'runs', key, 'vis', name + '.*'))
            if vis:
                ax.imshow(plt.imread(vis[0]))
            ax.set_axis_off()
            if c == 0:
                ax.set_title(label, loc='left', fontsize=10)
    fig.tight_layout()
    pred_path = osp.join(work_dir, 'e2e_predictions.jpg')
    fig.savefig(pred_path, dpi=90, pil_kwargs=dict(quality=85))
    plt.close(fig)
    return [bar_path, pred_path]


def evaluate_run(key: str, spec: Dict, out: str, images: List[str],
                 gt_file: str) -> Dict:
    """Run one pipeline into ``out`` and score it; the metrics are also
    written to ``out``/metrics.json."""
    shutil.rmtree(out, ignore_errors=True)
    run = run_pipeline(key, out, images, **spec)
    res = run['results']
    points = osp.join(out, 'points.json')
    m = dict(
        seconds=run['seconds'],
        weights={
            k: osp.relpath(v, REPO)
            for k, v in spec.items() if k.endswith('weights') and v
        },
        point_e2e=short(point_e2e(res, images, points, False, gt_file)),
        point_e2e_lexicon=short(point_e2e(res, images, points, True, gt_file)))
    if 'rec' in spec:
        preds = osp.join(out, 'preds')
        m['polygon_e2e'] = short(polygon_e2e(preds, False, gt_file))
        m['polygon_e2e_lexicon'] = short(polygon_e2e(preds, True, gt_file))
        m['rec_gt_crops_test'] = crop_accuracy(run['pipe'], 'test')
        m['rec_gt_crops_val'] = crop_accuracy(run['pipe'], 'val')
        m['counts'] = {
            c: int(sum(r['counts'][c] for r in res))
            for c in res[0]['counts']
        }
    with open(osp.join(out, 'metrics.json'), 'w') as f:
        json.dump(m, f, indent=1)
    print(
        key,
        json.dumps({
            k: v
            for k, v in m.items() if 'e2e' in k
        }),
        flush=True)
    return m


def load_results(out: str, images: List[str]) -> List[dict]:
    """The per-image JSON a run wrote, in the order of ``images``."""
    results = []
    for img in images:
        base = osp.basename(img)
        path = osp.join(out, 'preds', base + '.json')
        if not osp.isfile(path):
            path = osp.join(out, 'preds', osp.splitext(base)[0] + '.json')
        with open(path) as f:
            results.append(json.load(f))
    return results


def main(argv=None) -> Dict:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--work-dir', default=osp.join(REPO, 'work_dirs', 'ocr_learning'))
    parser.add_argument(
        '--det-weights',
        default=osp.join(REPO, 'work_dirs', 'demo',
                         'tcm_clip-r50-slim_fpnc_synth',
                         'best_icdar_hmean_epoch_3.pth'))
    parser.add_argument('--e2str-weights', default=None)
    parser.add_argument('--crnn-weights', default=None)
    parser.add_argument(
        '--spotter-weights',
        default=osp.join(REPO, 'work_dirs', 'instructocr_learning',
                         'iter_4000.pth'))
    parser.add_argument('--num-images', type=int, default=None)
    parser.add_argument('--no-copy', action='store_true')
    parser.add_argument(
        '--pipelines',
        nargs='*',
        default=list(PIPELINES),
        choices=PIPELINES,
        help='pipelines to run now; the others are read from an earlier '
        'run (runs/<name>/metrics.json)')
    args = parser.parse_args(argv)
    wd = args.work_dir
    e2str_w = args.e2str_weights or newest(osp.join(wd, 'e2str', 'iter_*.pth'))
    crnn_w = args.crnn_weights or newest(osp.join(wd, 'crnn', 'iter_*.pth'))
    with open(GT) as f:
        gt_all = json.load(f)
    gt = gt_all['data_list'][:args.num_images]
    gt_file = GT
    if args.num_images is not None:  # a smoke run on the first images
        os.makedirs(wd, exist_ok=True)
        gt_file = osp.join(wd, 'gt_subset.json')
        with open(gt_file, 'w') as f:
            json.dump(dict(gt_all, data_list=gt), f)
    images = [osp.join(DATA, it['img_path']) for it in gt]
    t0 = time.time()
    specs = dict(
        tcm_e2str=dict(
            det='tcm-synth',
            det_weights=args.det_weights,
            rec='e2str-synth',
            rec_weights=e2str_w),
        tcm_crnn=dict(
            det='tcm-synth',
            det_weights=args.det_weights,
            rec='crnn-synth',
            rec_weights=crnn_w),
        instructocr=dict(
            spotter='instructocr-synth', spotter_weights=args.spotter_weights))
    metrics = {}
    for key, spec in specs.items():
        out = osp.join(wd, 'runs', key)
        if key in args.pipelines:
            metrics[key] = evaluate_run(key, spec, out, images, gt_file)
        elif osp.isfile(osp.join(out, 'metrics.json')):  # an earlier run
            with open(osp.join(out, 'metrics.json')) as f:
                metrics[key] = json.load(f)
    missing = [k for k in PIPELINES if k not in metrics]
    if missing:
        print(f'not run yet: {missing}; no summary written')
        return metrics
    metrics['det_hmean'] = det_hmean(
        load_results(osp.join(wd, 'runs', 'tcm_e2str'), images), gt)
    summary = dict(
        test_images=len(images),
        test_words=int(sum(len(it['instances']) for it in gt)),
        score_sweep=SWEEP,
        lexicon=osp.relpath(LEXICON, REPO),
        metrics=metrics,
        curves=dict(
            e2str=read_curve(osp.join(wd, 'e2str')),
            crnn=read_curve(osp.join(wd, 'crnn'))),
        train_wall_min=dict(
            e2str=log_wall(osp.join(wd, 'e2str')),
            crnn=log_wall(osp.join(wd, 'crnn'))),
        eval_seconds=round(time.time() - t0, 1))
    with open(osp.join(wd, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    paths = figures(wd, summary, images) + [osp.join(wd, 'summary.json')]
    if not args.no_copy:
        os.makedirs(FIGS, exist_ok=True)
        for p in paths:
            name = osp.basename(p)
            if name == 'summary.json':
                name = 'ocr_learning_summary.json'
            shutil.copy(p, osp.join(FIGS, name))
    print(
        json.dumps({
            k: v
            for k, v in summary.items() if k != 'curves'
        },
                   indent=1))
    return summary


if __name__ == '__main__':
    main()
