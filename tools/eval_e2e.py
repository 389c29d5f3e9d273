# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Evaluate the composed OCR pipeline end to end, offline (polygon IoU +
transcription).

The rules are those of :class:`mmocr_ext.evaluation.metrics.
PolygonSpottingMetric` (same code: :mod:`mmocr_ext.evaluation.functional.
polygon_spotting`): a prediction is a true positive when its polygon has
IoU >= 0.5 with an unmatched care GT of the same text (ignoring case);
``###``/ignored GTs are don't care. Predictions are the per-image JSON files
of ``tools/ocr.py`` (``OUT/preds``, a single file, or ``OUT`` itself);
point-spotter output (``"polygon": null``) is refused -- use
``tools/eval_spotting.py`` for it. Prints ONE JSON object on stdout and
exits 0; malformed input exits 2 with a message naming the file and the
problem. Every GT image is evaluated: one without predictions counts as all
missed and is listed under ``images_without_predictions``. Neither torch
nor mmocr is imported.

Examples::

    python tools/eval_e2e.py --gt data/<dataset>/textspotting_test.json \
        --pred work_dirs/ocr/preds --out work_dirs/ocr/e2e.json
    python tools/eval_e2e.py --gt data/icdar2015/textspotting_test.json \
        --pred work_dirs/ocr/preds --lexicon-type strong \
        --lexicon data/icdar2015/lexicons/strong
"""
import argparse
import json
import sys

from mmocr_ext.evaluation.functional import (point_spotting_io,
                                             polygon_spotting_io)
from mmocr_ext.evaluation.functional.errors import EvalInputError
from mmocr_ext.evaluation.functional.point_spotting import score_thresholds
from mmocr_ext.evaluation.functional.polygon_spotting import DEFAULT_SCORE_THRS
from mmocr_ext.evaluation.functional.spotting_cli import (
    add_lexicon_arguments, lexicons_from_args, write_json_atomic)


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(
        description='Polygon end-to-end spotting P/R/H of the composed '
        'pipeline (IoU >= 0.5 + case-insensitive text).')
    parser.add_argument(
        '--gt', required=True, help='mmocr 1.x textspotting JSON')
    parser.add_argument(
        '--pred',
        required=True,
        help='tools/ocr.py output: the OUT/preds folder of per-image JSON '
        'files (or OUT), or one such file')
    add_lexicon_arguments(parser)
    parser.add_argument(
        '--score-thrs',
        type=float,
        nargs=3,
        default=tuple(DEFAULT_SCORE_THRS.values()),
        metavar=('START', 'STOP', 'STEP'),
        help='threshold sweep START + k * STEP < STOP (default 0.3 0.9 0.1)')
    parser.add_argument(
        '--score-thr',
        type=float,
        default=0.0,
        help='fixed threshold reported as "fixed" (default 0: every '
        'prediction)')
    parser.add_argument('--iou-thr', type=float, default=0.5)
    parser.add_argument(
        '--ignore-thr',
        type=float,
        default=0.5,
        help='a prediction covering >= this share of its area with a '
        "don't-care GT is don't care")
    parser.add_argument('--out', help='write the full result JSON here')
    return parser.parse_args(argv)


def evaluate(args: argparse.Namespace) -> dict:
    """Load the files and evaluate; raises EvalInputError on bad input."""
    lexicons = lexicons_from_args(args)
    gt = point_spotting_io.load_gt_json(args.gt)
    run = polygon_spotting_io.load_ocr_run(args.pred, known_images=gt)
    return polygon_spotting_io.evaluate_ocr_run(
        gt, run, lexicons, score_thresholds(*args.score_thrs), args.score_thr,
        args.iou_thr, args.ignore_thr)


def main(argv=None) -> int:
    """Run the evaluation; returns the exit code."""
    args = parse_args(argv)
    try:
        result = evaluate(args)
    except EvalInputError as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    if args.out:
        write_json_atomic(result, args.out)
    missing = result['images_without_predictions']
    if missing:
        print(
            f'note: {len(missing)} GT image(s) have no predictions and '
            f'count as all missed: {", ".join(missing[:5])}',
            file=sys.stderr)
    if result['random_weights']:
        print(
            'WARNING: the predictions come from a pipeline whose stage(s) '
            f'{", ".join(result["random_weights"])} ran with RANDOM '
            'weights; these numbers measure nothing',
            file=sys.stderr)
    summary = {k: v for k, v in result.items() if k != 'sweep'}
    summary['images_without_predictions'] = len(missing)
    print(json.dumps(summary))
    return 0


if __name__ == '__main__':
    sys.exit(main())
