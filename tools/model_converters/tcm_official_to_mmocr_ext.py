# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert an official TCM checkpoint (mmocr 0.4 / mmcv 1.x) for mmocr_ext.

    python tools/model_converters/tcm_official_to_mmocr_ext.py IN OUT \\
        [--config configs/textdet/tcm/tcm_clip-r50_fpnc_1200e_icdar2015.py]

The released TCM checkpoints (IC15 and MSRA-TD500, spec B7) are mmcv-1.x
files ``{meta, state_dict, optimizer}`` whose keys mirror our :class:`TCM`
except for mmocr 0.x's head name. Rules:

- ``bbox_head.*`` -> ``det_head.*`` (DBHead and FPNC names and shapes are
  unchanged between mmocr 0.4 and 1.x);
- a ``module.`` prefix (checkpoints saved from a DDP wrapper) is dropped;
- ``vis_gamma`` is stored 0-dim here; a 1-element tensor is reshaped;
- the optimizer state is dropped (different parameter grouping).

The input is read with ``weights_only=True`` (nothing is executed). With
``--config`` the converted weights are loaded into the model built from that
config and the script fails on any missing or unexpected key.
"""
import argparse
import os.path as osp
import sys
from collections import OrderedDict
from typing import Dict, List, Tuple

import torch

#: Prefix renames, applied in order (first match wins).
PREFIX_MAP: List[Tuple[str, str]] = [('bbox_head.', 'det_head.')]


def convert_tcm_state_dict(
        state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Rename an official TCM state dict to mmocr_ext's :class:`TCM` keys.

    Args:
        state_dict (dict[str, Tensor]): The official ``state_dict``.

    Returns:
        OrderedDict[str, Tensor]: The converted state dict (same tensors).
    """
    out = OrderedDict()
    for key, value in state_dict.items():
        if key.startswith('module.'):
            key = key[len('module.'):]
        for old, new in PREFIX_MAP:
            if key.startswith(old):
                key = new + key[len(old):]
                break
        if key == 'vis_gamma' and value.numel() == 1:
            value = value.reshape(())
        if key in out:
            raise KeyError(f'two input keys map to {key}')
        out[key] = value
    return out


def check_against_config(state_dict: Dict[str, torch.Tensor],
                         config: str) -> Tuple[List[str], List[str]]:
    """Load ``state_dict`` into the model of ``config`` (non-strictly).

    Args:
        state_dict (dict[str, Tensor]): Converted weights.
        config (str): An mmocr_ext TCM/FastTCM config file.

    Returns:
        tuple(list[str], list[str]): Missing and unexpected keys.
    """
    from mmocr_ext import register_all_modules
    register_all_modules()
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmocr.registry import MODELS

    init_default_scope('mmocr')
    cfg = Config.fromfile(config)
    model = MODELS.build(cfg.model)
    result = model.load_state_dict(state_dict, strict=False)
    return list(result.missing_keys), list(result.unexpected_keys)


def parse_args() -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='official TCM checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint for mmocr_ext')
    parser.add_argument(
        '--config', help='check the result against this model config')
    return parser.parse_args()


def main() -> int:
    """Convert, optionally check, save. Returns the exit status."""
    args = parse_args()
    sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))
    from mmocr_ext.compat import load_checkpoint_safely

    ckpt = load_checkpoint_safely(args.src, map_location='cpu')
    src_sd = ckpt.get('state_dict', ckpt)
    state_dict = convert_tcm_state_dict(src_sd)
    if args.config:
        missing, unexpected = check_against_config(state_dict, args.config)
        if missing or unexpected:
            print(f'missing keys: {missing}\nunexpected keys: {unexpected}',
                  file=sys.stderr)
            return 1
        print(f'{len(state_dict)} tensors, 0 missing / 0 unexpected keys '
              f'for {args.config}')
    meta = dict(converted_from=osp.basename(args.src))
    src_meta = ckpt.get('meta') if isinstance(ckpt, dict) else None
    if isinstance(src_meta, dict) and 'epoch' in src_meta:
        meta['source_epoch'] = src_meta['epoch']
    torch.save(dict(state_dict=state_dict, meta=meta), args.dst)
    print(f'wrote {args.dst}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
