# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert CLIP ResNet weights into the initial weights of a TCM detector.

    python tools/model_converters/clip_to_tcm.py --src RN50.pt \\
        --out clip_rn50_tcm.pth --input-resolution 640 --context-length 18

Reads OpenAI's TorchScript ``RN50.pt`` (fp16) or an open_clip RN50 state
dict/checkpoint (:func:`mmocr_ext.models.common.clip.load_clip_state_dict`)
and writes a plain state dict of float32 tensors with the keys of the
detector's two CLIP parts
(:func:`mmocr_ext.models.textdet.tcm.clip_to_tcm_state_dict`):

- ``backbone.*``: :class:`CLIPResNetWithAttention` (CLIP ``visual.*``, the
  attention-pool positional embedding resized to ``--input-resolution``);
- ``text_encoder.*``: :class:`CLIPTextContextEncoder` (CLIP's text tower,
  the positional embedding cut to ``--context-length`` rows).

The file loads with ``torch.load(..., weights_only=True)`` and can be used
as the detector's ``init_cfg=dict(type='Pretrained', checkpoint=...)``, or
as ``load_from`` with ``allow_partial_checkpoint=True`` (no neck or head
weights); a single part loads with
``init_cfg=dict(type='Pretrained', checkpoint=..., prefix='backbone.')``.
Before writing, both parts are loaded with ``strict=True`` into modules built
from the weights' shapes, so a missing or unexpected key is an error.
"""
import argparse
import os
import os.path as osp
from typing import Dict, List, Optional

import torch
from torch import Tensor

from mmocr_ext.models.common.clip import (CLIPResNetWithAttention,
                                          CLIPTextContextEncoder,
                                          clip_arch_from_state_dict,
                                          load_clip_state_dict)
from mmocr_ext.models.textdet.tcm import tcm_checkpoint


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--src', required=True, help='OpenAI RN50.pt or open_clip weights')
    parser.add_argument('--out', required=True, help='output .pth file')
    parser.add_argument(
        '--input-resolution',
        type=int,
        default=640,
        help='training resolution of the detector (multiple of 32)')
    parser.add_argument(
        '--context-length',
        type=int,
        default=18,
        help='text length: prompt tokens + learnable context vectors')
    return parser.parse_args(argv)


def _part(state_dict: Dict[str, Tensor], prefix: str) -> Dict[str, Tensor]:
    """The entries under ``prefix``, with the prefix removed."""
    return {
        k[len(prefix):]: v
        for k, v in state_dict.items() if k.startswith(prefix)
    }


def main(argv: Optional[List[str]] = None) -> None:
    """Convert ``--src`` and write ``--out``."""
    args = parse_args(argv)
    clip_sd = load_clip_state_dict(args.src)
    out_sd = tcm_checkpoint.clip_to_tcm_state_dict(
        clip_sd,
        input_resolution=args.input_resolution,
        context_length=args.context_length)

    image_kwargs, text_kwargs = clip_arch_from_state_dict(clip_sd)
    image_sd = _part(out_sd, tcm_checkpoint.BACKBONE_PREFIX)
    text_sd = _part(out_sd, tcm_checkpoint.TEXT_ENCODER_PREFIX)
    backbone = CLIPResNetWithAttention(
        input_resolution=args.input_resolution, **image_kwargs)
    backbone.load_state_dict(image_sd, strict=True)
    text_encoder = CLIPTextContextEncoder(
        context_length=args.context_length, **text_kwargs)
    text_encoder.load_state_dict(text_sd, strict=True)

    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    torch.save(out_sd, args.out)
    print(f'{args.src} -> {args.out}: {len(image_sd)} backbone and '
          f'{len(text_sd)} text_encoder tensors; image arch {image_kwargs}, '
          f'text arch {text_kwargs}')


if __name__ == '__main__':
    main()
