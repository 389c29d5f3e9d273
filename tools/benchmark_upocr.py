# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Speed and memory of UPOCR at 512x512, with timm's SwinV2-S classifier as
the reference measured in the same run.

    python tools/benchmark_upocr.py [--model full|toy] [--device cpu] \\
        [--image-size 512] [--batch-sizes 1 8] [--repeats 2] [--threads N] \\
        [--amp] [--out work_dirs/benchmark_upocr.json]

Random weights (``full``: the released SwinV2-S sizes,
``configs/pixel/upocr/_base_upocr_swinv2-s.py``; ``toy``: the ``_toy``
config). For every batch size and model a fresh worker process (so that
its peak RSS is its own) times, under ``torch.no_grad``:

* ``upocr``: the whole network (``mode='tensor'``: encoder, projection +
  task prompt, decoder with its three outputs) on a batch mixing the three
  tasks;
* ``encoder``: the encoder alone on the same batch; the decoder's share is
  the difference (projection and prompt are negligible);
* ``swinv2_s_timm``: timm's plain ``swinv2_small_window16_256`` classifier
  built for the same input size (``img_size=512``, window 16 as UPOCR's
  encoder), random weights, in its own worker.

Times are medians of ``--repeats`` interleaved runs after one warm-up
(CUDA synchronised). ``--amp`` runs under ``torch.autocast`` (fp16 on CUDA,
bf16 on CPU). The JSON (images/s, seconds per batch, peak RSS and CUDA peak
memory per batch size, ratios to the timm reference) is written atomically.
"""
import argparse
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
from typing import Dict, List, Optional

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = dict(
    full='configs/pixel/upocr/_base_upocr_swinv2-s.py',
    toy='configs/pixel/upocr/upocr_swinv2-tiny_toy.py')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--model', choices=sorted(CONFIGS), default='full')
    p.add_argument('--device', default='cpu')
    p.add_argument('--image-size', type=int, default=512)
    p.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 8])
    p.add_argument('--repeats', type=int, default=2)
    p.add_argument('--threads', type=int, default=0, help='0: torch default')
    p.add_argument('--amp', action='store_true')
    p.add_argument('--skip-reference', action='store_true')
    p.add_argument('--out', default='work_dirs/benchmark_upocr.json')
    p.add_argument('--worker', type=int, help=argparse.SUPPRESS)
    p.add_argument(
        '--worker-model', choices=('upocr', 'timm'), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def _sync(device: str) -> None:
    import torch
    if device.startswith('cuda'):
        torch.cuda.synchronize(device)


def build_upocr(name: str, device: str):
    """UPOCR of the ``name`` config, random weights, eval mode."""
    from mmengine.config import Config
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(osp.join(REPO, CONFIGS[name]))
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model.to(device).eval()


def mixed_samples(task_list, batch: int) -> list:
    """``batch`` data samples cycling through the model's tasks."""
    from mmocr_ext.structures import PixelOCRDataSample
    return [
        PixelOCRDataSample(metainfo=dict(task=task_list[i % len(task_list)]))
        for i in range(batch)
    ]


def work(args: argparse.Namespace, batch: int, which: str) -> Dict:
    """One model (``upocr``: the network and its encoder; ``timm``: the
    reference classifier) at one batch size, in this worker process."""
    import torch

    from mmocr_ext.utils.benchmarking import rss_mib, timed
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device, size = args.device, args.image_size
    x = torch.rand(batch, 3, size, size, device=device)
    amp_dtype = torch.float16 if device.startswith('cuda') else torch.bfloat16

    def call(fn):

        def run():
            with torch.no_grad(), torch.autocast(
                    device_type=device.split(':')[0],
                    dtype=amp_dtype,
                    enabled=args.amp):
                fn()
            _sync(device)

        return run

    if which == 'upocr':
        model = build_upocr(args.model, device)
        samples = mixed_samples(list(model.task_list), batch)
        fns = dict(
            upocr=call(lambda: model(x, samples, mode='tensor')),
            encoder=call(lambda: model.encoder(x)))
    else:
        import timm
        model = timm.create_model(
            'swinv2_small_window16_256', pretrained=False,
            img_size=size).to(device).eval()
        fns = dict(swinv2_s_timm=call(lambda: model(x)))
    if device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats(device)
    times = timed(fns, args.repeats, warmup=1)
    out = dict(
        batch_size=batch, params=sum(p.numel() for p in model.parameters()))
    for name, ts in times.items():
        med = statistics.median(ts)
        out[name] = dict(
            seconds_per_batch=med, images_per_s=batch / med, times=ts)
    if which == 'upocr':
        up = out['upocr']['seconds_per_batch']
        enc = out['encoder']['seconds_per_batch']
        out['split'] = dict(
            encoder_s=enc,
            decoder_s=up - enc,
            encoder_share=enc / up,
            decoder_share=(up - enc) / up)
    out['memory'] = rss_mib()
    if device.startswith('cuda'):
        out['memory']['cuda_peak_mib'] = (
            torch.cuda.max_memory_allocated(device) / 2**20)
    return out


def run_worker(base: List[str], batch: int, which: str) -> Optional[Dict]:
    """Run :func:`work` in a fresh process (its own peak RSS)."""
    proc = subprocess.run([
        sys.executable,
        osp.abspath(__file__), *base, '--worker',
        str(batch), '--worker-model', which
    ],
                          capture_output=True,
                          text=True,
                          cwd=REPO)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith('RESULT ')]
    if proc.returncode != 0 or not lines:
        print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
        return None
    return json.loads(lines[-1][len('RESULT '):])


def main(argv: Optional[List[str]] = None) -> int:
    """Run one worker per batch size; write the JSON."""
    args = parse_args(argv)
    if args.worker is not None:
        print('RESULT ' +
              json.dumps(work(args, args.worker, args.worker_model)))
        return 0
    import torch
    report = dict(
        args=vars(args),
        torch=torch.__version__,
        device_name=(torch.cuda.get_device_name(args.device)
                     if args.device.startswith('cuda') else 'cpu'),
        threads=args.threads or torch.get_num_threads(),
        results=[])
    base = list(argv if argv is not None else sys.argv[1:])
    for batch in args.batch_sizes:
        result = run_worker(base, batch, 'upocr')
        if result is None:
            print(
                f'benchmark_upocr: the batch-{batch} UPOCR worker failed',
                file=sys.stderr)
            return 1
        line = (f'batch {batch}: UPOCR {result["upocr"]["images_per_s"]:.3f}'
                f' img/s (encoder {result["split"]["encoder_share"]:.0%}), '
                f'peak RSS {result["memory"]["peak_rss_mib"]:.0f} MiB')
        if not args.skip_reference:
            ref = run_worker(base, batch, 'timm')
            if ref is None:
                print(
                    f'benchmark_upocr: the batch-{batch} timm worker '
                    'failed',
                    file=sys.stderr)
                return 1
            result['reference'] = ref
            result['upocr_vs_timm_time_ratio'] = (
                result['upocr']['seconds_per_batch'] /
                ref['swinv2_s_timm']['seconds_per_batch'])
            line += (f'; timm SwinV2-S '
                     f'{ref["swinv2_s_timm"]["images_per_s"]:.3f} img/s, '
                     f'peak RSS {ref["memory"]["peak_rss_mib"]:.0f} MiB')
        report['results'].append(result)
        print(line, flush=True)
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        tmp = f'{args.out}.tmp'
        with open(tmp, 'w') as f:
            json.dump(report, f, indent=2)
        os.replace(tmp, args.out)
    print(f'wrote {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
