# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert an official TCM / FastTCM checkpoint (mmocr 0.4) for mmocr_ext.

    python tools/model_converters/tcm_official_to_mmocr_ext.py IN OUT \\
        [--config configs/textdet/tcm/tcm_clip-r50_fpnc_1200e_icdar2015.py]

A thin wrapper of
:func:`mmocr_ext.models.textdet.tcm.checkpoint_filter_fn` (the key map is
documented there and in ``docs/tcm.md``). The input is read with
``weights_only=True`` (nothing is executed); the optimizer state is dropped.
With ``--config`` the converted weights are loaded into the model built from
that config and the script fails (exit 1, nothing written) on any missing or
unexpected key.
"""
import argparse
import sys
from typing import Dict, List, Optional, Tuple

import torch
from torch import nn


def build_model(config: str) -> nn.Module:
    """Build the (randomly initialised) model of an mmocr_ext config."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules()
    init_default_scope('mmocr')
    return MODELS.build(Config.fromfile(config).model)


def check_keys(state_dict: Dict[str, torch.Tensor],
               model: nn.Module) -> Tuple[List[str], List[str]]:
    """Load ``state_dict`` into ``model`` non-strictly.

    Returns:
        tuple(list[str], list[str]): Missing and unexpected keys.
    """
    result = model.load_state_dict(state_dict, strict=False)
    return list(result.missing_keys), list(result.unexpected_keys)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='official TCM/FastTCM checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint for mmocr_ext')
    parser.add_argument(
        '--config', help='check the result against this model config')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Convert, optionally check, save. Returns the exit status."""
    args = parse_args(argv)
    from mmocr_ext.compat import load_checkpoint_safely
    from mmocr_ext.compat.atomic_save import save_converted_checkpoint
    from mmocr_ext.models.textdet.tcm import checkpoint_filter_fn

    ckpt = load_checkpoint_safely(args.src, map_location='cpu')
    model = build_model(args.config) if args.config else None
    try:
        state_dict = checkpoint_filter_fn(ckpt, model)
    except (KeyError, ValueError) as err:
        print(f'{args.src}: {err}', file=sys.stderr)
        return 1
    if model is not None:
        missing, unexpected = check_keys(state_dict, model)
        if missing or unexpected:
            print(
                f'missing keys: {missing}\nunexpected keys: {unexpected}',
                file=sys.stderr)
            return 1
        print(f'{len(state_dict)} tensors, 0 missing / 0 unexpected keys '
              f'for {args.config}')
    save_converted_checkpoint(state_dict, args.dst, args.src, ckpt)
    print(f'wrote {args.dst}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
