# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert an official E2STR checkpoint (OpenFlamingo) for mmocr_ext.

    python tools/model_converters/e2str_official_to_mmocr_ext.py IN OUT \\
        [--config configs/textrecog/e2str/<config>.py]

A thin wrapper of
:func:`mmocr_ext.models.textrecog.e2str.e2str_checkpoint.official_to_ours`
(key map in its module docstring). The input (a bare recognizer state dict
or ``{'state_dict': ...}``) is read with ``weights_only=True``. Every
dropped key is printed (the unused CLIP ``proj``, the alias copies of the
gated cross-attention and decoder layers). With ``--config`` the result is
loaded strictly into the model of that config: a missing, unexpected or
mis-shaped key fails the conversion (exit 1, nothing written). A checkpoint
that is not an official E2STR recognizer, or whose alias copies differ from
their canonical tensors, is refused with a message (exit 2). The output
(``{'state_dict', 'meta'}``) is written atomically.

MAE ViT checkpoints need no converter: ``E2STRViT(pretrained=...)`` reads
them directly.
"""
import argparse
import sys
from typing import Dict, List, Optional

import torch


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='official E2STR checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint for mmocr_ext')
    parser.add_argument(
        '--config', help='load the result strictly into this model config')
    return parser.parse_args(argv)


def build_model(config: str) -> torch.nn.Module:
    """Build the model of an E2STR config, without its MAE weights (the
    LM's pretrained directory, if the config names one, is still read)."""
    from mmengine.config import Config
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(config)
    if 'vision_encoder' in cfg.model:
        cfg.model.vision_encoder.pretrained = None
    return MODELS.build(cfg.model)


def mismatches(state_dict: Dict[str, torch.Tensor],
               model: torch.nn.Module) -> List[str]:
    """Missing, unexpected and mis-shaped keys of ``state_dict`` for
    ``model`` (empty when a strict load succeeds)."""
    from mmocr_ext.models.common.checkpoint_keys import load_mismatches
    return load_mismatches(state_dict, model.state_dict())


def main(argv: Optional[List[str]] = None) -> int:
    """Convert, optionally check, save. Returns the exit status."""
    args = parse_args(argv)
    from mmocr_ext.compat import load_checkpoint_safely
    from mmocr_ext.compat.atomic_save import save_converted_checkpoint
    from mmocr_ext.models.textrecog.e2str.e2str_checkpoint import \
        official_to_ours

    ckpt = load_checkpoint_safely(args.src, map_location='cpu')
    if not isinstance(ckpt, dict):
        print(f'{args.src}: not a checkpoint dict', file=sys.stderr)
        return 2
    try:
        state_dict, report = official_to_ours(ckpt)
    except ValueError as err:
        print(f'{args.src}: {err}', file=sys.stderr)
        return 2
    print('\n'.join(report) or 'nothing dropped')
    if args.config:
        model = build_model(args.config)
        problems = mismatches(state_dict, model)
        if problems:
            print(
                f'{args.src}: does not load into {args.config} '
                f'({len(problems)} problems):\n' + '\n'.join(problems),
                file=sys.stderr)
            return 1
        model.load_state_dict(state_dict, strict=True)
    save_converted_checkpoint(
        state_dict,
        args.dst,
        args.src,
        ckpt,
        converter='e2str_official_to_mmocr_ext')
    print(f'wrote {args.dst}: {len(state_dict)} tensors')
    return 0


if __name__ == '__main__':
    sys.exit(main())
