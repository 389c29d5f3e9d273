# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The ``--pixel`` part of ``tools/infer.py``: pixel-level OCR (UPOCR text
removal, text segmentation, tampered-text detection) without ground truth,
optionally restricted to a text detector's polygons.

Heavy modules (torch, mmocr) are imported by the functions that need them,
so that the command line answers bad options quickly.
"""
import argparse
import os.path as osp
import sys
from typing import List, Tuple

from .infer_utils import load_image, output_names

#: ``--task`` values (``mmocr_ext.structures.PIXEL_TASKS``, listed here so
#: that a bad command line is answered without importing torch).
PIXEL_TASK_CHOICES = ('text_removal', 'text_segmentation', 'tamper_detection')


def add_pixel_arguments(parser: argparse.ArgumentParser) -> None:
    """``--pixel``, ``--pixel-weights``, ``--task``, ``--erase-in-det``,
    ``--erase-det-weights`` and ``--dilate``."""
    parser.add_argument(
        '--pixel',
        metavar='CONFIG',
        help='pixel-level OCR (UPOCR config), with --task: text removal, '
        'text segmentation or tampered-text detection')
    parser.add_argument(
        '--pixel-weights', metavar='CKPT', help='checkpoint of --pixel')
    parser.add_argument(
        '--task', choices=PIXEL_TASK_CHOICES, help='the --pixel task')
    parser.add_argument(
        '--erase-in-det',
        metavar='DET_CONFIG',
        help='--task text_removal: erase only inside the polygons (scoring '
        'at least --pred-score-thr) of this text detector (config file)')
    parser.add_argument(
        '--erase-det-weights',
        metavar='CKPT',
        help='checkpoint of --erase-in-det (with --pixel, --det-weights '
        'means the same)')
    parser.add_argument(
        '--dilate',
        type=int,
        default=0,
        metavar='PX',
        help='grow the --erase-in-det polygons by PX pixels (default: '
        '%(default)s)')


def check_pixel_args(parser: argparse.ArgumentParser,
                     args: argparse.Namespace) -> None:
    """Refuse ``--pixel`` options that do not go together
    (``parser.error``: exit status 2 with a one-line message)."""
    if args.pixel is None:
        for key in ('pixel_weights', 'task', 'erase_in_det'):
            if getattr(args, key) is not None:
                opt = '--' + key.replace('_', '-')
                parser.error(f'{opt} needs --pixel (a pixel OCR config)')
        return
    others = [
        f'--{k}' for k in ('det', 'rec', 'kie', 'spot') if getattr(args, k)
    ]
    if others:
        parser.error(f'--pixel does not go with {", ".join(others)}')
    if args.task is None:
        parser.error('--pixel needs --task: ' + ', '.join(PIXEL_TASK_CHOICES))
    if args.erase_in_det is not None and args.task != 'text_removal':
        parser.error('--erase-in-det needs --task text_removal')
    if args.det_weights is not None:  # --det-weights: the same, with --pixel
        if args.erase_det_weights is not None:
            parser.error('give --erase-det-weights or --det-weights, not both')
        args.erase_det_weights, args.det_weights = args.det_weights, None
    if args.erase_det_weights is not None and args.erase_in_det is None:
        parser.error('--erase-det-weights (--det-weights) needs '
                     '--erase-in-det')
    if args.dilate < 0:
        parser.error('--dilate must be 0 or more')


def build_pixel_inferencers(args: argparse.Namespace) -> tuple:
    """The ``--pixel`` inferencer and the ``--erase-in-det`` detector.

    Checkpoints are checked strictly unless ``--allow-partial``.

    Returns:
        tuple: ``(PixelOCRInferencer, TextDetInferencer or None)``.

    Raises:
        SystemExit: a missing file, a checkpoint that does not fit (status
            1), or a task the model does not know (status 2).
    """
    for path in (args.pixel, args.pixel_weights, args.erase_in_det,
                 args.erase_det_weights):
        if path is not None and '://' not in path and not osp.isfile(path):
            raise SystemExit(f'{path} does not exist')
    from mmocr_ext.compat import (CheckpointMismatchError,
                                  strict_inferencer_loading)
    from .pixel_ocr_inferencer import PixelOCRInferencer
    det = None
    try:
        with strict_inferencer_loading(args.allow_partial):
            pixel = PixelOCRInferencer(
                args.pixel,
                weights=args.pixel_weights,
                device=args.device,
                task=args.task)
            if args.erase_in_det is not None:
                from mmocr.apis import TextDetInferencer
                det = TextDetInferencer(
                    model=args.erase_in_det,
                    weights=args.erase_det_weights,
                    device=args.device)
    except CheckpointMismatchError as e:
        raise SystemExit(f'error: {e}') from None
    except ValueError as e:  # e.g. a task the model does not know
        print(f'error: --pixel {args.pixel}: {e}', file=sys.stderr)
        raise SystemExit(2) from None
    return pixel, det


def _dump_polygons(pred: dict, out_dir: str) -> None:
    """``OUT/preds/<name>_text_removal.json``: ``{"polygons": [...]}``."""
    import json

    from mmocr_ext.compat.atomic_save import atomic_write
    path = osp.splitext(pred['output_path'])[0] + '.json'
    atomic_write(json.dumps(dict(polygons=pred['polygons'])), path)


def infer_pixel(args: argparse.Namespace,
                images: List[str]) -> Tuple[int, list, str]:
    """Write the output image and the panel of every image.

    Batch by batch (``--batch-size``); an image that cannot be read or
    decoded is reported on stderr with its path and skipped. Images are
    decoded as for the other tasks (EXIF orientation applied).

    Args:
        args (argparse.Namespace): The parsed command line.
        images (list[str]): Image files.

    Returns:
        tuple[int, list, str]: Images written, ``(path, reason)`` of every
        skipped image, and a note for the summary line (the random-weights
        warning, or '').
    """
    pixel, det = build_pixel_inferencers(args)
    names = output_names(images)
    written, skipped = 0, []
    for start in range(0, len(images), args.batch_size):
        batch, batch_names, batch_paths = [], [], []
        for path, name in zip(images[start:start + args.batch_size],
                              names[start:start + args.batch_size]):
            try:
                batch.append(load_image(path))
                batch_names.append(name)
                batch_paths.append(path)
            except (OSError, ValueError) as exc:
                reason = str(exc) or type(exc).__name__
                print(f'skipped {path}: {reason}', file=sys.stderr)
                skipped.append((path, reason))
        if not batch:
            continue
        kwargs = dict(
            batch_size=len(batch),
            names=batch_names,
            out_dir=args.out_dir,
            save_vis=not args.no_vis,
            show=args.show)
        if det is None:
            out = pixel(batch, **kwargs)
        else:
            out = pixel.erase_in_detections(
                batch,
                det,
                det_score_thr=args.pred_score_thr,
                dilate=args.dilate,
                **kwargs)
        for pred, path in zip(out['predictions'], batch_paths):
            pred['img_path'] = path
            if det is not None:  # the polygons the removal was kept in
                _dump_polygons(pred, args.out_dir)
        if args.print_result:
            for pred in out['predictions']:
                print({
                    k: v
                    for k, v in pred.items() if k not in ('output', 'vis')
                })
        written += len(batch)
    note = (' -- WARNING: random weights (no --pixel-weights), the outputs '
            'are meaningless' if pixel.random_weights else '')
    return written, skipped, note
