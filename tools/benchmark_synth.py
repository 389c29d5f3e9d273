# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Throughput of the synthetic scene-text renderer and of full generation.

    python tools/benchmark_synth.py [--out work_dirs/benchmark_synth.json] \\
        [--num 100] [--warmup 5] [--seed 0]

At 640x640 with exactly 8 words tried per image (``num_words=(8, 8)``),
other settings the defaults:

a. render only, one core, in this process (OpenCV/OpenMP/MKL threads 1):
   images/s, ms/image, mean words placed (after ``--warmup`` images);
b. full generation (render + write det, rec, spot and pixel, PNG) with
   :func:`~mmocr_ext.datasets.synth.generate.generate` and 1 and 2 worker
   processes, into a temporary folder deleted afterwards: images/s (the
   times include building the renderer, and for 2 workers starting them).

The issue's target is >= 15 images/s for (a). Writes a JSON file with the
numbers, the settings and a machine description.
"""
import os

for _var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
    os.environ[_var] = '1'

import argparse  # noqa: E402
import json  # noqa: E402
import os.path as osp  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import PIL  # noqa: E402

from mmocr_ext.datasets.synth import build_renderer  # noqa: E402
from mmocr_ext.datasets.synth.generate import generate  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TARGET = 15.0
SETTINGS = dict(height=640, width=640, num_words=(8, 8))
TASKS = 'det,rec,spot,pixel'


def parse_args(argv=None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--out', default=osp.join(REPO, 'work_dirs', 'benchmark_synth.json'))
    parser.add_argument(
        '--num', type=int, default=100, help='timed images per measurement')
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)
    if args.num < 1 or args.warmup < 0:
        parser.error('--num must be >= 1 and --warmup >= 0')
    return args


def machine() -> dict:
    """Where the numbers were measured."""
    return dict(
        cpu_count=os.cpu_count(),
        cpu=platform.processor() or platform.machine(),
        platform=platform.platform(),
        python=platform.python_version(),
        numpy=np.__version__,
        cv2=cv2.__version__,
        PIL=PIL.__version__,
        load_avg=list(os.getloadavg()) if hasattr(os, 'getloadavg') else None)


def render_only(num: int, warmup: int, seed: int) -> dict:
    """(a): one core, in-process."""
    cv2.setNumThreads(1)
    renderer = build_renderer(**SETTINGS)
    for i in range(warmup):
        renderer.render(seed, num + i)
    words = 0
    start = time.perf_counter()
    for i in range(num):
        words += len(renderer.render(seed, i).words)
    seconds = time.perf_counter() - start
    return dict(
        images=num,
        seconds=round(seconds, 3),
        images_per_s=round(num / seconds, 2),
        ms_per_image=round(1000 * seconds / num, 2),
        mean_words_placed=round(words / num, 2),
        target_images_per_s=TARGET,
        target_met=num / seconds >= TARGET)


def full_generation(num: int, seed: int, workers: int) -> dict:
    """(b): render + write every task with ``workers`` processes."""
    tmp = tempfile.mkdtemp(prefix='benchmark_synth_')
    try:
        summary = generate(
            osp.join(tmp, 'out'),
            num,
            TASKS,
            seed,
            workers=workers,
            renderer_cfg=dict(SETTINGS))
        size = sum(
            osp.getsize(osp.join(d, f)) for d, _, files in os.walk(tmp)
            for f in files)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dict(
        workers=workers,
        images=summary['images'],
        words=summary['words'],
        crops=summary['crops'],
        seconds=summary['seconds'],
        images_per_s=summary['images_per_s'],
        mib_written=round(size / 2**20, 1))


def main(argv=None) -> int:
    """Measure, print, write the JSON file."""
    args = parse_args(argv)
    result = dict(
        machine=machine(),
        settings=dict(
            renderer=dict(SETTINGS),
            tasks=TASKS,
            img_format='png',
            num=args.num,
            warmup=args.warmup,
            seed=args.seed))
    result['render_only_1_core'] = r = render_only(args.num, args.warmup,
                                                   args.seed)
    print(f'render only, 1 core: {r["images_per_s"]} images/s '
          f'({r["ms_per_image"]} ms/image, {r["mean_words_placed"]} words '
          f'placed/image); target >= {TARGET} images/s: '
          f'{"met" if r["target_met"] else "NOT met"}')
    result['generate'] = []
    for workers in (1, 2):
        g = full_generation(args.num, args.seed, workers)
        result['generate'].append(g)
        print(f'generate {TASKS}, {workers} worker(s): '
              f'{g["images_per_s"]} images/s ({g["seconds"]} s, '
              f'{g["mib_written"]} MiB)')
    result['machine']['load_avg_end'] = list(os.getloadavg())
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=2)
    print(f'-> {args.out}')
    return 0


if __name__ == '__main__':
    main()
