# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Inference speed and peak memory of text detectors, side by side.

    python tools/benchmark.py [--out work_dirs/benchmark.json] \\
        [--sizes 736 1024] [--batch-sizes 1 4] [--iters 3] [--threads 2] \\
        [--model NAME=CONFIG ...] [--model-options NAME KEY=VALUE ...] \\
        [--preset i3cl [--only NAME ...]] [--detections 100] [--device cpu]

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

Two-stage detectors (models with an RoI head: mmdet's Mask R-CNN, I3CL)
are timed differently, see :mod:`mmocr_ext.utils.benchmark_two_stage`:
``predict`` (RPN, NMS, box head, mask branch, mask paste; not mmocr's
mask-to-polygon step) with the test cfg patched so that every model
processes the same workload: exactly ``rpn.max_per_img`` (1000) proposals
and ``--detections`` (100) detections per image, recorded in the cell
(``proposals_per_image``, ``detections_per_image``, ``test_cfg``).
``components_s`` then holds backbone, neck, ``intra_cl_module`` (and its
blocks), ``rpn_head``, ``roi_head`` (``.bbox``, ``.mask``,
``.inter_cl_module``); ``gmacs_per_image`` counts the dense parts at that
workload (``gmacs_note`` says what; null with the reason if tracing fails).

``--preset i3cl``: mmocr's Mask R-CNN R50-FPN (the baseline), I3CL-R50
with no / the intra-instance / the inter-instance / both additions, and
I3CL-ViTAEv2-S, e.g. ``python tools/benchmark.py --preset i3cl --sizes 640
--batch-sizes 1 4 --out work_dirs/benchmark_i3cl.json``; ``--only NAME``
keeps some of them. ``--model-options NAME KEY=VALUE ...`` applies
``--cfg-options``-style overrides to one model (repeatable). With batch 1
and another batch size, images/s at the larger batch vs batch 1 is printed
and stored as ``throughput_vs_batch1``.
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
from typing import Dict, List, Optional

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
    parser.add_argument(
        '--model-options',
        action='append',
        nargs='+',
        metavar='NAME KEY=VALUE',
        help='config overrides of model NAME (repeatable)')
    parser.add_argument(
        '--preset',
        choices=['i3cl'],
        help='i3cl: Mask R-CNN R50, I3CL-R50 (additions off / intra / '
        'inter / both), I3CL-ViTAEv2-S')
    parser.add_argument(
        '--only', nargs='+', help='keep these models of the preset')
    parser.add_argument(
        '--detections',
        type=int,
        default=100,
        help='detections per image of two-stage models (fixed)')
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
    parser.add_argument('--options', default='{}', help=argparse.SUPPRESS)
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


def build_model(config: str,
                device: str,
                options: Optional[Dict] = None,
                detections: int = 100):
    """Build the model of ``config`` (+ cfg ``options``) with random
    weights, in eval mode; a two-stage detector's test cfg is patched for
    ``detections`` per image (``model.bench_test_cfg``, else None)."""
    import torch
    from mmengine.config import Config
    from mmocr.registry import MODELS

    import mmocr_ext
    from mmocr_ext.utils import benchmark_two_stage as two_stage
    mmocr_ext.register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(resolve_config(config))
    cfg.merge_from_dict(options or {})
    _drop_init_cfg(cfg.model)
    test_cfg = two_stage.fix_workload(cfg.model, detections)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).to(device).eval()
    model.bench_test_cfg = test_cfg
    return model


def forward_fn(model, batch: int, shape: List[int], device: str, stats: Dict):
    """A callable running one forward on random images: ``mode='tensor'``,
    or ``predict`` for a two-stage detector (which fills ``stats``)."""
    import torch

    from mmocr_ext.utils import benchmark_two_stage as two_stage
    if two_stage.is_two_stage(model):
        return two_stage.predict_runner(model, batch, shape, device, stats)
    x = torch.randn(batch, 3, *shape, device=device)
    return lambda: model(x, mode='tensor')


def part_timer(model, device: str, stats: Dict) -> Dict[str, List]:
    """Per-part times (hooks); ``two_stage.summarise`` gives
    ``components_s``."""
    from mmocr_ext.utils import benchmark_two_stage as two_stage
    if two_stage.is_two_stage(model):
        return two_stage.component_timer(model, device, stats)
    return component_timer(model, device)


def cell_complexity(model, shape: List[int], device: str,
                    detections: int) -> Dict:
    """GMACs of one image (tensor mode, or the two-stage workload)."""
    from mmocr_ext.utils import benchmark_two_stage as two_stage
    if two_stage.is_two_stage(model):
        return two_stage.complexity(model, shape, device, detections)
    return complexity(model, shape, device)


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


def interleaved(args: argparse.Namespace, models: List[tuple]) -> Dict:
    """Round-robin latency of all models in one process.

    Returns:
        dict: ``machine`` and ``results``: per (size, batch) the median
        latency of every model and its ratio to the first model.
    """
    import torch

    torch.set_num_threads(args.threads)
    built = [(name, build_model(cfg, args.device, opts, args.detections))
             for name, cfg, opts in models]
    stats: Dict[str, Dict] = {name: {} for name, _ in built}
    timers = {
        name: part_timer(model, args.device, stats[name])
        for name, model in built
    }
    from mmocr_ext.utils.benchmark_two_stage import summarise, workload
    macs: Dict[tuple, Dict] = {}
    results = []
    with torch.no_grad():
        for size in args.sizes:
            for batch in args.batch_sizes:
                h, w = input_shape(size)
                runs = {
                    name:
                    forward_fn(model, batch, [h, w], args.device, stats[name])
                    for name, model in built
                }
                times = {name: [] for name, _ in built}
                for name, _ in built:
                    for _ in range(args.warmup):
                        runs[name]()
                    timers[name].clear()
                for i in range(args.iters):
                    # rotate the order so no model always runs first
                    order = built[i % len(built):] + built[:i % len(built)]
                    for name, _ in order:
                        sync(args.device)
                        start = time.perf_counter()
                        runs[name]()
                        sync(args.device)
                        times[name].append(time.perf_counter() - start)
                med = {n: statistics.median(t) for n, t in times.items()}
                base = built[0][0]
                parts = {name: summarise(timers[name]) for name, _ in built}
                for name, model in built:  # tracing runs the hooks too
                    if (name, h, w) not in macs:
                        macs[name, h,
                             w] = cell_complexity(model, [h, w], args.device,
                                                  args.detections)
                for name, model in built:
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
                            **workload(model, stats[name])))
                    print(
                        f'{name:>10} {[h, w]} x{batch}: '
                        f'{batch / med[name]:.3f} img/s, '
                        f'{med[name] / med[base]:.2f}x {base} latency, '
                        f'{_fmt(macs[name, h, w]["gmacs_per_image"])} GMACs',
                        flush=True)
    add_ratios(results, built[0][0])
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
    options = json.loads(args.options)
    model = build_model(args.config, args.device, options, args.detections)
    h, w = input_shape(args.size)
    stats: Dict = {}
    run = forward_fn(model, args.batch, [h, w], args.device, stats)
    parts = part_timer(model, args.device, stats)
    from mmocr_ext.utils.benchmark_two_stage import summarise, workload
    times = []
    with torch.no_grad():
        for i in range(args.warmup + args.iters):
            sync(args.device)
            start = time.perf_counter()
            run()
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
        options=options,
        size=[h, w],
        batch=args.batch,
        times_s=times,
        median_s=median,
        best_s=min(times),
        images_per_s=args.batch / median,
        peak_rss_mib=peak_rss_mib,
        components_s=summarise(parts),
        **workload(model, stats),
        **cell_complexity(model, [h, w], args.device, args.detections),
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


def add_ratios(results: List[Dict], base: str) -> None:
    """Add ``latency_vs_<base>``, ``macs_vs_<base>`` (None without MACs)
    and, where the model has a batch-1 cell at that size,
    ``throughput_vs_batch1`` (images/s vs batch 1) to every cell."""

    def find(model: str, size: List[int], batch: int) -> Optional[Dict]:
        return next((c for c in results if c['model'] == model
                     and c['size'] == size and c['batch'] == batch), None)

    for cell in results:
        ref = find(base, cell['size'], cell['batch'])
        one = find(cell['model'], cell['size'], 1)
        cell['latency_vs_' + base] = cell['median_s'] / ref['median_s']
        cell['macs_vs_' + base] = (
            cell['gmacs_per_image'] / ref['gmacs_per_image']
            if cell['gmacs_per_image'] and ref['gmacs_per_image'] else None)
        if one is not None:
            cell['throughput_vs_batch1'] = (
                cell['images_per_s'] / one['images_per_s'])


def _fmt(value: Optional[float], digits: int = 1) -> str:
    """``value`` with ``digits`` decimals, ``-`` for None."""
    return '-' if value is None else f'{value:.{digits}f}'


def model_specs(args: argparse.Namespace) -> List[tuple]:
    """``(name, config, cfg options)`` of every model to benchmark: the
    preset's (``--only`` ones), then ``--model`` ones (default: the DBNet /
    TCM set when there is no preset), then ``--model-options`` applied."""
    specs = []
    if args.preset or args.model_options:  # (imports torch: only if needed)
        from mmocr_ext.utils import benchmark_two_stage as two_stage
    if args.preset:
        specs = two_stage.i3cl_preset(REPO)
    if args.only:
        unknown = set(args.only) - {name for name, *_ in specs}
        if unknown:
            raise SystemExit(f'--only: not in the preset: {sorted(unknown)}')
        specs = [spec for spec in specs if spec[0] in args.only]
    if args.model or not args.preset:
        specs += [(*m.split('=', 1), {})
                  for m in (args.model or DEFAULT_MODELS)]
    names = [name for name, *_ in specs]
    for name, *pairs in args.model_options or []:
        if name not in names:
            raise SystemExit(f'--model-options: no model {name!r}')
        specs[names.index(name)][2].update(two_stage.parse_options(pairs))
    return specs


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
    models = model_specs(args)
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
            for name, config, opts in models:  # interleaved: fairer
                cmd = [
                    sys.executable,
                    osp.abspath(__file__), '--worker', '--config', config,
                    '--options',
                    json.dumps(opts), '--detections',
                    str(args.detections), '--size',
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
    add_ratios(results, base)
    _dump(args.out, results)
    print(f'\n| model | input (HxW) | batch | img/s | img/s vs batch 1 '
          f'| latency vs {base} | GMACs/img | MACs vs {base} '
          '| peak RSS (MiB) |\n|---|---|---|---|---|---|---|---|---|')
    for c in results:
        print(f'| {c["model"]} | {c["size"][0]}x{c["size"][1]} | {c["batch"]}'
              f' | {c["images_per_s"]:.3f} '
              f'| {_fmt(c.get("throughput_vs_batch1"), 2)} '
              f'| {c["latency_vs_" + base]:.2f} '
              f'| {_fmt(c["gmacs_per_image"])} '
              f'| {_fmt(c["macs_vs_" + base], 2)} '
              f'| {c["peak_rss_mib"]:.0f} |')
    for c in results:  # the target: <= 1.15x Mask R-CNN R50
        if args.preset and c['model'] == 'i3cl-r50':
            print(f'i3cl-r50 {c["size"][0]}x{c["size"][1]} x{c["batch"]}: '
                  f'{c["latency_vs_" + base]:.2f}x {base} latency '
                  '(target <= 1.15)')
    print(f'wrote {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
