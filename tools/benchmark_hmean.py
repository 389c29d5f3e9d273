# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Speed of our hmean-iou against mmocr's ``HmeanIOUMetric``, same data.

Builds three 500-image sets -- ICDAR2015-style quadrilaterals (real IC15
training ground truth when ``--ic15-gt`` is given, synthetic otherwise),
the same boxes as 14-point curved polygons, and a curved subset at CTW1500's
density (about 6 boxes per image) -- with synthetic detections (jittered
ground truths, misses, false positives, scores), then times in one process:

- ``ours_files``: ``evaluate_files`` from two zips, parsing included;
- ``ours_memory``: ``evaluate_iou`` on parsed samples;
- ``ext_metric``: our registered ``ExtHmeanIOUMetric`` (process + compute);
- ``mmocr_metric``: mmocr's ``HmeanIOUMetric`` (process + compute), with
  one score threshold and with its default 7-threshold sweep,

(ours on every set first, before torch and mmocr are imported), checks that
the numbers agree and writes everything, with the density of each set, as
JSON.

Example::

    python tools/benchmark_hmean.py \
        --ic15-gt /work/shared/data/icdar2015_train_gt/train_gts \
        --out work_dirs/benchmarks/hmean.json
"""
import argparse
import io
import json
import os
import os.path as osp
import platform
import sys
import tempfile
import time
import zipfile
from typing import Callable, Dict, List, Tuple

import numpy as np

from mmocr_ext.evaluation.functional import (evaluate_files, evaluate_iou,
                                             load_samples)

Files = Dict[str, str]


def read_ic15_gt(folder: str, num: int) -> List[List[str]]:
    """Lines of ``img_1`` .. ``img_<num>`` (``img_N.jpg.txt`` or
    ``gt_img_N.txt``)."""
    out = []
    for i in range(1, num + 1):
        for name in (f'img_{i}.jpg.txt', f'gt_img_{i}.txt'):
            path = osp.join(folder, name)
            if osp.exists(path):
                with open(path, encoding='utf-8-sig') as f:
                    out.append([ln.rstrip('\r\n') for ln in f if ln.strip()])
                break
        else:
            raise FileNotFoundError(f'no ground truth for img_{i} in {folder}')
    return out


def synthetic_ic15_gt(num: int, rng: np.random.Generator) -> List[List[str]]:
    """Random rotated word boxes in 1280x720 images, 10% ``###``."""
    out = []
    for _ in range(num):
        lines = []
        for _ in range(rng.poisson(8)):
            cx, cy = rng.uniform(50, 1230), rng.uniform(30, 690)
            w, h, a = rng.uniform(20,
                                  200), rng.uniform(10,
                                                    40), rng.normal(0, 0.2)
            c, s = np.cos(a), np.sin(a)
            pts = [(cx + c * dx - s * dy, cy + s * dx + c * dy)
                   for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2),
                                  (w / 2, h / 2), (-w / 2, h / 2))]
            label = '###' if rng.random() < 0.1 else 'word'
            lines.append(','.join(str(int(v)) for p in pts
                                  for v in p) + ',' + label)
        out.append(lines)
    return out


def curve(quad: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 14-point bent polygon on a quadrilateral (7 top, 7 bottom)."""
    t = np.linspace(0, 1, 7)[:, None]
    top = quad[0] + t * (quad[1] - quad[0])
    bottom = quad[2] + t * (quad[3] - quad[2])
    height = np.linalg.norm(quad[3] - quad[0])
    bend = rng.uniform(-0.4, 0.4) * height * np.sin(np.pi * t)
    return np.concatenate([top + [0, 1] * bend, bottom + [0, 1] * bend[::-1]])


SET_DESCRIPTIONS = {
    'icdar2015':
    'IC15 quadrilaterals (the ground truth given, or synthetic), synthetic '
    'detections',
    'polygon':
    'the same boxes as 14-point curved polygons (all of them: dense, with '
    'all the don\'t-care boxes of the IC15 training set)',
    'polygon_ctw1500_density':
    'about 6 curved 14-point boxes per image, care ones first, as in '
    'CTW1500 test (3068 instances in 500 images), with their own '
    'synthetic detections',
}


def parse_quads(lines: List[str]) -> Tuple[List[np.ndarray], List[str]]:
    """Quadrilaterals and labels of IC15 ground-truth lines."""
    quads, labels = [], []
    for line in lines:
        parts = line.split(',', 8)
        quads.append(np.array(parts[:8], float).reshape(4, 2))
        labels.append(parts[8])
    return quads, labels


def write_image(files: Tuple[Files, Files], i: int, polys: List[np.ndarray],
                labels: List[str], rng: np.random.Generator,
                curved: bool) -> None:
    """Ground-truth and result file of image ``i``: synthetic detections of
    ``polys`` (15% missed; shifted, scaled and jittered by a few percent of
    the text height; uniform scores) and Poisson(1.5) false positives."""
    gt_files, det_files = files
    gt_files[f'gt_img_{i}.txt'] = ''.join(
        ','.join(str(int(round(v))) for v in p.ravel()) + f',{lab}\r\n'
        for p, lab in zip(polys, labels))
    dets = []
    for p in polys:
        if rng.random() < 0.15:  # missed
            continue
        # shift and scale by a fraction of the text height, plus a little
        # noise per point
        size = np.ptp(p, axis=0).min() + 1
        centre = p.mean(axis=0)
        jit = centre + (p - centre) * rng.normal(1., 0.04) + \
            rng.normal(0, 0.07 * size, 2) + \
            rng.normal(0, 0.02 * size, p.shape)
        dets.append((jit, rng.uniform(0.3, 1.)))
    for _ in range(rng.poisson(1.5)):  # false positives
        x, y = rng.uniform(0, 1200), rng.uniform(0, 680)
        w, h = rng.uniform(20, 80), rng.uniform(10, 30)
        fp = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
        dets.append((curve(fp, rng) if curved else fp, rng.uniform(0., 0.7)))
    det_files[f'res_img_{i}.txt'] = ''.join(
        ','.join(str(int(round(v))) for v in p.ravel()) + f',{s:.4f}\n'
        for p, s in dets)


def build_sets(gt_lines: List[List[str]],
               rng: np.random.Generator) -> Dict[str, Tuple[Files, Files]]:
    """Ground-truth and result files of the quad and the curved set."""
    sets = {'icdar2015': ({}, {}), 'polygon': ({}, {})}
    for i, lines in enumerate(gt_lines, 1):
        quads, labels = parse_quads(lines)
        curves = [curve(q, rng) for q in quads]
        for fmt, polys in (('icdar2015', quads), ('polygon', curves)):
            write_image(sets[fmt], i, polys, labels, rng, fmt == 'polygon')
    return sets


def build_sparse_curved(gt_lines: List[List[str]], rng: np.random.Generator,
                        per_image: float) -> Tuple[Files, Files]:
    """A curved set at CTW1500's density: Poisson(``per_image``) boxes of
    each image (its care ones first, in random order, then don't-care ones)
    as 14-point curved polygons, with the same kind of detections."""
    files = ({}, {})
    for i, lines in enumerate(gt_lines, 1):
        quads, labels = parse_quads(lines)
        care = [k for k, lab in enumerate(labels) if lab != '###']
        rest = [k for k, lab in enumerate(labels) if lab == '###']
        keep = list(rng.permutation(care)) + list(rng.permutation(rest))
        keep = keep[:rng.poisson(per_image)]
        write_image(files, i, [curve(quads[k], rng) for k in keep],
                    [labels[k] for k in keep], rng, True)
    return files


def to_zip(files: Files, path: str) -> str:
    """Write ``files`` into a zip."""
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


def timeit(fn: Callable, repeat: int) -> Tuple[Dict, object]:
    """Best and median wall time (and CPU time) of ``repeat`` runs, and the
    last result."""
    times, cpu, out = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return dict(
        best_s=min(times),
        median_s=float(np.median(times)),
        best_cpu_s=min(cpu)), out


def metric_inputs(samples) -> List[Dict]:
    """Samples as the dicts a metric's ``process`` receives."""
    return [
        dict(
            img_path=f'{s.name}.jpg',
            pred_instances=dict(
                polygons=[p.ravel().astype(np.float32) for p in s.det_polys],
                scores=s.scores_or_ones().astype(np.float32)),
            gt_instances=dict(
                polygons=[p.ravel().astype(np.float32) for p in s.gt_polys],
                ignored=np.asarray(s.gt_ignored, dtype=bool))) for s in samples
    ]


def run_metric(metric, inputs: List[Dict]) -> Dict:
    """``process`` every image and ``compute_metrics`` once."""
    metric.results = []
    metric.process([], inputs)
    return metric.compute_metrics(metric.results)


def bench_ours(name: str, fmt: str, gt: Files, det: Files, tmp: str,
               repeat: int) -> Tuple[Dict, list]:
    """Time our evaluation of one set (from zips and in memory); returns the
    report entry and the parsed samples."""
    gt_zip = to_zip(gt, osp.join(tmp, f'{name}_gt.zip'))
    det_zip = to_zip(det, osp.join(tmp, f'{name}_det.zip'))
    files_t, res = timeit(lambda: evaluate_files(gt_zip, det_zip, fmt), repeat)
    samples = load_samples(gt_zip, det_zip, fmt)
    mem_t, _ = timeit(lambda: evaluate_iou(samples), repeat)
    num_gt = sum(len(s.gt_polys) for s in samples)
    num_care = sum(int((~np.asarray(s.gt_ignored)).sum()) for s in samples)
    num_det = sum(len(s.det_polys) for s in samples)
    out = dict(
        format=fmt,
        description=SET_DESCRIPTIONS[name],
        num_images=len(samples),
        num_gt=num_gt,
        num_gt_dont_care=num_gt - num_care,
        num_det=num_det,
        gt_per_image=num_gt / len(samples),
        care_gt_per_image=num_care / len(samples),
        det_per_image=num_det / len(samples),
        zip_bytes=dict(
            gt=os.path.getsize(gt_zip), det=os.path.getsize(det_zip)),
        result=dict((k, res[k])
                    for k in ('precision', 'recall', 'hmean', 'num_gt_care',
                              'num_det_care', 'num_matched')),
        ours_files=files_t,
        ours_memory=mem_t)
    return out, samples


def bench_mmocr(out: Dict, samples: list, repeat: int) -> None:
    """Time our registered metric and mmocr's ``HmeanIOUMetric`` on the
    same samples, in place in the report entry ``out`` of
    :func:`bench_ours`."""
    files_t, res = out['ours_files'], out['result']
    from mmocr.evaluation.metrics import HmeanIOUMetric

    import mmocr_ext
    from mmocr_ext.evaluation.metrics import ExtHmeanIOUMetric
    mmocr_ext.register_all_modules()
    inputs = metric_inputs(samples)
    ext = ExtHmeanIOUMetric(score_thr=0.)
    ext_t, ext_res = timeit(lambda: run_metric(ext, inputs), repeat)
    one = HmeanIOUMetric(pred_score_thrs=dict(start=0., stop=0.05, step=0.1))
    one_t, one_res = timeit(lambda: run_metric(one, inputs),
                            max(1, repeat // 7))
    sweep = HmeanIOUMetric()
    sweep_t, sweep_res = timeit(lambda: run_metric(sweep, inputs), 1)
    out.update(
        ext_metric=ext_t,
        ext_metric_result=ext_res,
        mmocr_metric_one_thr=one_t,
        mmocr_metric_one_thr_result=one_res,
        mmocr_metric_sweep=sweep_t,
        mmocr_metric_sweep_result=sweep_res,
        speedup_files_vs_mmocr_one_thr=one_t['best_s'] / files_t['best_s'],
        speedup_files_vs_mmocr_sweep=sweep_t['best_s'] / files_t['best_s'],
        speedup_cpu_files_vs_mmocr_one_thr=one_t['best_cpu_s'] /
        files_t['best_cpu_s'],
        speedup_cpu_ext_metric_vs_mmocr_sweep=sweep_t['best_cpu_s'] /
        ext_t['best_cpu_s'],
        same_hmean_as_mmocr_one_thr=abs(one_res['hmean'] - res['hmean'])
        < 1e-12,
        same_best_as_mmocr_sweep=abs(sweep_res['hmean'] -
                                     ext_res['best_hmean']) < 1e-12)


def _cpu_model() -> str:
    """CPU model name from /proc/cpuinfo (Linux), else platform's."""
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _jsonable(value):
    """numpy scalars for ``json.dump``."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f'{type(value)} is not JSON serializable')


def main(argv=None) -> int:
    """Run the benchmark and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--ic15-gt',
        help='IC15 ground-truth folder '
        '(img_N.jpg.txt or gt_img_N.txt); synthetic if unset')
    parser.add_argument('--num-images', type=int, default=500)
    parser.add_argument(
        '--repeat', type=int, default=15, help='runs of ours (best kept)')
    parser.add_argument(
        '--no-mmocr', action='store_true', help='time only our evaluation')
    parser.add_argument(
        '--sparse-per-image',
        type=float,
        default=8.,
        help='Poisson mean of the boxes kept per image for the curved set '
        'at CTW1500 density (capped by the boxes an image has: 8 gives '
        'about 6 per image; CTW1500 test: 3068 in 500 images)')
    parser.add_argument('--out', default='work_dirs/benchmarks/hmean.json')
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    gt_lines = read_ic15_gt(args.ic15_gt, args.num_images) \
        if args.ic15_gt else synthetic_ic15_gt(args.num_images, rng)
    sets = build_sets(gt_lines, rng)
    sets['polygon_ctw1500_density'] = build_sparse_curved(
        gt_lines, np.random.default_rng(1), args.sparse_per_image)
    report = dict(
        machine=dict(
            platform=platform.platform(),
            processor=_cpu_model(),
            cpu_count=os.cpu_count(),
            python=platform.python_version(),
            affinity=len(os.sched_getaffinity(0)) if hasattr(
                os, 'sched_getaffinity') else None,
            load_average_at_start=os.getloadavg()),
        gt_source=args.ic15_gt or 'synthetic',
        repeat=args.repeat,
        sets={})
    samples = {}
    with tempfile.TemporaryDirectory() as tmp:
        # ours first, all sets, before torch and mmocr are imported
        for name, (gt, det) in sets.items():
            fmt = 'icdar2015' if name == 'icdar2015' else 'polygon'
            report['sets'][name], samples[name] = bench_ours(
                name, fmt, gt, det, tmp, args.repeat)
    if not args.no_mmocr:
        for name, out in report['sets'].items():
            bench_mmocr(out, samples[name], args.repeat)
    report['machine']['load_average_at_end'] = os.getloadavg()
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(report, f, indent=1, default=_jsonable)
    buf = io.StringIO()
    for name, res in report['sets'].items():
        buf.write(f'{name}: ours (files, parsing included) '
                  f'{res["ours_files"]["best_s"] * 1e3:.1f} ms')
        if 'mmocr_metric_one_thr' in res:
            one = res['mmocr_metric_one_thr']['best_s'] * 1e3
            sweep = res['mmocr_metric_sweep']['best_s'] * 1e3
            ratio = res['speedup_files_vs_mmocr_one_thr']
            buf.write(f', mmocr HmeanIOUMetric {one:.0f} ms (1 threshold) '
                      f'/ {sweep:.0f} ms (7-threshold sweep): x{ratio:.0f}')
        buf.write('\n')
    print(buf.getvalue() + f'written to {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
