# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Train a model: ``python tools/train.py CONFIG [options]``.

Same command line as mmocr's ``tools/train.py``. mmocr_ext is imported before
the config is read, so its modules and compatibility patches are available
even for configs that do not list it in ``custom_imports``. ``load_from`` and
``--resume`` refuse a checkpoint that does not fit the model (exit status 1
with a summary) unless the config sets ``allow_partial_checkpoint=True``
(``--cfg-options allow_partial_checkpoint=True``).
"""
import argparse
import logging

import torch
from mmengine.logging import print_log

from mmocr_ext import register_all_modules
from mmocr_ext.utils import add_runner_args, build_runner, load_config
from mmocr_ext.utils.cli import run_or_exit


def parse_args() -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume',
        action='store_true',
        help='resume from the latest checkpoint in the work dir (or from '
        'load_from if set)')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='automatic mixed precision (needs a CUDA device)')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by total batch size / '
        'auto_scale_lr.base_batch_size')
    add_runner_args(parser)
    return parser.parse_args()


def main() -> None:
    """Build the Runner from the config and train."""
    register_all_modules()
    args = parse_args()
    cfg = load_config(args)
    if args.amp:
        if not torch.cuda.is_available():
            raise SystemExit(
                '--amp needs a CUDA device: mmengine\'s AmpOptimWrapper does '
                'not support CPU training. Drop --amp on this machine.')
        if cfg.optim_wrapper.type == 'AmpOptimWrapper':
            print_log(
                'AMP training is already enabled in your config.',
                logger='current',
                level=logging.WARNING)
        elif cfg.optim_wrapper.type != 'OptimWrapper':
            raise SystemExit('--amp is only supported with optim_wrapper.type='
                             f'"OptimWrapper", got "{cfg.optim_wrapper.type}"')
        else:
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'
    if args.resume:
        cfg.resume = True
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise SystemExit(f'{args.config} has no auto_scale_lr.'
                             'base_batch_size: cannot use --auto-scale-lr')
        cfg.auto_scale_lr.enable = True
    run_or_exit(lambda: build_runner(cfg).train())


if __name__ == '__main__':
    main()
