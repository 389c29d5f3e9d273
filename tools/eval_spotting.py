# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Evaluate single-point text-spotting results offline (SPTS protocol).

The rules are those of :class:`mmocr_ext.evaluation.metrics.
PointSpottingMetric` (same code: :mod:`mmocr_ext.evaluation.functional.
point_spotting`). Prints ONE JSON object on stdout and exits 0; malformed
input exits 2 with a message naming the file and the problem. Every GT
image is evaluated: one without predictions counts as all missed and is
listed under ``images_without_predictions``. Neither torch nor mmocr is
imported.

Examples::

    python tools/eval_spotting.py --gt data/icdar2015/textspotting_test.json \
        --pred work_dirs/preds.json --lexicon-type strong \
        --lexicon data/icdar2015/lexicons/strong --pairs \
        data/icdar2015/lexicons/strong --out work_dirs/ic15_strong.json
    python tools/eval_spotting.py --gt data/totaltext/textspotting_test.json \
        --pred results.json --lexicon-type full \
        --lexicon weak_voc_new.txt --pairs weak_voc_pair_list.txt
"""
import argparse
import json
import sys

from mmocr_ext.evaluation.functional import point_spotting_io
from mmocr_ext.evaluation.functional.errors import EvalInputError
from mmocr_ext.evaluation.functional.point_spotting import (
    CENTER_MODES, SpottingImage, evaluate_point_spotting, score_thresholds)
from mmocr_ext.evaluation.functional.spotting_cli import (
    add_lexicon_arguments, lexicons_from_args, write_json_atomic)


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(
        description='Point-based end-to-end spotting P/R/H (SPTS protocol).')
    parser.add_argument(
        '--gt', required=True, help='mmocr 1.x textspotting JSON')
    parser.add_argument(
        '--pred',
        required=True,
        help='predictions JSON: per-image {img_path|filename, points, '
        'texts, scores} or official per-instance {filename, polys, rec, '
        'score}')
    add_lexicon_arguments(parser)
    parser.add_argument(
        '--score-thrs',
        type=float,
        nargs=3,
        default=(0.8, 1.0, 0.01),
        metavar=('START', 'STOP', 'STEP'),
        help='threshold sweep START + k * STEP < STOP')
    parser.add_argument(
        '--score-thr',
        type=float,
        default=0.0,
        help='fixed threshold reported as "fixed"')
    parser.add_argument('--point-dist-thr', type=float, default=None)
    parser.add_argument('--center', default='mean', choices=CENTER_MODES)
    parser.add_argument('--count-fp-without-gt', action='store_true')
    parser.add_argument('--out', help='write the full result JSON here')
    return parser.parse_args(argv)


def evaluate(args: argparse.Namespace) -> dict:
    """Load the files and evaluate; raises EvalInputError on bad input."""
    lexicons = lexicons_from_args(args)
    gt = point_spotting_io.load_gt_json(args.gt)
    preds = point_spotting_io.load_predictions(args.pred)
    unknown = sorted(set(preds) - set(gt))
    if unknown:
        raise EvalInputError(
            args.pred, f'{len(unknown)} image(s) not in the ground truth '
            f'{args.gt}: {", ".join(unknown[:5])}')
    missing = [name for name in gt if name not in preds]
    images = []
    for name, (polys, texts, ignored) in gt.items():
        points, ptexts, scores = preds.get(name, ([], [], []))
        try:
            images.append(
                SpottingImage.build(name, points, ptexts, scores, polys, texts,
                                    ignored, args.center))
        except ValueError as e:
            raise EvalInputError(args.pred, str(e)) from None
    res = evaluate_point_spotting(images, score_thresholds(*args.score_thrs),
                                  args.score_thr, lexicons,
                                  args.point_dist_thr,
                                  args.count_fp_without_gt)
    best = res['best']
    return dict(
        precision=best['precision'],
        recall=best['recall'],
        hmean=best['hmean'],
        best_score_thr=best['score_thr'],
        fixed=res['fixed'],
        lexicon_type=args.lexicon_type,
        num_images=res['num_images'],
        num_images_without_pred=res['num_images_without_pred'],
        num_dropped_by_lexicon=res['num_dropped_by_lexicon'],
        images_without_predictions=missing,
        sweep=res['sweep'])


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
    summary = {k: v for k, v in result.items() if k != 'sweep'}
    summary['images_without_predictions'] = len(missing)
    print(json.dumps(summary))
    return 0


if __name__ == '__main__':
    sys.exit(main())
