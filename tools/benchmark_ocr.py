# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Speed of the composed OCR pipeline, and PyTorch vs onnxruntime per model.

    python tools/benchmark_ocr.py [--det tcm --rec e2str --erase upocr] \\
        [--images data/icdar2015_toy/textdet_imgs] [--num-images 8] \\
        [--batch-sizes 1 8] [--onnx full|toy|none] [--repeats 3] \\
        [--out work_dirs/benchmarks/benchmark_ocr.json]

1. ``pipeline``: :class:`mmocr_ext.apis.OCRPipeline` with the given presets
   (weights as ``tools/ocr.py`` finds them, else random — the JSON says
   which) reads ``--num-images`` images (decoded once, beforehand) at each
   batch size, after a warm-up on one image: images/s, seconds per stage
   (detection, cropping, recognition of all crops, erasing) and each
   stage's share of the wall time, crops per image. With random weights
   the number of crops is whatever the random detector finds; the
   recogniser's cost per crop is reported so that it can be scaled.
2. ``onnx``: every model of the suite (``full``: the released sizes with
   random weights; ``toy``: the tiny test configs) is exported with
   ``tools/deployment/export_onnx.py``'s code; each graph is then timed in
   PyTorch (its export wrapper, ``torch.no_grad``) and in onnxruntime (CPU,
   session built beforehand) on the export inputs: median of ``--repeats``
   interleaved runs after one warm-up each, and the ratio.

Both parts run in this one process; ``--threads`` sets torch's threads
(default: torch's choice) and onnxruntime gets the same number (its idle
threads do not spin). Run it on an otherwise idle machine: with other jobs
on the cores, multi-threaded PyTorch waits on descheduled threads at every
small operator (measured: a toy TCM forward 1.3 s with 2 threads on a
loaded 2-core VM, 17 ms with 1); the JSON records the load average at the
start and the end. The JSON is written atomically.
"""
import argparse
import glob
import importlib.util
import json
import os
import os.path as osp
import platform
import statistics
import tempfile
import time
from typing import Dict, List, Optional

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: ``--onnx-image-sizes``: image size (H, W) per model for the graphs
#: whose first input is the image (the detectors at ICDAR 2015's test size
#: 736x1280, UPOCR at its 512x512, InstructOCR's encoder at 640x640); the
#: other graphs keep their export inputs.
IMAGE_SIZES = dict(
    tcm=(736, 1280),
    fasttcm=(736, 1280),
    i3cl=(736, 1280),
    upocr=(512, 512),
    instructocr=(640, 640))
#: The models of the ONNX part: (label, config) per size.
ONNX_MODELS = dict(
    full=[('tcm', 'tcm'), ('fasttcm', 'fasttcm'), ('i3cl', 'i3cl'),
          ('e2str', 'e2str'), ('instructocr', 'instructocr'),
          ('upocr', 'upocr')],
    toy=[('tcm', 'tcm-toy'), ('i3cl', 'i3cl-toy'), ('e2str', 'e2str-toy'),
         ('instructocr', 'instructocr-toy'), ('upocr', 'upocr-toy')])


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--det', default='tcm')
    p.add_argument('--rec', default='e2str')
    p.add_argument('--erase', default='upocr', help="'none': no erasing")
    p.add_argument(
        '--images',
        default=osp.join(REPO, 'data', 'icdar2015_toy', 'textdet_imgs'),
        help='folder searched recursively for .jpg/.png')
    p.add_argument('--num-images', type=int, default=8)
    p.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 8])
    p.add_argument('--det-score-thr', type=float, default=0.3)
    p.add_argument('--onnx', choices=('full', 'toy', 'none'), default='full')
    p.add_argument(
        '--onnx-models',
        nargs='+',
        help='only these models of the ONNX part (labels: tcm, fasttcm, '
        'i3cl, e2str, instructocr, upocr)')
    p.add_argument(
        '--onnx-image-sizes',
        action='store_true',
        help='time the image graphs at deployment sizes (IMAGE_SIZES) '
        'instead of their small export inputs')
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--threads', type=int, default=0, help='0: torch default')
    p.add_argument('--skip-pipeline', action='store_true')
    p.add_argument('--out', default='work_dirs/benchmarks/benchmark_ocr.json')
    return p.parse_args(argv)


def _images(folder: str, num: int) -> List[str]:
    paths = sorted(
        glob.glob(osp.join(folder, '**', '*.jpg'), recursive=True) +
        glob.glob(osp.join(folder, '**', '*.png'), recursive=True))
    if len(paths) < num:
        raise SystemExit(f'{folder}: {len(paths)} images, need {num}')
    return paths[:num]


def bench_pipeline(args: argparse.Namespace) -> Dict:
    """Images/s and stage shares of the composed pipeline."""
    from mmocr_ext.apis import OCRPipeline
    from mmocr_ext.apis.infer_utils import load_image
    from mmocr_ext.utils.benchmarking import rss_mib
    paths = _images(args.images, args.num_images)
    imgs = [load_image(p) for p in paths]
    names = [osp.splitext(osp.basename(p))[0] for p in paths]
    pipe = OCRPipeline(
        det=args.det,
        rec=args.rec,
        erase=None if args.erase == 'none' else args.erase,
        device='cpu',
        det_score_thr=args.det_score_thr)
    pipe(imgs[:1], names=names[:1], batch_size=1)  # warm-up
    out = dict(
        presets=dict(det=args.det, rec=args.rec, erase=args.erase),
        weights={
            s: c[1]
            for s, c in pipe.configs.items()
        },
        random_weights=pipe.random_weights,
        images=[osp.relpath(p, REPO) for p in paths],
        image_sizes=sorted({f'{i.shape[1]}x{i.shape[0]}'
                            for i in imgs}),
        runs={})
    for batch in args.batch_sizes:
        pipe.timings.clear()
        start = time.perf_counter()
        pipe(imgs, names=names, batch_size=batch)
        wall = time.perf_counter() - start
        stages = {
            k: round(pipe.timings.get(k, 0.), 3)
            for k in ('det', 'crop', 'rec', 'erase')
        }
        stages['other'] = round(wall - sum(stages.values()), 3)
        crops = int(pipe.timings.get('crops', 0))
        out['runs'][f'batch_{batch}'] = dict(
            seconds=round(wall, 3),
            images_per_s=round(len(imgs) / wall, 4),
            stage_seconds=stages,
            stage_share={
                k: round(v / wall, 3)
                for k, v in stages.items()
            },
            crops=crops,
            crops_per_image=round(crops / len(imgs), 2),
            rec_seconds_per_crop=(round(stages['rec'] /
                                        crops, 4) if crops else None))
        print(f'pipeline batch {batch}: {len(imgs) / wall:.3f} images/s, '
              f'{crops} crops, stages {stages}')
    out['memory'] = rss_mib()
    return out


def _export_tool():
    spec = importlib.util.spec_from_file_location(
        'export_onnx', osp.join(REPO, 'tools', 'deployment', 'export_onnx.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _resized_inputs(graph, label: str) -> tuple:
    """The export inputs with the image at ``IMAGE_SIZES[label]`` (and
    an all-valid padding mask for InstructOCR's encoder)."""
    import torch
    inputs = list(graph.example_inputs)
    first = graph.input_names[0]
    if label not in IMAGE_SIZES or first not in ('img', 'image'):
        return tuple(inputs)
    height, width = IMAGE_SIZES[label]
    batch = inputs[0].shape[0]
    gen = torch.Generator().manual_seed(0)
    inputs[0] = torch.randn(batch, 3, height, width, generator=gen)
    if 'padding_mask' in graph.input_names:
        inputs[graph.input_names.index('padding_mask')] = torch.zeros(
            batch, height, width, dtype=torch.bool)
    return tuple(inputs)


def bench_onnx(size: str,
               repeats: int,
               threads: int,
               only: Optional[List[str]] = None,
               image_sizes: bool = False) -> Dict:
    """PyTorch vs onnxruntime time of every exported graph."""
    import numpy as np
    import onnxruntime as ort
    import torch

    from mmocr_ext.apis.ocr_presets import PRESETS
    from mmocr_ext.deployment import export_model
    from mmocr_ext.deployment.onnx_utils import (compare_outputs,
                                                 flatten_outputs)
    from mmocr_ext.utils.benchmarking import timed
    tool = _export_tool()
    session_options = ort.SessionOptions()
    if threads:
        session_options.intra_op_num_threads = threads
    # onnxruntime's idle threads spin by default and would steal the CPU
    # from the interleaved PyTorch runs.
    session_options.add_session_config_entry('session.intra_op.allow_spinning',
                                             '0')
    report = {}
    for label, preset in ONNX_MODELS[size]:
        if only and label not in only:
            continue
        config = osp.join(REPO, PRESETS[preset].config)
        # Random weights everywhere: InstructOCR's BERT too (its released
        # weights are a local folder the model otherwise insists on).
        options = ({
            'model.encoder.text_encoder.pretrained': None
        } if label == 'instructocr' else None)
        try:
            model = tool.build_model(config, 'none', options)
        except Exception as e:  # recorded, the other models still run
            report[label] = dict(config=PRESETS[preset].config, error=str(e))
            print(f'{label}: {e}')
            continue
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            graphs = export_model(model, tmp)
            export_s = time.perf_counter() - started
            entries = {}
            for graph in graphs:
                session = ort.InferenceSession(
                    graph.path,
                    session_options,
                    providers=['CPUExecutionProvider'])
                inputs = (
                    _resized_inputs(graph, label)
                    if image_sizes else graph.example_inputs)
                feeds = {
                    name: value.detach().cpu().numpy()
                    for name, value in zip(graph.input_names, inputs)
                }
                module = graph.module

                def run_torch(module=module, inputs=inputs):
                    with torch.no_grad():
                        module(*inputs)

                def run_ort(session=session, feeds=feeds):
                    session.run(None, feeds)

                times = timed(
                    dict(torch=run_torch, onnxruntime=run_ort),
                    repeats,
                    warmup=1)
                med = {k: statistics.median(v) for k, v in times.items()}
                with torch.no_grad():
                    here = compare_outputs(
                        flatten_outputs(module(*inputs)),
                        session.run(None, feeds))
                entries[graph.name] = dict(
                    input_shapes=[list(np.shape(v)) for v in feeds.values()],
                    torch_ms=round(1e3 * med['torch'], 2),
                    onnxruntime_ms=round(1e3 * med['onnxruntime'], 2),
                    ort_speedup=round(med['torch'] / med['onnxruntime'], 3),
                    max_abs_diff_export_checks=graph.max_abs_diff,
                    max_abs_diff_these_inputs=here,
                    onnx_mib=round(osp.getsize(graph.path) / 2**20, 1))
                print(f'{label}/{graph.name}: torch {med["torch"]*1e3:.1f} '
                      f'ms, onnxruntime {med["onnxruntime"]*1e3:.1f} ms')
        report[label] = dict(
            config=PRESETS[preset].config,
            parameters=sum(p.numel() for p in model.parameters()),
            export_seconds=round(export_s, 1),
            graphs=entries)
        del model
    return report


def main(argv: Optional[List[str]] = None) -> None:
    """Run the benchmark and write its JSON."""
    args = parse_args(argv)
    import torch
    if args.threads:
        torch.set_num_threads(args.threads)
    from mmocr_ext.compat.atomic_save import atomic_write
    report = dict(
        machine=dict(
            processor=platform.processor() or platform.machine(),
            cpus=len(os.sched_getaffinity(0)),
            torch=torch.__version__,
            threads=torch.get_num_threads(),
            python=platform.python_version(),
            load_average_at_start=[round(x, 2) for x in os.getloadavg()]),
        repeats=args.repeats)
    if not args.skip_pipeline:
        report['pipeline'] = bench_pipeline(args)
        atomic_write(json.dumps(report, indent=1), args.out)  # so far
    if args.onnx != 'none':
        import onnxruntime
        report['machine']['onnxruntime'] = onnxruntime.__version__
        report['onnx'] = bench_onnx(args.onnx, args.repeats, args.threads
                                    or torch.get_num_threads(),
                                    args.onnx_models, args.onnx_image_sizes)
    report['machine']['load_average_at_end'] = [
        round(x, 2) for x in os.getloadavg()
    ]
    atomic_write(json.dumps(report, indent=1), args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
