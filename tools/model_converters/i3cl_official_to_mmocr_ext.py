# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert an official I3CL checkpoint (mmdet 2.20) for mmocr_ext.

    python tools/model_converters/i3cl_official_to_mmocr_ext.py IN OUT \\
        [--config configs/textdet/i3cl/i3cl_vitaev2-s_fpn_12e_art.py] \\
        [--num-classes 1] [--prefix wrapped_model.]

A thin wrapper of
:func:`mmocr_ext.models.textdet.i3cl.i3cl_checkpoint_filter_fn` (key map in
its module docstring and ``docs/i3cl.md``). The input is read with
``weights_only=True``. Every sliced or dropped key is printed. With
``--config`` the result is loaded into the model of that config: keys the
model does not have are dropped (and printed); a missing key fails the
conversion (exit 1, nothing written). A checkpoint that is not an I3CL
detector is refused with a message naming what is missing (exit 2). The
output is written atomically.
"""
import argparse
import sys
from typing import List, Optional

import torch


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='official I3CL checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint for mmocr_ext')
    parser.add_argument(
        '--config', help='check the result against this model config')
    parser.add_argument(
        '--num-classes',
        type=int,
        default=1,
        help='1 (text; our configs) or 63 (the official heads)')
    parser.add_argument(
        '--prefix',
        default='wrapped_model.',
        help="'wrapped_model.' for I3CLWrapper configs, '' for a bare "
        'I3CLMaskRCNN')
    return parser.parse_args(argv)


def build_model(config: str) -> torch.nn.Module:
    """Build the (randomly initialised) model of an mmocr_ext config."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules()
    init_default_scope('mmocr')
    cfg = Config.fromfile(config)
    return MODELS.build(cfg.model)


def main(argv: Optional[List[str]] = None) -> int:
    """Convert, optionally check, save. Returns the exit status."""
    args = parse_args(argv)
    from mmocr_ext.compat import load_checkpoint_safely
    from mmocr_ext.compat.atomic_save import save_converted_checkpoint
    from mmocr_ext.models.textdet.i3cl.i3cl_checkpoint import (
        drop_unexpected, i3cl_checkpoint_filter_fn)

    ckpt = load_checkpoint_safely(args.src, map_location='cpu')
    if not isinstance(ckpt, dict):
        print(f'{args.src}: not a checkpoint dict', file=sys.stderr)
        return 2
    try:
        state_dict, report = i3cl_checkpoint_filter_fn(ckpt, args.num_classes,
                                                       args.prefix)
    except ValueError as err:
        print(f'{args.src}: {err}', file=sys.stderr)
        return 2
    if args.config:
        missing = drop_unexpected(state_dict, build_model(args.config), report)
        if missing:
            print('\n'.join(report), file=sys.stderr)
            print(
                f'{args.src}: {len(missing)} keys of {args.config} are '
                f'missing: {missing}',
                file=sys.stderr)
            return 1
    print('\n'.join(report) or 'nothing sliced or dropped')
    save_converted_checkpoint(state_dict, args.dst, args.src, ckpt)
    print(f'wrote {args.dst}: {len(state_dict)} tensors')
    return 0


if __name__ == '__main__':
    sys.exit(main())
