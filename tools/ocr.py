# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Read the text in images: the suite's models composed in one call.

    python tools/ocr.py IMG_OR_DIR [...] --det {tcm,fasttcm,i3cl,...} \\
        --rec {e2str,...} [--pool POOL] [--erase [upocr,...]] \\
        [--instruction "text of number"] [--det-weights CKPT] \\
        [--rec-weights CKPT] [--erase-weights CKPT] --out-dir OUT
    python tools/ocr.py IMG_OR_DIR [...] --spotter instructocr \\
        [--spotter-weights CKPT] [--instruction TEXT] --out-dir OUT
    python tools/ocr.py --list

Detection, upright rectified crops of every polygon, recognition of all
crops of a batch of images together (with E2STR's in-context ``--pool``),
an optional instruction filter (InstructOCR's 10 templates applied to the
recognised texts), optional UPOCR text removal inside the kept polygons
(:class:`mmocr_ext.apis.OCRPipeline`). ``--spotter instructocr`` runs
InstructOCR instead of det+rec (points and texts; free-form instructions
allowed).

Model choices are presets (``--list``: config, expected weight files,
which were found) or config files. A stage without weights runs with
RANDOM weights and says so: on stderr, in ``OUT/WARNING_RANDOM_WEIGHTS.txt``,
in every JSON (``random_weights``) and in a red strip on every drawing.

Outputs per image (``<name>``: file name without extension, made unique):
``OUT/preds/<name>.json`` (polygons, points, texts, scores, counts of what
was dropped and why; format in ``docs/ocr.md``), ``OUT/vis/<name>.jpg``
(polygons | texts | erased image) and, with ``--erase``,
``OUT/erased/<name>.png``. ``--eval-gt ANN`` (mmocr textspotting JSON of
the same images) also scores the run end to end
(``OUT/e2e_metrics.json``; offline: ``tools/eval_e2e.py``).

Exit status: 0 when at least one image was written, 1 when none was, 2
for a bad command line (unknown preset, missing file, free-form
instruction with det+rec, ``--erase`` with a point spotter).
"""
import argparse
import json
import os.path as osp
import sys
from typing import List, Optional

from mmocr_ext.apis.ocr_presets import preset_table, presets_of


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='presets: ' +
        '; '.join(f'{stage}: {", ".join(presets_of(stage))}'
                  for stage in ('det', 'rec', 'spotter', 'erase')))
    parser.add_argument('inputs', nargs='*', help='images and/or folders')
    parser.add_argument(
        '--list', action='store_true', help='list the presets and exit')
    parser.add_argument('--det', help='detector preset or config')
    parser.add_argument('--rec', help='recogniser preset or config')
    parser.add_argument(
        '--spotter', help='spotter preset or config (instead of det+rec)')
    parser.add_argument(
        '--erase',
        nargs='?',
        const='upocr',
        help='erase the kept text with this text-removal preset or config '
        '(default when given alone: upocr)')
    for stage in ('det', 'rec', 'spotter', 'erase'):
        parser.add_argument(
            f'--{stage}-weights',
            metavar='CKPT',
            help=f'checkpoint of --{stage} (default: the preset\'s files)')
    parser.add_argument(
        '--weights-dir',
        default='checkpoints',
        help='folder of the presets\' expected weight files '
        '(default: %(default)s)')
    parser.add_argument(
        '--pool', help='in-context pool of the --rec model (E2STR)')
    parser.add_argument(
        '--instruction',
        help='keep only what it selects: an InstructOCR template (e.g. '
        '"text of number"); free-form text with --spotter only')
    parser.add_argument('--out-dir', default='results/ocr', metavar='OUT')
    parser.add_argument('--device', help='e.g. cpu, cuda:0')
    parser.add_argument(
        '--batch-size', type=int, default=8, help='images per batch')
    parser.add_argument(
        '--rec-batch-size', type=int, default=32, help='crops per batch')
    parser.add_argument(
        '--det-score-thr',
        type=float,
        default=0.3,
        help='detections below are dropped (default: %(default)s)')
    parser.add_argument(
        '--dilate',
        type=int,
        default=2,
        help='grow erased polygons by PX pixels (default: %(default)s)')
    parser.add_argument('--no-vis', action='store_true', help='no drawings')
    parser.add_argument(
        '--allow-partial',
        action='store_true',
        help='load checkpoints that do not fit the model')
    parser.add_argument(
        '--eval-gt',
        metavar='ANN',
        help='mmocr textspotting JSON of these images: score the run '
        '(polygon end-to-end metric; points for --spotter)')
    parser.add_argument(
        '--lexicon', help='with --eval-gt: one word per line (generic)')
    parser.add_argument('--print-result', action='store_true')
    args = parser.parse_args(argv)
    if args.list:
        return args
    if not args.inputs:
        parser.error('give images or folders (or --list)')
    if args.spotter is not None and (args.det or args.rec):
        parser.error('--spotter replaces --det and --rec; give one or the '
                     'other')
    if args.spotter is None and not (args.det and args.rec):
        parser.error('give --det and --rec (or --spotter); presets: '
                     'tools/ocr.py --list')
    if args.pool is not None and args.rec is None:
        parser.error('--pool needs --rec')
    if args.batch_size < 1 or args.rec_batch_size < 1:
        parser.error('batch sizes must be at least 1')
    if args.lexicon is not None and args.eval_gt is None:
        parser.error('--lexicon needs --eval-gt')
    for key in ('det', 'rec', 'spotter', 'erase'):
        if getattr(args, f'{key}_weights') and getattr(args, key) is None:
            parser.error(f'--{key}-weights needs --{key}')
    for path in (args.pool, args.eval_gt, args.lexicon):
        if path is not None and not osp.isfile(path):
            parser.error(f'{path} does not exist')
    return args


def _fail(message: str, status: int = 2) -> None:
    print(f'error: {message}', file=sys.stderr)
    raise SystemExit(status)


def evaluate(results: List[dict], args: argparse.Namespace) -> dict:
    """Score the run against ``--eval-gt`` (online: from memory)."""
    if args.spotter is not None:
        from mmocr_ext.evaluation.functional.ocr_e2e import evaluate_points
        return evaluate_points(results, args.eval_gt, args.lexicon)
    from mmocr_ext.evaluation.functional.ocr_e2e import evaluate_polygons
    return evaluate_polygons(results, args.eval_gt, args.lexicon)


def main(argv: Optional[List[str]] = None) -> None:
    """Run the composed pipeline and write its outputs."""
    args = parse_args(argv)
    if args.list:
        print(preset_table(args.weights_dir))
        return
    from mmocr_ext.apis.infer_utils import collect_images
    try:
        images = collect_images(args.inputs)
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc))
    from mmocr_ext.apis.ocr_pipeline import OCRPipeline
    from mmocr_ext.compat import CheckpointMismatchError
    try:
        pipeline = OCRPipeline(
            det=args.det,
            rec=args.rec,
            spotter=args.spotter,
            erase=args.erase,
            det_weights=args.det_weights,
            rec_weights=args.rec_weights,
            spotter_weights=args.spotter_weights,
            erase_weights=args.erase_weights,
            pool=args.pool,
            device=args.device,
            det_score_thr=args.det_score_thr,
            rec_batch_size=args.rec_batch_size,
            dilate=args.dilate,
            weights_dir=args.weights_dir,
            allow_partial=args.allow_partial)
        pipeline.check_instruction(args.instruction)
    except CheckpointMismatchError as e:
        _fail(str(e), 1)
    except (FileNotFoundError, TypeError, ValueError) as e:
        _fail(str(e))
    results = pipeline(
        images,
        instruction=args.instruction,
        batch_size=args.batch_size,
        out_dir=args.out_dir,
        save_vis=not args.no_vis)
    if args.print_result:
        from mmocr_ext.apis.ocr_drawing import result_json
        for result in results:
            print(json.dumps(result_json(result), ensure_ascii=False))
    texts = sum(len(r['instances']) for r in results)
    summary = (f'{len(images)} images: {len(results)} written, {texts} '
               f'texts (in {osp.join(args.out_dir, "preds")})')
    if pipeline.skipped:
        summary += f', {len(pipeline.skipped)} skipped: ' + ', '.join(
            p for p, _ in pipeline.skipped)
    if args.eval_gt is not None and results:
        from mmocr_ext.compat.atomic_save import atomic_write
        metrics = evaluate(results, args)
        atomic_write(
            json.dumps(metrics, indent=1),
            osp.join(args.out_dir, 'e2e_metrics.json'))
        print(json.dumps(metrics.get('summary', metrics)))
    if pipeline.random_weights:
        summary += ' -- ' + pipeline.random_banner()
    print(summary)
    if not results:
        raise SystemExit(1)


if __name__ == '__main__':
    main()
