# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Export a model of the suite to ONNX and verify it with onnxruntime.

    python tools/deployment/export_onnx.py CONFIG CKPT [--out-dir D] \\
        [--shape H W [--shape H W ...]] [--atol 1e-3] [--device cpu] \\
        [--cfg-options KEY=VALUE ...]

``CKPT`` is a checkpoint (loaded with mmocr_ext's safe loader, every key
must fit) or ``none`` for random weights (testing the export only). The
model class picks the exporter (TCM, FastTCM, I3CL, UPOCR, E2STR,
InstructOCR; see docs/deployment.md). Each graph is exported, run with
onnxruntime (CPU) next to PyTorch on the export size and on other sizes
where its axes are dynamic, and must agree within ``--atol``. Writes
``D/<graph>.onnx`` and ``D/export_report.json`` (graphs, inputs/outputs,
dynamic axes, max abs differences, versions) and prints a table. Exit 1 with
a one-line reason when onnxruntime is missing, the class is not supported,
the checkpoint does not fit, or a graph fails to export or to match.

``--shape`` (repeatable) sets the image sizes: the first is the export
size, the others are checked too (one more size is added when only one is
given, by the TCM, I3CL and UPOCR exporters). Without it each family uses
its default sizes. E2STR's ViT has a fixed input size (see
docs/deployment.md, "E2STR and InstructOCR").
"""
import argparse
import json
import os
import os.path as osp
import secrets
import sys
from typing import List, Optional, Sequence, Tuple

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    from mmengine.config import DictAction
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config', help='model config file')
    p.add_argument(
        'checkpoint', help='checkpoint file, or "none" for random weights')
    p.add_argument(
        '--out-dir',
        help='output folder (default: work_dirs/onnx/<config name>)')
    p.add_argument(
        '--shape',
        type=int,
        nargs=2,
        action='append',
        metavar=('H', 'W'),
        help='image size (repeatable; the first is the export size)')
    p.add_argument(
        '--atol',
        type=float,
        default=1e-3,
        help='largest allowed max abs difference ORT vs PyTorch')
    p.add_argument(
        '--device',
        default='cpu',
        choices=['cpu'],
        help='export device (graphs are traced and checked on CPU)')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config keys, e.g. model.class_names=[...]')
    return p.parse_args(argv)


def _fail(msg: str) -> None:
    """Print a one-line error and exit with status 1."""
    print('error: ' + ' '.join(str(msg).split()), file=sys.stderr)
    raise SystemExit(1)


def check_onnx_runtime() -> dict:
    """Versions of onnx and onnxruntime; exit 1 when one is missing."""
    from mmocr_ext.deployment.onnx_utils import ORT_MISSING_MSG
    try:
        import onnx
        import onnxruntime
    except ImportError:
        _fail(ORT_MISSING_MSG)
    return dict(onnx=onnx.__version__, onnxruntime=onnxruntime.__version__)


def export_shapes(
    shapes: Optional[Sequence[Sequence[int]]]
) -> Optional[List[Tuple[int, int]]]:
    """``--shape`` values -> ``img_shapes`` (None when not given)."""
    if not shapes:
        return None
    return [(int(h), int(w)) for h, w in shapes]


def build_model(config: str, checkpoint: str, cfg_options: Optional[dict]):
    """Model of ``config`` (eval, CPU) with ``checkpoint`` loaded strictly
    (``none``: random weights, no ``init_weights``)."""
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmocr.registry import MODELS

    from mmocr_ext.compat import CheckpointMismatchError
    from mmocr_ext.compat.strict_load import load_checked
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(cfg.model)
    if checkpoint.lower() != 'none':
        from mmengine.runner.checkpoint import _load_checkpoint
        try:
            load_checked(
                model,
                _load_checkpoint(checkpoint, map_location='cpu'),
                checkpoint,
                strict=True)
        except CheckpointMismatchError as e:
            _fail(e)
    return model.cpu().eval()


def write_json(data: dict, path: str) -> None:
    """Write ``data`` as JSON atomically (temporary file + ``os.replace``)."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = osp.join(folder, f'.{osp.basename(path)}.{secrets.token_hex(4)}'
                   '.tmp')
    with open(tmp, 'w') as f:
        json.dump(data, f, indent=2)
        f.write('\n')
    os.replace(tmp, path)


def print_table(graphs: list) -> None:
    """One line per graph: name, inputs, outputs, max abs diff."""
    rows = [('graph', 'inputs', 'outputs', 'max_abs_diff')]
    for g in graphs:
        rows.append((g.name, ','.join(g.input_names), ','.join(g.output_names),
                     f'{g.max_abs_diff:.3g}'))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print('  '.join(c.ljust(w) for c, w in zip(r, widths)).rstrip())


def main(argv: Optional[List[str]] = None) -> None:
    """Export, verify, report."""
    args = parse_args(argv)
    versions = check_onnx_runtime()
    if not osp.isfile(args.config):
        _fail(f'{args.config} does not exist')
    if args.checkpoint.lower() != 'none' and not osp.isfile(args.checkpoint):
        _fail(f'checkpoint {args.checkpoint} does not exist (use "none" '
              'for random weights)')
    import torch

    import mmocr_ext
    from mmocr_ext.deployment import (OnnxExportError, OnnxMismatchError,
                                      export_model, find_exporter)
    mmocr_ext.register_all_modules()
    out_dir = args.out_dir or osp.join(
        'work_dirs', 'onnx',
        osp.splitext(osp.basename(args.config))[0])
    model = build_model(args.config, args.checkpoint, args.cfg_options)
    try:
        find_exporter(model)
    except ValueError as e:
        _fail(e)
    kwargs = dict(atol=args.atol)
    shapes = export_shapes(args.shape)
    if shapes is not None:
        kwargs['img_shapes'] = shapes
    try:
        graphs = export_model(model, out_dir, **kwargs)
    except (OnnxExportError, OnnxMismatchError, ValueError) as e:
        _fail(e)
    report = dict(
        config=osp.abspath(args.config),
        checkpoint=None
        if args.checkpoint.lower() == 'none' else osp.abspath(args.checkpoint),
        random_weights=args.checkpoint.lower() == 'none',
        model_class=type(model).__name__,
        atol=args.atol,
        graphs=[g.to_dict() for g in graphs],
        versions=dict(
            torch=torch.__version__,
            mmocr_ext=mmocr_ext.__version__,
            **versions))
    report_path = osp.join(out_dir, 'export_report.json')
    write_json(report, report_path)
    print_table(graphs)
    if report['random_weights']:
        print('note: random weights (CKPT "none"): graphs test the export '
              'only')
    print(f'wrote {len(graphs)} graph(s) and {report_path}')


if __name__ == '__main__':
    main()
