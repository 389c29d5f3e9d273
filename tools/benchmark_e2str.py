# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Speed of E2STR's in-context recognition: retrieval, batching, KV cache.

    python tools/benchmark_e2str.py [--model toy|small|full] \\
        [--pool-size 10000] [--icl-pool-size 256] [--num-images 64] \\
        [--batch-size 32] [--new-tokens 8] [--repeats 3] [--warmup 1] \\
        [--threads N] [--out work_dirs/benchmark_e2str.json]

Models (random weights, ``init_cfg``/``pretrained`` dropped, every tanh
gate of the cross-attention blocks set to ``--gates`` so the image is
used): ``toy`` (``e2str_vit-tiny_opt-tiny_toy.py``), ``small``
(``_base_e2str_vit-small_opt-small.py``) and ``full`` (the released
ViT-B/4 + Perceiver + OPT-125M sizes, with the OPT tokenizer of
``data/tokenizers/opt-125m``). Phases, all in this process:

1. ``retrieval``: :meth:`InContextPool.retrieve` (k=2, candidates=20) over
   ``--pool-size`` random L2-normalised features of the model's width, for
   query batches of 1 and 32 (and ``--batch-size``): ms per query (median
   of ``10 x --repeats`` calls; target <= 2).
2. ``icl_recognition``: ``model.predict`` with demonstrations from a pool
   of ``--icl-pool-size`` random crops (features by the model) on
   ``--num-images`` random query crops, batched (``--batch-size``) vs one
   image at a time, with 3 beams (the released setting) and greedy:
   images/s and their ratio (target >= 5x at batch 32).
3. ``kv_cache``: the batched path (3 beams) with and without the KV cache.

Timed: ``predict`` from normalised inputs (feature extraction, retrieval,
demonstration features, tokenisation, decoding, post-processing) under
``torch.no_grad``; the competing variants of a phase run interleaved,
``--warmup`` passes first, and the median of ``--repeats`` passes counts.
Random weights would stop at random lengths (or never), so the
end-of-chunk token is disabled while timing: every query decodes exactly
``--new-tokens`` tokens on every path; ``lm_calls_per_predict`` (the
distinct numbers of LM forwards per ``predict``, counted with a hook: the
prompt plus one per step, i.e. ``--new-tokens`` with beams and one more
with greedy, which also runs after its last token) shows it. Current and peak
RSS are recorded after each phase. The JSON is rewritten (atomically)
after every phase.
"""
import argparse
import contextlib
import importlib.util
import json
import logging
import os
import os.path as osp
import random
import statistics
import string
import sys
from typing import Callable, Dict, List, Optional

import torch
from mmengine.config import Config

from mmocr_ext.utils.benchmarking import rss_mib, timed

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = dict(
    toy='configs/textrecog/e2str/e2str_vit-tiny_opt-tiny_toy.py',
    small='configs/textrecog/e2str/_base_e2str_vit-small_opt-small.py',
    full='configs/textrecog/e2str/_base_e2str_vit-b4_opt-125m.py')
OPT_TOKENIZER = osp.join(REPO, 'data', 'tokenizers', 'opt-125m')
#: facebook/opt-125m's sizes (random weights instead of the local folder).
OPT_125M = Config.fromfile(
    osp.join(REPO, 'configs', 'textrecog', 'e2str',
             '_base_e2str_vit-b4_opt-125m.py')).e2str_opt_125m
#: (H, W) of the crops (the test pipeline's Resize of every config).
CROP = (32, 128)
RETRIEVAL_TARGET_MS = 2.0
BATCH_TARGET_RATIO = 5.0


def _detector_benchmark():
    """``tools/benchmark.py`` as a module (its ``machine`` and
    ``_drop_init_cfg`` helpers)."""
    spec = importlib.util.spec_from_file_location(
        '_mmocr_ext_tools_benchmark', osp.join(REPO, 'tools', 'benchmark.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--model', choices=sorted(CONFIGS), default='small')
    parser.add_argument('--pool-size', type=int, default=10000)
    parser.add_argument(
        '--icl-pool-size',
        type=int,
        default=256,
        help='random crops of the pool used by the recognition phases')
    parser.add_argument('--num-images', type=int, default=64)
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument(
        '--new-tokens',
        type=int,
        default=8,
        help='tokens decoded per query (fixed: end-of-chunk disabled)')
    parser.add_argument('--gates', type=float, default=0.5)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument(
        '--threads', type=int, help="default: torch's (all cores)")
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--out', default=osp.join(REPO, 'work_dirs', 'benchmark_e2str.json'))
    return parser.parse_args(argv)


def build_model(name: str, gates: float, drop_init_cfg: Callable):
    """The ``name`` E2STR with random weights and gates ``gates``, in eval
    mode; returns the model and its config path."""
    from mmengine.config import Config
    from mmengine.logging import MMLogger
    from mmocr.registry import MODELS

    import mmocr_ext
    mmocr_ext.register_all_modules(init_default_scope=True)
    config = osp.join(REPO, CONFIGS[name])
    cfg = Config.fromfile(config).model
    drop_init_cfg(cfg)
    cfg.vision_encoder.pretrained = None
    if name == 'full':
        cfg.language_model.update(
            tokenizer=OPT_TOKENIZER, pretrained=None, config=OPT_125M)
    model = MODELS.build(cfg)
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)  # no per-parameter init report
    try:
        model.init_weights()
    finally:
        logger.setLevel(level)
    for layer in model.language_model.xattn_layers:
        block = layer.gated_cross_attn_layer
        if block is not None:
            block.attn_gate.data.fill_(gates)
            block.ff_gate.data.fill_(gates)
    return model.eval(), config


def bench_retrieval(args: argparse.Namespace, dim: int) -> Dict:
    """ms per query of :meth:`InContextPool.retrieve` on a random pool."""
    from mmocr_ext.models.textrecog.e2str.icl_pool import InContextPool
    g = torch.Generator().manual_seed(args.seed)
    n = args.pool_size
    feats = torch.nn.functional.normalize(
        torch.randn(n, dim, generator=g), dim=-1)
    pool = InContextPool([str(i) for i in range(n)], feats,
                         torch.zeros(n, 3, 1, 1, dtype=torch.uint8))
    calls = 10 * args.repeats
    batches = {}
    for batch in sorted({1, 32, args.batch_size}):
        query = torch.nn.functional.normalize(
            torch.randn(batch, dim, generator=g), dim=-1)
        times = timed({'q': lambda: pool.retrieve(query, 2, 20)}, calls,
                      args.warmup)['q']
        median = statistics.median(times)
        batches[str(batch)] = dict(
            times_s=times, median_s=median, ms_per_query=1000 * median / batch)
    return dict(
        pool_size=n,
        dim=dim,
        k=2,
        candidates=20,
        target_ms_per_query=RETRIEVAL_TARGET_MS,
        batches=batches)


@contextlib.contextmanager
def fixed_length(model):
    """Decode exactly ``max_new_tokens`` per query: the decoder's stop id
    becomes ``<image>``, which it never generates (banned)."""
    lm = model.language_model
    saved = lm.chunk_token_id
    lm.chunk_token_id = lm.image_token_id
    try:
        yield
    finally:
        lm.chunk_token_id = saved


class Recognition:
    """Batched and one-at-a-time ``predict`` on the same queries.

    Args:
        model (E2STR): The model (its pool is set here).
        args (argparse.Namespace): Sizes and seed.
    """

    def __init__(self, model, args: argparse.Namespace) -> None:
        from mmocr.structures import TextRecogDataSample

        from mmocr_ext.models.textrecog.e2str.icl_pool import InContextPool
        self.model = model
        g = torch.Generator().manual_seed(args.seed)
        rng = random.Random(args.seed)

        def crops(n: int) -> torch.Tensor:
            return torch.randint(
                0, 256, (n, 3, *CROP), generator=g, dtype=torch.uint8)

        pool_images = crops(args.icl_pool_size)
        chars = string.ascii_lowercase + string.digits
        texts = [
            ''.join(rng.choices(chars, k=rng.randint(3, 10)))
            for _ in range(args.icl_pool_size)
        ]
        with torch.no_grad():
            feats = torch.cat([
                model.pooled_feat(model.normalize(pool_images[i:i + 64]))
                for i in range(0, len(pool_images), 64)
            ])
        model.set_pool(InContextPool(texts, feats, pool_images))
        self.inputs = model.normalize(crops(args.num_images))
        self.samples = [
            TextRecogDataSample(metainfo=dict(img_path=f'query_{i}.png'))
            for i in range(args.num_images)
        ]
        self.calls: List[int] = []
        self.preds: Dict[str, List[str]] = {}
        self.lm_calls: Dict[str, List[int]] = {}
        model.language_model.register_forward_pre_hook(self._count)

    def _count(self, module, args) -> None:
        self.calls[-1] += 1

    def runner(self, name: str, batch: int,
               **decode_cfg) -> Callable[[], None]:
        """A pass over all queries in batches of ``batch`` with
        ``decode_cfg`` updated; keeps the predictions and the distinct LM
        call counts per ``predict`` under ``name``."""

        def run() -> None:
            self.model.decode_cfg.update(decode_cfg)
            preds, self.calls = [], []
            with torch.no_grad():
                for i in range(0, len(self.inputs), batch):
                    self.calls.append(0)
                    out = self.model.predict(self.inputs[i:i + batch],
                                             self.samples[i:i + batch])
                    preds += [s.pred_text.item for s in out]
            self.preds[name] = preds
            self.lm_calls[name] = sorted(set(self.calls))

        return run

    def measure(self, fns: Dict[str, Callable], repeats: int,
                warmup: int) -> Dict[str, Dict]:
        """Time the runners ``fns``; images/s and LM calls of each."""
        times = timed(fns, repeats, warmup)
        return {
            name:
            dict(
                times_s=t,
                median_s=statistics.median(t),
                images_per_s=len(self.inputs) / statistics.median(t),
                lm_calls_per_predict=self.lm_calls[name])
            for name, t in times.items()
        }


def bench_recognition(rec: Recognition, args: argparse.Namespace) -> Dict:
    """Batched vs one-at-a-time images/s, 3 beams and greedy."""
    out = dict(
        num_images=args.num_images,
        batch_size=args.batch_size,
        icl_pool_size=args.icl_pool_size,
        new_tokens_per_query=args.new_tokens,
        target_batched_vs_single=BATCH_TARGET_RATIO)
    for label, beams in (('beam3', 3), ('greedy', 1)):
        print(f'  {label}: batched x{args.batch_size} vs batch 1', flush=True)
        cfg = dict(num_beams=beams, use_cache=True)
        res = rec.measure(
            dict(
                batched=rec.runner('batched', args.batch_size, **cfg),
                single=rec.runner('single', 1, **cfg)), args.repeats,
            args.warmup)
        res['batched_vs_single'] = (
            res['batched']['images_per_s'] / res['single']['images_per_s'])
        same = [
            a == b for a, b in zip(rec.preds['batched'], rec.preds['single'])
        ]
        res['same_predictions'] = sum(same) / len(same)
        res['num_beams'] = beams
        out[label] = res
        print(
            f'    {res["batched"]["images_per_s"]:.2f} vs '
            f'{res["single"]["images_per_s"]:.2f} img/s: '
            f'{res["batched_vs_single"]:.2f}x',
            flush=True)
    return out


def bench_kv_cache(rec: Recognition, args: argparse.Namespace) -> Dict:
    """Batched images/s with and without the KV cache (3 beams)."""
    b = args.batch_size
    res = rec.measure(
        dict(
            cache=rec.runner('cache', b, num_beams=3, use_cache=True),
            no_cache=rec.runner('no_cache', b, num_beams=3, use_cache=False)),
        args.repeats, args.warmup)
    rec.model.decode_cfg['use_cache'] = True
    res['cache_vs_no_cache'] = (
        res['cache']['images_per_s'] / res['no_cache']['images_per_s'])
    res.update(num_beams=3, batch_size=args.batch_size)
    print(f'    {res["cache_vs_no_cache"]:.2f}x with the cache', flush=True)
    return res


def main(argv: Optional[List[str]] = None) -> int:
    """Run the three phases, write the JSON, print a summary."""
    from mmocr_ext.compat.atomic_save import atomic_write
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    tools = _detector_benchmark()
    report: Dict = dict(
        machine=dict(tools.machine(), load_average_start=os.getloadavg()),
        torch=torch.__version__,
        threads=torch.get_num_threads(),
        settings={
            k: v
            for k, v in vars(args).items() if k != 'out'
        },
        memory={},
        notes=[
            'random weights; tanh gates set to --gates',
            'end-of-chunk disabled: every query decodes exactly '
            '--new-tokens tokens on every path (same work per query); '
            'lm_calls_per_predict counts LM forwards per predict call',
            'timed: predict from normalised inputs (features, retrieval, '
            'demonstrations, decoding, post-processing); medians of '
            'interleaved repeats',
        ])

    def save(phase: str) -> None:
        report['memory'][phase] = rss_mib()
        report['peak_rss_mib'] = report['memory'][phase]['peak_rss_mib']
        report['machine']['load_average_end'] = os.getloadavg()
        atomic_write(json.dumps(report, indent=2), args.out)

    torch.manual_seed(args.seed)
    print(f'building {args.model} ...', flush=True)
    model, config = build_model(args.model, args.gates, tools._drop_init_cfg)
    model.decode_cfg['max_new_tokens'] = args.new_tokens
    report['settings'].update(
        config=osp.relpath(config, REPO),
        params=sum(p.numel() for p in model.parameters()))
    save('model')
    with torch.no_grad():
        dim = model.pooled_feat(torch.zeros(1, 3, *CROP)).shape[-1]
    print(f'retrieval: {args.pool_size} x {dim}', flush=True)
    report['retrieval'] = bench_retrieval(args, dim)
    for batch, res in report['retrieval']['batches'].items():
        print(f'  batch {batch}: {res["ms_per_query"]:.4f} ms/query')
    save('retrieval')
    print('icl recognition', flush=True)
    rec = Recognition(model, args)
    with fixed_length(model):
        report['icl_recognition'] = bench_recognition(rec, args)
        save('icl_recognition')
        print('kv cache', flush=True)
        report['kv_cache'] = bench_kv_cache(rec, args)
    save('kv_cache')
    print(f'peak RSS {report["peak_rss_mib"]:.0f} MiB; wrote {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
