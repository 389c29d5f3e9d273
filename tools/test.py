# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Test a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [options]``.

Same command line as mmocr's ``tools/test.py``; the checkpoint is loaded with
``weights_only=True`` (see :mod:`mmocr_ext.compat.checkpoint`) and must fit
the model: missing/unexpected keys or shape mismatches stop the run with a
summary and exit status 1, unless ``--allow-partial`` (see
:mod:`mmocr_ext.compat.strict_load`).
"""
import argparse
import os.path as osp

from mmocr_ext import register_all_modules
from mmocr_ext.utils import add_runner_args, build_runner, load_config
from mmocr_ext.utils.cli import run_or_exit


def parse_args() -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--save-preds',
        action='store_true',
        help='dump predictions to <work_dir>/<checkpoint>_predictions.pkl')
    parser.add_argument(
        '--show', action='store_true', help='show predictions in a window')
    parser.add_argument(
        '--show-dir',
        help='save images with drawn ground truth and predictions here')
    parser.add_argument(
        '--wait-time', type=float, default=2, help='--show interval (s)')
    parser.add_argument(
        '--tta', action='store_true', help='test-time augmentation')
    parser.add_argument(
        '--allow-partial',
        action='store_true',
        help='load a checkpoint that does not fit the model (missing/'
        'unexpected keys, shape mismatches) with a warning instead of '
        'stopping; the mismatched weights stay randomly initialised')
    add_runner_args(parser)
    return parser.parse_args()


def enable_visualization(cfg, args: argparse.Namespace) -> None:
    """Switch on the VisualizationHook for ``--show``/``--show-dir``."""
    hook = cfg.default_hooks.get('visualization')
    if hook is None:
        raise SystemExit('--show/--show-dir need a VisualizationHook in '
                         'default_hooks (visualization=dict(type='
                         '"VisualizationHook"))')
    hook.update(enable=True, draw_gt=True, draw_pred=True)
    if args.show:
        hook.update(show=True, wait_time=args.wait_time)
    if args.show_dir:
        cfg.visualizer['save_dir'] = args.show_dir
        cfg.visualizer['vis_backends'] = [dict(type='LocalVisBackend')]


def main() -> None:
    """Build the Runner from the config and test."""
    register_all_modules()
    args = parse_args()
    cfg = load_config(args)
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'checkpoint {args.checkpoint} does not exist')
    cfg.load_from = args.checkpoint
    if args.allow_partial:
        cfg.allow_partial_checkpoint = True
    if args.show and args.show_dir:
        raise SystemExit('--show and --show-dir cannot be used together')
    if args.show or args.show_dir:
        enable_visualization(cfg, args)
    if args.tta:
        if 'tta_model' not in cfg or 'tta_pipeline' not in cfg:
            raise SystemExit(f'{args.config} defines no tta_model/'
                             'tta_pipeline: cannot use --tta')
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    if args.save_preds:
        dump = dict(
            type='DumpResults',
            out_file_path=osp.join(
                cfg.work_dir,
                f'{osp.basename(args.checkpoint)}_predictions.pkl'))
        evaluator = cfg.test_evaluator
        if isinstance(evaluator, dict) and 'metrics' in evaluator:
            evaluator['metrics'] = list(evaluator['metrics']) + [dump]
        elif isinstance(evaluator, (list, tuple)):
            cfg.test_evaluator = list(evaluator) + [dump]
        else:
            cfg.test_evaluator = [evaluator, dump]
    run_or_exit(lambda: build_runner(cfg).test())


if __name__ == '__main__':
    main()
