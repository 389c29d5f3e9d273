# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""What ``tools/train.py`` and ``tools/test.py`` share (mmocr's CLI)."""
import argparse
import os
import os.path as osp
from typing import Any, Callable

from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner


def add_runner_args(parser: argparse.ArgumentParser) -> None:
    """Add the arguments common to training and testing.

    ``--work-dir``, ``--cfg-options``, ``--launcher`` and
    ``--local_rank``/``--local-rank`` (``torch.distributed.launch`` passes the
    hyphenated form since torch 2.0; torchrun sets ``LOCAL_RANK``).
    """
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value (lists: key="[a,b]" or '
        'key=a,b; no white space)')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def load_config(args: argparse.Namespace) -> Config:
    """Load ``args.config`` and apply the common arguments.

    The work dir priority is CLI > ``work_dir`` in the config >
    ``./work_dirs/<config name>``, as in mmocr.

    Returns:
        Config: the merged config.
    """
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file {args.config} does not exist')
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    return cfg


def build_runner(cfg: Config) -> Runner:
    """Build the default Runner, or ``cfg.runner_type`` from the registry."""
    if 'runner_type' not in cfg:
        return Runner.from_cfg(cfg)
    return RUNNERS.build(cfg)


def run_or_exit(action: Callable[[], Any]) -> Any:
    """Run ``action``; a checkpoint that does not fit exits with its summary.

    :class:`~mmocr_ext.compat.CheckpointMismatchError` (``load_from``,
    ``--resume``, ``tools/test.py CKPT``) becomes ``SystemExit`` with the
    summary instead of a traceback (exit status 1).
    """
    from mmocr_ext.compat import CheckpointMismatchError
    try:
        return action()
    except CheckpointMismatchError as e:
        raise SystemExit(f'error: {e}') from None
