# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert an official ViTAEv2 ImageNet checkpoint for mmocr_ext.

    python tools/model_converters/vitae_to_mmocr_ext.py SRC DST \\
        [--prefix backbone.] [--backbone-cfg '{"window_size": 7}']

A thin wrapper of :func:`mmocr_ext.models.textdet.i3cl.vitae_checkpoint.
vitae_checkpoint_filter_fn` for the ``ViTAEv2WindowNoShift`` backbone
(ViTAEv2-S settings unless ``--backbone-cfg`` overrides some, as JSON). The
input is read with ``weights_only=True``; the dropped keys (classifier head,
final norm) are printed; the output ``{'state_dict', 'meta'}`` is written
atomically. Exit status 2, nothing written, when the checkpoint is not one
of this backbone (the message names the keys), is missing, or pickles
objects outside mmocr_ext's allow-list (timm's ``args`` namespace is on
it; see ``mmocr_ext/compat/checkpoint.py``).
"""
import argparse
import json
import sys
from typing import List, Optional


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='official ViTAEv2 checkpoint')
    parser.add_argument('dst', help='output checkpoint for mmocr_ext')
    parser.add_argument(
        '--prefix',
        default='',
        help='prefix of the output keys, e.g. "backbone." for a detector')
    parser.add_argument(
        '--backbone-cfg',
        default='{}',
        help='JSON dict of ViTAEv2WindowNoShift arguments to override')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Convert and save. Returns the exit status."""
    args = parse_args(argv)
    from mmocr_ext.compat import UnsafeCheckpointError, load_checkpoint_safely
    from mmocr_ext.compat.atomic_save import save_converted_checkpoint
    from mmocr_ext.models.textdet.i3cl.vitae_checkpoint import \
        vitae_checkpoint_filter_fn
    from mmocr_ext.models.textdet.i3cl.vitae_v2 import ViTAEv2WindowNoShift

    model = ViTAEv2WindowNoShift(**json.loads(args.backbone_cfg))
    try:
        ckpt = load_checkpoint_safely(args.src, map_location='cpu')
        state_dict, report = vitae_checkpoint_filter_fn(
            ckpt, model, prefix=args.prefix)
    except (FileNotFoundError, UnsafeCheckpointError, ValueError) as err:
        print(f'{args.src}: {err}', file=sys.stderr)
        return 2
    print(f'source entry: {report["source"]}; stripped prefixes: '
          f'{report["stripped"] or "none"}')
    for key in report['dropped']:
        print(f'dropped: {key}')
    for line in report['resized']:
        print(f'resized: {line}')
    for key in report['filled']:
        print(f'from the model: {key}')
    save_converted_checkpoint(
        state_dict,
        args.dst,
        args.src,
        backbone='ViTAEv2WindowNoShift',
        prefix=args.prefix,
        dropped_keys=report['dropped'])
    print(f'wrote {len(state_dict)} tensors to {args.dst}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
