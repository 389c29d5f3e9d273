# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Inference speed and peak memory of text detectors, side by side.

    python tools/benchmark.py [--out work_dirs/benchmark.json] \\
        [--sizes 736 1024] [--batch-sizes 1 4] [--iters 3] [--threads 2] \\
        [--model NAME=CONFIG ...] [--device cpu]

Default models: mmocr's own DBNet-R50
(``mmocr::textdet/dbnet/dbnet_resnet50_1200e_icdar2015.py``, the baseline
of the ratios), TCM and FastTCM (ICDAR2015 configs) and, as a reference,
mmocr's DBNet-R50-DCNv2 (the DB paper's R50 model).
Every (model, size, batch) cell runs in a fresh subprocess, so its peak RSS
(``ru_maxrss``) is that cell's alone: model weights plus activations (with
``--device cuda``: host memory, and ``peak_cuda_mib`` from
``torch.cuda.max_memory_allocated``). On CUDA every timed region is
bracketed by ``torch.cuda.synchronize``.

What is timed: the network forward in ``mode='tensor'`` (data preprocessor
output -> backbone -> (TCM text branch) -> neck -> DB head probability
map), under ``torch.no_grad`` in eval mode, on random images of
``size x round(size * 16 / 9)`` pixels (ICDAR2015's aspect ratio, padded to
a multiple of 32). DB post-processing is not timed: it is the same
``DBPostprocessor`` for all three models and its cost depends on the
(random) predictions. ``--warmup`` iterations run first (for FastTCM they
fill the text-embedding cache). Weights are random (``init_cfg`` dropped):
speed does not depend on them and nothing is downloaded.

Writes a JSON list of cells: model, config, size (H, W), batch, median,
best (least disturbed by other load) and all iteration times, images/s,
peak RSS (MiB), parameter count, threads, torch version and a machine
description; prints a table with latency
ratios to the baseline (the first model). Every cell also carries

- ``components_s``: median latency of the detector's parts (backbone,
  ``backbone.attnpool``, text encoder, prompt generators, context decoder,
  neck, head; timed with forward hooks), so the cost of each TCM addition
  is visible;
- ``gmacs_per_image`` (with ``gmacs_by_module``): multiply-accumulates of
  one image's forward counted by :func:`mmocr_ext.utils.count_macs`
  (mmengine's ``FlopAnalyzer`` plus attention and deformable-convolution
  handles) after the warm-up, i.e. with FastTCM's text cache filled. MACs
  do not depend on the device: a latency target below the MAC ratio needs
  a device on which the extra layers run more efficiently than ResNet-50.
  Counted after the timing and the RSS reading (tracing costs memory).
"""
import argparse
import json
import os
import os.path as osp
import platform
import resource
import statistics
import subprocess
import sys
import time
from typing import Dict, List

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_MODELS = [
    'dbnet-r50=mmocr::textdet/dbnet/dbnet_resnet50_1200e_icdar2015.py',
    'tcm=' +
    osp.join(REPO, 'configs/textdet/tcm/'
             'tcm_clip-r50_fpnc_1200e_icdar2015.py'),
    'fasttcm=' +
    osp.join(REPO, 'configs/textdet/tcm/'
             'fasttcm_clip-r50_fpnc_1200e_icdar2015.py'),
    # DBNet's R50 headline model (deformable convs in stages 2-4); mmcv's
    # CPU deformable convolution is slow, so on CPU this is a reference only
    'dbnet-r50-dcnv2=mmocr::textdet/dbnet/'
    'dbnet_resnet50-dcnv2_fpnc_1200e_icdar2015.py',
]


def parse_args() -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--model',
        action='append',
        help='NAME=CONFIG (repeatable; default: DBNet-R50, TCM, FastTCM, '
        'DBNet-R50-DCNv2)')
    parser.add_argument('--sizes', type=int, nargs='+', default=[736, 1024])
    parser.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 4])
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--out', default=osp.join(REPO, 'work_dirs', 'benchmark.json'))
    parser.add_argument(
        '--interleaved',
        action='store_true',
        help='latency only: all models in one process, iterations '
        'interleaved round-robin (robust to a fluctuating machine load; '
        'no per-model RSS)')
    parser.add_argument(
        '--worker', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--config', help=argparse.SUPPRESS)
    parser.add_argument('--size', type=int, help=argparse.SUPPRESS)
    parser.add_argument('--batch', type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def _drop_init_cfg(cfg) -> None:
    """Remove every ``init_cfg`` (random weights, no download)."""
    if isinstance(cfg, dict):
        if 'init_cfg' in cfg:
            cfg['init_cfg'] = None
        for value in cfg.values():
            _drop_init_cfg(value)
    elif isinstance(cfg, list):
        for value in cfg:
            _drop_init_cfg(value)


def input_shape(size: int) -> List[int]:
    """(H, W) for a short side ``size`` at 16:9, W padded to 32."""
    return [size, -(-round(size * 16 / 9) // 32) * 32]


def resolve_config(config: str) -> str:
    """Map ``mmocr::path`` to the config file inside the mmocr package."""
    if '::' not in config:
        return config
    package, path = config.split('::', 1)
    from mmengine.utils import get_installed_path
    return osp.join(get_installed_path(package), '.mim', 'configs', path)


def build_model(config: str, device: str):
    """Build the model of ``config`` with random weights, in eval mode."""
    import torch
    from mmengine.config import Config
    from mmocr.registry import MODELS

    import mmocr_ext
    mmocr_ext.register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(resolve_config(config))
    _drop_init_cfg(cfg.model)
    torch.manual_seed(0)
    return MODELS.build(cfg.model).to(device).eval()


def sync(device: str) -> None:
    """Wait for queued CUDA kernels (no-op on CPU) so wall times are real."""
    if device.startswith('cuda'):
        import torch
        torch.cuda.synchronize(device)


def component_timer(model, device: str = 'cpu') -> Dict[str, List[float]]:
    """Time the detector's direct children (and ``backbone.attnpool``).

    Registers forward hooks; every call appends its wall time (s) to the
    returned dict, keyed by the child's name. Call ``.clear()`` on it after
    the warm-up. On CUDA each hook synchronises first, which serialises the
    parts (a small overhead included in the total time as well).
    """
    times: Dict[str, List[float]] = {}
    parts = dict(model.named_children())
    parts.pop('data_preprocessor', None)
    attnpool = getattr(parts.get('backbone'), 'attnpool', None)
    if attnpool is not None:
        parts['backbone.attnpool'] = attnpool
    for name, module in parts.items():

        def pre(mod, args, name=name):
            sync(device)
            mod._bench_start = time.perf_counter()

        def post(mod, args, out, name=name):
            sync(device)
            times.setdefault(name,
                             []).append(time.perf_counter() - mod._bench_start)

        module.register_forward_pre_hook(pre)
        module.register_forward_hook(post)
    return times


def complexity(model, shape: List[int], device: str) -> Dict:
    """GMACs of one image at ``shape`` (H, W), total and per part."""
    import torch

    from mmocr_ext.utils.complexity import count_macs
    macs = count_macs(model, torch.randn(1, 3, *shape, device=device))
    return dict(
        gmacs_per_image=macs['total'] / 1e9,
        gmacs_by_module={
            k: v / 1e9
            for k, v in macs['by_module'].items()
        })


def interleaved(args: argparse.Namespace, models: List[List[str]]) -> Dict:
    """Round-robin latency of all models in one process.

    Returns:
        dict: ``machine`` and ``results``: per (size, batch) the median
        latency of every model and its ratio to the first model.
    """
    import torch

    torch.set_num_threads(args.threads)
    built = [(name, build_model(cfg, args.device)) for name, cfg in models]
    timers = {
        name: component_timer(model, args.device)
        for name, model in built
    }
    macs: Dict[tuple, Dict] = {}
    results = []
    with torch.no_grad():
        for size in args.sizes:
            for batch in args.batch_sizes:
                h, w = input_shape(size)
                x = torch.randn(batch, 3, h, w, device=args.device)
                times = {name: [] for name, _ in built}
                for name, model in built:
                    for _ in range(args.warmup):
                        model(x, mode='tensor')
                    timers[name].clear()
                for i in range(args.iters):
                    # rotate the order so no model always runs first
                    order = built[i % len(built):] + built[:i % len(built)]
                    for name, model in order:
                        sync(args.device)
                        start = time.perf_counter()
                        model(x, mode='tensor')
                        sync(args.device)
                        times[name].append(time.perf_counter() - start)
                med = {n: statistics.median(t) for n, t in times.items()}
                base = built[0][0]
                parts = {
                    name: {
                        k: statistics.median(v)
                        for k, v in timers[name].items()
                    }
                    for name, _ in built
                }
                for name, model in built:  # tracing runs the hooks too
                    if (name, h, w) not in macs:
                        macs[name, h, w] = complexity(model, [h, w],
                                                      args.device)
                for name, _ in built:
                    results.append(
                        dict(
                            model=name,
                            size=[h, w],
                            batch=batch,
                            times_s=times[name],
                            median_s=med[name],
                            best_s=min(times[name]),
                            images_per_s=batch / med[name],
                            components_s=parts[name],
                            **macs[name, h, w],
                            **{'latency_vs_' + base: med[name] / med[base]}))
                    print(
                        f'{name:>10} {[h, w]} x{batch}: '
                        f'{batch / med[name]:.3f} img/s, '
                        f'{med[name] / med[base]:.2f}x {base} latency, '
                        f'{macs[name, h, w]["gmacs_per_image"]:.1f} GMACs',
                        flush=True)
    return dict(
        machine=machine(),
        mode='interleaved',
        threads=args.threads,
        torch=torch.__version__,
        results=results)


def worker(args: argparse.Namespace) -> Dict:
    """Time one (model, size, batch) cell in this process."""
    import torch

    torch.set_num_threads(args.threads)
    model = build_model(args.config, args.device)
    h, w = input_shape(args.size)
    inputs = torch.randn(args.batch, 3, h, w, device=args.device)
    parts = component_timer(model, args.device)
    times = []
    with torch.no_grad():
        for i in range(args.warmup + args.iters):
            sync(args.device)
            start = time.perf_counter()
            model(inputs, mode='tensor')
            sync(args.device)
            if i >= args.warmup:
                times.append(time.perf_counter() - start)
            else:
                parts.clear()
    median = statistics.median(times)
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    device_mem = {}
    if args.device.startswith('cuda'):  # the GPU side of the memory
        device_mem['peak_cuda_mib'] = torch.cuda.max_memory_allocated(
            args.device) / 2**20
    return dict(
        **device_mem,
        config=args.config,
        size=[h, w],
        batch=args.batch,
        times_s=times,
        median_s=median,
        best_s=min(times),
        images_per_s=args.batch / median,
        peak_rss_mib=peak_rss_mib,
        components_s={
            k: statistics.median(v)
            for k, v in parts.items()
        },
        **complexity(model, [h, w], args.device),
        params=sum(p.numel() for p in model.parameters()),
        threads=torch.get_num_threads(),
        torch=torch.__version__,
        device=args.device)


def machine() -> Dict:
    """A short description of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    return dict(
        cpu=cpu,
        logical_cpus=os.cpu_count(),
        memory_gib=round(mem, 1),
        python=platform.python_version(),
        platform=platform.platform())


def _dump(out: str, results: List[Dict]) -> None:
    """Write the machine description and the cells measured so far."""
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with open(out, 'w') as f:
        json.dump(dict(machine=machine(), results=results), f, indent=2)


def main() -> int:
    """Run every cell in a subprocess, write JSON, print a table."""
    args = parse_args()
    if args.worker:
        print('RESULT ' + json.dumps(worker(args)))
        return 0
    models = [m.split('=', 1) for m in (args.model or DEFAULT_MODELS)]
    if args.interleaved:
        out = interleaved(args, models)
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(out, f, indent=2)
        print(f'wrote {args.out}')
        return 0
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    results = []
    for size in args.sizes:
        for batch in args.batch_sizes:
            for name, config in models:  # interleaved: fairer under load
                cmd = [
                    sys.executable,
                    osp.abspath(__file__), '--worker', '--config', config,
                    '--size',
                    str(size), '--batch',
                    str(batch), '--iters',
                    str(args.iters), '--warmup',
                    str(args.warmup), '--threads',
                    str(args.threads), '--device', args.device
                ]
                proc = subprocess.run(
                    cmd, env=env, capture_output=True, text=True)
                lines = [
                    ln for ln in proc.stdout.splitlines()
                    if ln.startswith('RESULT ')
                ]
                if proc.returncode != 0 or not lines:
                    print(proc.stdout[-3000:], proc.stderr[-3000:])
                    raise RuntimeError(f'{name} at {size}/{batch} failed')
                cell = json.loads(lines[-1][len('RESULT '):])
                cell['model'] = name
                results.append(cell)
                _dump(args.out, results)  # partial results survive a kill
                print(
                    f'{name:>10} {cell["size"]} x{batch}: '
                    f'{cell["images_per_s"]:.3f} img/s, '
                    f'{cell["peak_rss_mib"]:.0f} MiB',
                    flush=True)
    base = models[0][0]
    for cell in results:
        ref = next(c for c in results
                   if c['model'] == base and c['size'] == cell['size']
                   and c['batch'] == cell['batch'])
        cell['latency_vs_' + base] = cell['median_s'] / ref['median_s']
        cell['macs_vs_' + base] = cell['gmacs_per_image'] / \
            ref['gmacs_per_image']
    _dump(args.out, results)
    print(f'\n| model | input (HxW) | batch | img/s | latency vs {base} '
          f'| GMACs/img | MACs vs {base} | peak RSS (MiB) |\n'
          '|---|---|---|---|---|---|---|---|')
    for c in results:
        print(f'| {c["model"]} | {c["size"][0]}x{c["size"][1]} | {c["batch"]}'
              f' | {c["images_per_s"]:.3f} | {c["latency_vs_" + base]:.2f} '
              f'| {c["gmacs_per_image"]:.1f} | {c["macs_vs_" + base]:.2f} '
              f'| {c["peak_rss_mib"]:.0f} |')
    print(f'wrote {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
