# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Evaluate text-detection results offline with the official protocols.

Prints ONE JSON object on stdout and exits 0; malformed input exits 2 with a
message naming the file and line. Only numpy, shapely and (for .mat files)
scipy are imported (:mod:`mmocr_ext.evaluation.functional`), neither torch
nor mmocr.

Examples::

    python tools/eval_hmean.py --format icdar2015 \
        --gt data/icdar2015/gt.zip --pred work_dirs/submit_ic15.zip
    python tools/eval_hmean.py --format totaltext-mat --protocol deteval \
        --gt Groundtruth/ --pred Prediction/
"""
import argparse
import json
import sys

from mmocr_ext.evaluation.functional import (FORMATS, PROTOCOLS,
                                             EvalInputError, evaluate_files)


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(
        description='Offline hmean of text-detection results (RRC IoU or '
        'Total-Text DetEval protocol).')
    parser.add_argument(
        '--format',
        required=True,
        choices=FORMATS,
        help='file format of ground truth and results')
    parser.add_argument(
        '--gt', required=True, help='ground truth: a directory or a .zip')
    parser.add_argument(
        '--pred', required=True, help='results: a directory or a .zip')
    parser.add_argument(
        '--protocol',
        default='iou',
        choices=PROTOCOLS,
        help='iou: RRC one-to-one IoU matching; deteval: Total-Text DetEval')
    parser.add_argument(
        '--iou-thr',
        type=float,
        default=0.5,
        help='a match needs IoU strictly above it (iou protocol)')
    parser.add_argument(
        '--area-precision-thr',
        type=float,
        default=0.5,
        help='a detection covering more than this fraction of its area '
        'with a don\'t-care ground truth is ignored')
    parser.add_argument(
        '--score-thr',
        type=float,
        default=None,
        help='drop detections scored below it (files with a score column); '
        'default: keep all, as the official scripts do')
    parser.add_argument(
        '--per-image', metavar='FILE', help='write per-image results (JSON)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Run the evaluation; returns the exit code."""
    args = parse_args(argv)
    try:
        result = evaluate_files(
            args.gt,
            args.pred,
            fmt=args.format,
            protocol=args.protocol,
            iou_thr=args.iou_thr,
            area_precision_thr=args.area_precision_thr,
            score_thr=args.score_thr,
            per_image=args.per_image is not None)
    except EvalInputError as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    per_image = result.pop('per_image', None)
    if per_image is not None:
        with open(args.per_image, 'w', encoding='utf-8') as f:
            json.dump(per_image, f, indent=1)
    print(json.dumps(result))
    return 0


if __name__ == '__main__':
    sys.exit(main())
