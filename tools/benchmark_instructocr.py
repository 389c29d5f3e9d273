# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Speed of InstructOCR: KV-cache decoding and batched spotting.

    python tools/benchmark_instructocr.py [--model full|toy] [--device cpu] \\
        [--image-size 640] [--instances 10 60] [--batch-size 8] \\
        [--num-images 16] [--throughput-instances 10] \\
        [--recompute auto|full|sampled] [--repeats 2] [--threads N] \\
        [--out work_dirs/benchmark_instructocr.json]

Random weights (``full``: the released sizes, bert-base sized random BERT;
``toy``: the ``_toy`` config). The end-of-sequence logit is disabled while
timing, so that every image decodes exactly ``27 n + 1`` tokens for ``n``
instances on every path. Phases, all in this process:

1. ``kv_cache``: the decoder alone on one image's memory (the encoder
   output of a ``--image-size`` square image: ``(size / 32) ** 2`` tokens),
   greedy decoding of ``n`` instances (``--instances``) with the KV cache vs
   full recomputation of the prefix at every step (the official decoder's
   cost). Full recomputation of 1621 tokens takes many minutes on a CPU, so
   ``--recompute sampled`` (the default on CPU) times single recomputation
   steps at 7 prefix lengths evenly spread over ``1 .. 27 n + 1`` and
   integrates them (trapezoid rule) into an estimated total, reported with
   ``"estimated": true``; ``full`` (the default on CUDA) times the whole
   loop.
2. ``throughput``: ``model.predict`` (backbone, BERT, encoder, decoding of
   ``--throughput-instances`` instances, post-processing) on
   ``--num-images`` random images, ``--batch-size`` at a time vs one at a
   time: images/s and their ratio.

Times are medians of ``--repeats`` interleaved runs after one warm-up;
CUDA work is synchronised. Peak RSS (and CUDA peak memory) is recorded
after each phase; the JSON is rewritten atomically after every phase.
"""
import argparse
import json
import logging
import os
import os.path as osp
import statistics
import sys
from typing import Dict, List, Optional

import torch
from mmengine.config import Config

from mmocr_ext.utils.benchmarking import rss_mib, timed

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = dict(
    full='configs/textspot/instructocr/_base_instructocr_clip-r50.py',
    toy='configs/textspot/instructocr/instructocr_clip-r50-tiny_toy.py')
KV_TARGET_RATIO = 5.0


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--model', choices=sorted(CONFIGS), default='full')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--image-size', type=int, default=640)
    parser.add_argument('--instances', type=int, nargs='+', default=[10, 60])
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--num-images', type=int, default=16)
    parser.add_argument('--throughput-instances', type=int, default=10)
    parser.add_argument(
        '--recompute', choices=['auto', 'full', 'sampled'], default='auto')
    parser.add_argument('--repeats', type=int, default=2)
    parser.add_argument('--threads', type=int)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--out',
        default=osp.join(REPO, 'work_dirs', 'benchmark_instructocr.json'))
    return parser.parse_args(argv)


def build_model(name: str, device: str):
    """The ``name`` model with random weights, EOS disabled, in eval mode."""
    from mmengine.logging import MMLogger
    from mmocr.registry import MODELS

    import mmocr_ext
    mmocr_ext.register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(osp.join(REPO, CONFIGS[name])).model
    cfg.encoder.text_encoder.pretrained = None
    model = MODELS.build(cfg)
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        model.init_weights()
    finally:
        logger.setLevel(level)
    with torch.no_grad():
        dic = model.decoder.dictionary
        model.decoder.vocab_embed.bias[dic.eos_idx] = -1e4
    return model.to(device).eval()


def _sync(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def _memory(model, size: int, device: str) -> Dict[str, torch.Tensor]:
    d = model.decoder.norm.normalized_shape[0]
    tokens = (size // 32)**2
    g = torch.Generator().manual_seed(0)
    return dict(
        memory=torch.randn(1, tokens, d, generator=g).to(device),
        pos=torch.randn(1, tokens, d, generator=g).to(device),
        memory_mask=None)


def bench_kv_cache(model, args: argparse.Namespace, mode: str) -> Dict:
    """Cached vs recomputed decoding of n instances (see the docstring)."""
    from mmocr_ext.models.textspot.instructocr import greedy_generate
    dec = model.decoder
    out_enc = _memory(model, args.image_size, args.device)
    kv = dec.project_memory(out_enc['memory'], out_enc['pos'])
    dic, results = dec.dictionary, {}
    for n in args.instances:
        steps = min(dec.slots_per_text * n + 1, dec.max_seq_len)

        def cached(steps=steps):
            tok, _ = greedy_generate(
                dec, out_enc['memory'], None, out_enc['pos'], max_len=steps)
            _sync(args.device)
            assert tok.shape[1] == steps

        row = dict(instances=n, tokens=steps)
        times = timed({'cached': cached}, args.repeats, 1)
        row['cached_s'] = statistics.median(times['cached'])
        if mode == 'full':

            def recompute(steps=steps):
                greedy_generate(
                    dec,
                    out_enc['memory'],
                    None,
                    out_enc['pos'],
                    max_len=steps,
                    use_cache=False)
                _sync(args.device)

            t = timed({'r': recompute}, max(1, args.repeats - 1), 0)['r']
            row.update(recompute_s=statistics.median(t), estimated=False)
        else:
            lengths = sorted(
                {1 + round(i * (steps - 1) / 6)
                 for i in range(7)})
            per_step = []
            for length in lengths:
                tokens = torch.full((1, length),
                                    dic.sos_idx,
                                    device=args.device)

                def one(tokens=tokens):
                    with torch.no_grad():
                        dec.step(tokens, 0, kv, None, None)
                    _sync(args.device)

                t = timed({'s': one}, args.repeats, 1)['s']
                per_step.append(statistics.median(t))
            # trapezoid rule over prefix lengths 1 .. steps
            total = 0.0
            for (l0, t0), (l1, t1) in zip(
                    zip(lengths, per_step), zip(lengths[1:], per_step[1:])):
                total += (t0 + t1) / 2 * (l1 - l0)
            total += per_step[0]  # the length-1 step itself
            row.update(
                recompute_s=total,
                estimated=True,
                sampled_lengths=lengths,
                sampled_step_s=per_step)
        row['speedup'] = row['recompute_s'] / row['cached_s']
        results[str(n)] = row
        est = ' (estimated)' if row['estimated'] else ''
        print(f"kv_cache n={n}: cached {row['cached_s']:.2f} s, recompute "
              f"{row['recompute_s']:.2f} s{est}, {row['speedup']:.1f}x")
    return results


def bench_throughput(model, args: argparse.Namespace) -> Dict:
    """Images/s of ``predict`` at batch ``--batch-size`` vs batch 1."""
    from mmocr.structures import TextDetDataSample
    model.decoder.decode_cfg['max_len'] = (
        model.decoder.slots_per_text * args.throughput_instances + 1)
    size = args.image_size
    g = torch.Generator().manual_seed(args.seed)
    images = torch.rand(args.num_images, 3, size, size, generator=g)
    images = images.to(args.device)

    def run(batch: int) -> None:
        with torch.no_grad():
            for i in range(0, args.num_images, batch):
                chunk = images[i:i + batch]
                samples = [
                    TextDetDataSample(
                        metainfo=dict(
                            img_shape=(size, size), ori_shape=(size, size)))
                    for _ in range(len(chunk))
                ]
                model.predict(chunk, samples)
        _sync(args.device)

    fns = {
        'batch_1': lambda: run(1),
        f'batch_{args.batch_size}': lambda: run(args.batch_size)
    }
    times = timed(fns, args.repeats, 1)
    out = {
        k:
        dict(
            median_s=statistics.median(v),
            images_per_s=args.num_images / statistics.median(v))
        for k, v in times.items()
    }
    big = out[f'batch_{args.batch_size}']['images_per_s']
    out['ratio'] = big / out['batch_1']['images_per_s']
    print(f"throughput: batch 1 {out['batch_1']['images_per_s']:.2f} img/s, "
          f'batch {args.batch_size} {big:.2f} img/s ({out["ratio"]:.2f}x)')
    return out


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    mode = args.recompute
    if mode == 'auto':
        mode = 'full' if args.device.startswith('cuda') else 'sampled'
    model = build_model(args.model, args.device)
    report = dict(
        args=vars(args),
        recompute_mode=mode,
        torch=torch.__version__,
        threads=torch.get_num_threads(),
        device_name=(torch.cuda.get_device_name(args.device)
                     if args.device.startswith('cuda') else 'cpu'),
        memory={})

    def save(phase: str) -> None:
        report['memory'][phase] = rss_mib()
        if args.device.startswith('cuda'):
            report['memory'][phase]['cuda_peak_mib'] = (
                torch.cuda.max_memory_allocated() / 2**20)
        report['peak_rss_mib'] = report['memory'][phase]['peak_rss_mib']
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        tmp = f'{args.out}.tmp'
        with open(tmp, 'w') as f:
            json.dump(report, f, indent=2)
        os.replace(tmp, args.out)

    with torch.no_grad():
        report['kv_cache'] = bench_kv_cache(model, args, mode)
    big = str(max(args.instances))
    report['kv_cache_target'] = dict(
        instances=int(big),
        ratio=KV_TARGET_RATIO,
        met=report['kv_cache'][big]['speedup'] >= KV_TARGET_RATIO)
    save('kv_cache')
    report['throughput'] = bench_throughput(model, args)
    save('throughput')
    print(f'peak RSS {report["peak_rss_mib"]:.0f} MiB; wrote {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
