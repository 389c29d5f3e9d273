# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Build the in-context pool of an E2STR model once: features to a file.

    python tools/build_icl_pool.py CONFIG CHECKPOINT POOL_ANN \\
        [--out POOL.pth] [--device cpu] [--batch-size 64] [--force]

Reads every labelled crop of ``POOL_ANN`` (an mmocr textrecog json, or the
official E2STR list ``[{"img_path", "gt_text"}]``; relative image paths are
relative to its folder) through the config's test pipeline
(``model.icl_test_cfg.pipeline``, else ``test_pipeline``), computes the
retrieval features with the weights of ``CHECKPOINT`` (loaded strictly,
with ``torch.load(weights_only=True)``) and writes the pool.

The default output is the cache file that the model itself looks for when
a config (``model.icl_test_cfg.pool=POOL_ANN``), ``tools/infer.py --pool
POOL_ANN`` or :func:`mmocr_ext.apis.set_recognizer_pool` names the
annotation file: ``<cache_dir or POOL_ANN's folder>/<name>.icl_pool.<key>
.pth``, where the key hashes the annotation file, the pipeline, the
normalisation and the encoder weights -- so such a run finds it without
recomputation, and new weights get a new file. ``--out`` writes elsewhere;
name that file as the pool (``.pth``) to use it.

An existing output built with the same key is reused (nothing is
recomputed) unless ``--force``. Crops that cannot be read are skipped and
named. Prints the pool size, the skipped crops and the path. Exit status 2
(a one-line message) for a missing file, an unreadable or malformed
annotation json, an empty pool, or a model without in-context pool; 1 for
a checkpoint that does not fit the model.
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional

from mmocr_ext import register_all_modules


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(
        description='Compute the in-context pool of an E2STR model once '
        '(features of labelled target-domain crops) and save it.')
    parser.add_argument('config', help='E2STR config file')
    parser.add_argument('checkpoint', help='checkpoint of the config')
    parser.add_argument(
        'pool_ann',
        metavar='POOL_ANN',
        help='labelled crops: mmocr textrecog json or the official '
        '[{"img_path", "gt_text"}] list')
    parser.add_argument(
        '--out',
        metavar='POOL.pth',
        help='output file (default: the cache file the model looks for '
        'next to POOL_ANN, or in icl_test_cfg.cache_dir)')
    parser.add_argument(
        '--device', default='cpu', help='e.g. cpu, cuda:0 (default: cpu)')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=64,
        help='crops per forward pass (default: %(default)s)')
    parser.add_argument(
        '--force',
        action='store_true',
        help='rebuild even when the output exists with the same key')
    args = parser.parse_args(argv)
    if args.batch_size < 1:
        parser.error('--batch-size must be at least 1')
    return args


def _fail(message: str) -> None:
    """Exit with status 2 after a one-line ``error: message`` on stderr."""
    print(f'error: {message}', file=sys.stderr)
    raise SystemExit(2)


def build_model(config: str, checkpoint: str, device: str):
    """The config's model with ``checkpoint`` loaded strictly.

    Returns:
        tuple: The model (eval mode, on ``device``) and the pool pipeline
        (``model.icl_test_cfg.pipeline``, else the config's
        ``test_pipeline``).

    Raises:
        SystemExit: No in-context pool in the model, no test pipeline
            (status 2), or a checkpoint that does not fit (status 1).
    """
    from mmengine.config import Config
    from mmengine.runner.checkpoint import _load_checkpoint
    from mmocr.registry import MODELS

    from mmocr_ext.compat import CheckpointMismatchError
    from mmocr_ext.compat.strict_load import load_checked
    cfg = Config.fromfile(config)
    icl_cfg = cfg.model.get('icl_test_cfg') or {}
    pipeline = icl_cfg.get('pipeline') or cfg.get('test_pipeline')
    if not pipeline:
        _fail(f'{config}: no model.icl_test_cfg.pipeline nor test_pipeline')
    model = MODELS.build(cfg.model)
    if not callable(getattr(model, 'set_pool', None)):
        _fail(f'{config}: {type(model).__name__} has no in-context pool '
              '(only E2STR has one)')
    try:
        load_checked(
            model,
            _load_checkpoint(checkpoint, map_location='cpu'),
            checkpoint,
            strict=True)
    except CheckpointMismatchError as e:
        raise SystemExit(f'error: {e}') from None
    return model.to(device).eval(), list(pipeline)


def main(argv: Optional[List[str]] = None) -> None:
    """Build (or reuse) the pool file and report it."""
    args = parse_args(argv)
    for path in (args.config, args.checkpoint, args.pool_ann):
        if not osp.isfile(path):
            _fail(f'{path} does not exist')
    register_all_modules()
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mmocr'):  # pipeline, model
        _build_pool(args)


def _build_pool(args: argparse.Namespace) -> None:
    """Build (or reuse) the pool file and report it (mmocr's scope)."""
    from mmocr_ext.models.textrecog.e2str.icl_pool import (InContextPool,
                                                           pool_cache_key,
                                                           read_pool_items)
    try:  # a bad annotation file fails before the model is built
        read_pool_items(args.pool_ann)
    except ValueError as e:  # names the file
        _fail(str(e))
    except (KeyError, IndexError, TypeError) as e:
        _fail(f'{args.pool_ann}: malformed item ({type(e).__name__}: {e})')
    model, pipeline = build_model(args.config, args.checkpoint, args.device)
    key = pool_cache_key(args.pool_ann, model, pipeline)
    cache_dir = (model.icl_test_cfg or {}).get('cache_dir')
    out = args.out or InContextPool.cache_path(args.pool_ann, key, cache_dir)
    pool = None
    if osp.isfile(out) and not args.force:
        try:
            pool = InContextPool.load(out)
        except Exception:  # not a pool: rebuild over it
            pool = None
        if pool is not None and pool.key != key:
            pool = None
    if pool is not None:
        print(f'up to date, reused (same weights, pipeline and annotations; '
              f'--force rebuilds): {out}')
    else:
        try:
            # An absolute source: the key check of a .pth pool works from
            # any working directory.
            pool = InContextPool.build(
                osp.abspath(args.pool_ann),
                model,
                pipeline,
                batch_size=args.batch_size,
                key=key)
        except ValueError as e:
            _fail(str(e))
        pool.save(out)
    print(f'\npool: {len(pool)} crops from {args.pool_ann}, '
          f'{len(pool.skipped)} skipped' + ''.join(f'\nskipped: {path}'
                                                   for path in pool.skipped))
    print(f'pool file: {out}')


if __name__ == '__main__':
    main()
