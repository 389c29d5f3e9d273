# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Run OCR models on images or folders; save drawn images and JSON.

    python tools/infer.py INPUTS [INPUTS ...] --det CONFIG_OR_NAME \\
        [--det-weights CKPT] [--rec CONFIG_OR_NAME [--rec-weights CKPT]] \\
        [--out-dir results/] [--device cpu] [--batch-size 1]
    python tools/infer.py CROPS [CROPS ...] --rec CONFIG \\
        [--rec-weights CKPT] [--pool POOL] [--out-dir results/]
    python tools/infer.py INPUTS [INPUTS ...] --spot CONFIG \\
        [--spot-weights CKPT] [--instruction TEXT] [--out-dir results/]
    python tools/infer.py INPUTS [INPUTS ...] --pixel CONFIG \\
        --task text_removal|text_segmentation|tamper_detection \\
        [--pixel-weights CKPT] [--erase-in-det DET_CONFIG \\
        [--erase-det-weights CKPT] [--dilate PX]] [--out-dir results/]

mmocr 1.x's inferencer command line (mmocr's ``tools/infer.py``), with
several inputs (image files or folders) allowed. Tasks served by mmocr_ext
models: text detection (``--det``: TCM, FastTCM) and text recognition
(``--rec``: E2STR, the in-context recognizer), point-based text spotting
(``--spot``: InstructOCR); any mmocr detector or recognizer works too.
``--kie`` is handed to mmocr's ``MMOCRInferencer`` unchanged.

``--rec`` without ``--det``: the inputs are word crops, recognised by
mmocr's ``TextRecInferencer``. ``--det`` and ``--rec``: end-to-end, mmocr's
``MMOCRInferencer`` (recognition of the detected regions). ``--spot``:
:class:`mmocr_ext.apis.PointSpotInferencer` (mmocr's ``TextSpotInferencer``
giving points and drawing them).

``--pixel`` (UPOCR): pixel-level OCR, no ground truth needed,
:class:`mmocr_ext.apis.PixelOCRInferencer`; ``--task`` chooses the task
(the same weights do the three). For every image:
``OUT/preds/<name>_<task>.png``, the output at the original size (text
removal: the RGB photo; segmentation: a 0/255 mask; tamper detection: a
palette PNG whose values are the classes 0 background, 1 real, 2
tampered, drawn black, green, blue) and ``OUT/vis/<name>_<task>.png``, the
panel input | output (full size, ``--max-vis-size`` not applied). Without
``--pixel-weights`` the model is random: the run says so loudly (stderr,
the summary line and ``OUT/WARNING_RANDOM_WEIGHTS.txt``).
``--erase-in-det DET_CONFIG`` (``--task text_removal``; its weights:
``--erase-det-weights`` or ``--det-weights``): a text detector (mmocr's
``TextDetInferencer``, any detector config of this suite) runs first and
the removal output is kept only inside its polygons scoring at least
``--pred-score-thr``, grown by ``--dilate`` pixels; elsewhere the original
pixels stay byte for byte (the polygons used:
``OUT/preds/<name>_text_removal.json``, ``{"polygons": [[x1, y1, ...]]}``).

``--instruction TEXT`` (InstructOCR only): what to spot, any string (a
template such as ``"text of number"``, or a question), instead of the
config's (``all text``); a model that takes no instruction stops the run
with a one-line message and exit status 2.

``--pool POOL`` (E2STR only): the in-context pool of the recogniser, a
labelled annotation file of target-domain crops (mmocr textrecog json, or
the official ``[{"img_path", "gt_text"}]`` list; its features are computed
once and cached next to it) or a pool file of ``tools/build_icl_pool.py``.
It replaces the config's ``model.icl_test_cfg.pool``. A recogniser without
in-context pool, or a pool that cannot be used, stops the run with a
one-line message and exit status 2.

Outputs, for every image (``<name>`` = the image name without extension):

- ``OUT/vis/<name>.jpg``: the predictions drawn on the image (polygons
  scoring at least ``--pred-score-thr``), downscaled so that its long side
  is at most ``--max-vis-size`` pixels (default 2048; 0: full size);
  ``--no-vis``: no drawings;
- ``OUT/preds/<name>.json``: detection only (mmocr's
  ``TextDetInferencer``): ``{"polygons": [[x1, y1, ...], ...],
  "scores": [...]}`` in original-image coordinates, every polygon kept;
  recognition only: ``{"text": "...", "scores": s}`` (mmocr's
  ``TextRecInferencer``, ``s`` the mean character score); with ``--det``
  and ``--rec``: mmocr's end-to-end keys ``det_polygons``, ``det_scores``,
  ``rec_texts``, ``rec_scores``; spotting: ``{"points": [[x, y], ...],
  "texts": [...], "scores": [...], "instruction": "..."}`` (drawings: a
  dot and its text per point, beside a white canvas with the same).

Output names are unique: when two inputs share a name without extension
(``a.jpg`` and ``a.png``), both keep their extension (``a.jpg.json``,
``a.png.json``, drawings ``a.jpg.jpg``, ``a.png.jpg``); the same file name
in two folders gets ``-2``, ``-3``... in input order.

Images are decoded once, with their EXIF orientation applied (as a photo
viewer shows them; ``mmcv.imfrombytes(flag='color')``); the model, the
drawing and the JSON coordinates all see that same oriented image.
(mmocr's own inferencer predicts on the file as stored when the config says
``color_ignore_orientation`` but draws it oriented.)

An image that cannot be read or decoded (empty, truncated, not an image)
is reported on stderr with its path and skipped; the run goes on and ends
with ``N images: W written, S skipped: ...``. Exit status: 0 when at least
one image was written, 1 when every image failed, 2 for no input image, a
missing input, an unusable ``--pool`` or ``--instruction``, or a
``--spot`` model that is not a text spotter (a one-line message).

Local checkpoints are read with ``torch.load(weights_only=True)`` and an
explicit allow-list (:mod:`mmocr_ext.compat.checkpoint`); a checkpoint that
pickles anything else is refused. A checkpoint that does not fit the model
(missing or unexpected keys, shape mismatches, e.g. another architecture's)
stops the run with a summary of the keys and exit status 1, unless
``--allow-partial`` (:mod:`mmocr_ext.compat.strict_load`). A model *name*
instead of a config
(e.g. ``--det DBNet``) is resolved through mmocr's model zoo, which
downloads its weights.
"""
import argparse
import os
import os.path as osp
import sys
from typing import List, Optional, Tuple

from mmocr_ext import register_all_modules
# Helpers live in mmocr_ext.apis.infer_utils and infer_drawing; the names
# stay importable from this script (tests, users of earlier versions).
from mmocr_ext.apis.infer_drawing import draw_prediction as _draw
from mmocr_ext.apis.infer_drawing import scaled_sample as _scaled  # noqa
from mmocr_ext.apis.infer_pixel import (add_pixel_arguments, check_pixel_args,
                                        infer_pixel)
from mmocr_ext.apis.infer_utils import IMG_EXTS  # noqa: F401
from mmocr_ext.apis.infer_utils import (build_inferencer, check_model_files,
                                        collect_images, load_image,
                                        output_names)

#: Constructor arguments of mmocr's ``MMOCRInferencer``.
INIT_KEYS = ('det', 'det_weights', 'rec', 'rec_weights', 'kie', 'kie_weights',
             'device')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments (mmocr's inferencer CLI)."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog='mmocr_ext tasks: text detection (--det: TCM, FastTCM) and '
        'text recognition (--rec: E2STR, with its in-context --pool), '
        'text spotting (--spot: InstructOCR, with its --instruction). '
        '--rec and --kie use mmocr models too. --rec without --det: the '
        'inputs are word crops (mmocr\'s TextRecInferencer); otherwise '
        'mmocr\'s MMOCRInferencer.')
    parser.add_argument(
        'inputs', nargs='+', help='image files and/or folders of images')
    parser.add_argument(
        '--out-dir',
        default='results/',
        metavar='OUT',
        help='output folder: OUT/vis/ drawings, OUT/preds/ JSON '
        '(default: %(default)s)')
    parser.add_argument(
        '--det',
        metavar='CONFIG_OR_NAME',
        help='text detection: a config file (e.g. an mmocr_ext TCM config) '
        'or an mmocr model-zoo name')
    parser.add_argument(
        '--det-weights',
        metavar='CKPT',
        help='checkpoint of --det (a model-zoo name brings its own)')
    parser.add_argument(
        '--allow-partial',
        action='store_true',
        help='load checkpoints that do not fit the model (missing/unexpected '
        'keys, shape mismatches) with a warning instead of stopping')
    parser.add_argument(
        '--rec',
        metavar='CONFIG_OR_NAME',
        help='text recognition: a config file (e.g. an mmocr_ext E2STR '
        'config) or an mmocr model-zoo name; without --det the inputs are '
        'word crops')
    parser.add_argument(
        '--rec-weights', metavar='CKPT', help='checkpoint of --rec')
    parser.add_argument(
        '--pool',
        metavar='POOL',
        help='in-context pool of the --rec model (E2STR): an annotation '
        'json of labelled target-domain crops (features cached next to it) '
        'or a pool file of tools/build_icl_pool.py')
    parser.add_argument(
        '--spot',
        metavar='CONFIG',
        help='end-to-end text spotting (e.g. an mmocr_ext InstructOCR '
        'config): points and their texts')
    parser.add_argument(
        '--spot-weights', metavar='CKPT', help='checkpoint of --spot')
    parser.add_argument(
        '--instruction',
        metavar='TEXT',
        help='what the --spot model (InstructOCR) spots, e.g. "text of '
        'number" or a question (default: the config\'s, "all text")')
    add_pixel_arguments(parser)
    parser.add_argument(
        '--kie',
        metavar='CONFIG_OR_NAME',
        help='key information extraction, passed to mmocr (needs --det and '
        '--rec): config file or mmocr model-zoo name')
    parser.add_argument(
        '--kie-weights', metavar='CKPT', help='checkpoint of --kie')
    parser.add_argument(
        '--device', help='e.g. cpu, cuda:0 (default: cuda if available)')
    parser.add_argument(
        '--batch-size', type=int, default=1, help='inference batch size')
    parser.add_argument(
        '--pred-score-thr',
        '--score-thr',
        type=float,
        default=0.3,
        help='draw polygons scoring at least this; the JSON keeps all '
        '(default: %(default)s)')
    parser.add_argument(
        '--max-vis-size',
        type=int,
        default=2048,
        metavar='PX',
        help='drawings downscaled to at most PX pixels on the long side; '
        'the JSON stays in original-image coordinates; 0: full size '
        '(default: %(default)s)')
    parser.add_argument(
        '--no-vis', action='store_true', help='write no drawings')
    parser.add_argument(
        '--show', action='store_true', help='also show each drawing')
    parser.add_argument(
        '--print-result', action='store_true', help='print the predictions')
    for name in ('pred', 'vis'):
        parser.add_argument(
            f'--save_{name}',
            f'--save-{name}',
            action='store_true',
            help='accepted as in mmocr; JSON always saved, drawings unless '
            '--no-vis')
    args = parser.parse_args(argv)
    check_pixel_args(parser, args)
    others = [f'--{k}' for k in ('det', 'rec', 'kie') if getattr(args, k)]
    if args.spot is not None and others:
        parser.error(f'--spot does not go with {", ".join(others)}')
    if args.spot_weights is not None and args.spot is None:
        parser.error('--spot-weights needs --spot')
    if args.instruction is not None and args.spot is None:
        parser.error('--instruction needs --spot (an InstructOCR config)')
    if args.det is None and args.rec is None and args.spot is None and \
            args.pixel is None:
        parser.error('give a model: --det (or --rec, --spot, --pixel)')
    if args.pool is not None and args.rec is None:
        parser.error('--pool needs --rec')
    if args.kie is not None and (args.det is None or args.rec is None):
        parser.error('--kie needs --det and --rec')
    if args.batch_size < 1:
        parser.error('--batch-size must be at least 1')
    if args.max_vis_size < 0:
        parser.error('--max-vis-size must be 0 (full size) or more')
    return args


def split_args(args: argparse.Namespace) -> Tuple[dict, dict]:
    """Constructor arguments of mmocr's inferencers and those of our loop.

    Returns:
        tuple[dict, dict]: ``MMOCRInferencer`` keyword arguments and the
        arguments of :func:`infer_images` (predictions always saved,
        drawings unless ``--no-vis``).
    """
    init_args = {key: getattr(args, key) for key in INIT_KEYS}
    call_args = dict(
        batch_size=args.batch_size,
        out_dir=args.out_dir,
        save_vis=not args.no_vis,
        save_pred=True,
        show=args.show,
        print_result=args.print_result,
        pred_score_thr=args.pred_score_thr,
        max_vis_size=args.max_vis_size)
    return init_args, call_args


def _predict(inferencer, imgs: list) -> Tuple[List[dict], list]:
    """Predictions (JSON dicts) and what to draw for a batch of images.

    Returns:
        tuple[list[dict], list]: mmocr's JSON dict of every image and, for
        each, ``(visualizer, data_sample, scalable)`` (``scalable``: the
        sample holds image coordinates to rescale with the drawing), or
        ``(kie_inferencer, (kie_input, kie_sample), False)`` for KIE.
    """
    if not hasattr(inferencer, 'mode'):  # TextDet-/TextRecInferencer
        samples = inferencer(
            imgs,
            return_datasamples=True,
            batch_size=len(imgs),
            progress_bar=False)['predictions']
        # Detection samples hold image coordinates; recognition ones text.
        return ([inferencer.pred2dict(s) for s in samples], [
            (inferencer.visualizer, s, 'pred_instances' in s) for s in samples
        ])
    preds = inferencer.forward(imgs, batch_size=len(imgs))
    results = inferencer.postprocess(preds)['predictions']
    if 'kie' in inferencer.mode:
        draws = [(inferencer.kie_inferencer, (kie_input, s), False)
                 for kie_input, s in zip(inferencer.kie_inputs, preds['kie'])]
    elif 'det' in inferencer.mode:
        draws = [(inferencer.visualizer, s, True)
                 for s in inferencer._pack_e2e_datasamples(preds)]
    else:
        draws = [(inferencer.textrec_inferencer.visualizer, s[0], False)
                 for s in preds['rec']]
    return results, draws


def infer_images(inferencer, images: List[str],
                 call_args: dict) -> Tuple[int, List[Tuple[str, str]]]:
    """Predict, save JSON and drawings batch by batch; skip bad files.

    An image that cannot be read or decoded is reported on stderr with its
    path and skipped. Only one batch of decoded images is held at a time.

    Returns:
        tuple[int, list[tuple[str, str]]]: Images written, and the
        ``(path, reason)`` of every skipped image.
    """
    import mmengine
    names = output_names(images)
    pred_dir = osp.join(call_args['out_dir'], 'preds')
    vis_dir = osp.join(call_args['out_dir'], 'vis')
    os.makedirs(pred_dir, exist_ok=True)
    if call_args['save_vis']:
        os.makedirs(vis_dir, exist_ok=True)
    written, skipped = 0, []
    size = call_args['batch_size']
    for start in range(0, len(images), size):
        batch = []
        for path, name in zip(images[start:start + size],
                              names[start:start + size]):
            try:
                batch.append((name, load_image(path)))
            except (OSError, ValueError) as exc:
                reason = str(exc) or type(exc).__name__
                print(f'skipped {path}: {reason}', file=sys.stderr)
                skipped.append((path, reason))
        if not batch:
            continue
        results, draws = _predict(inferencer, [img for _, img in batch])
        for (name, img), result, draw in zip(batch, results, draws):
            mmengine.dump(
                result, osp.join(pred_dir, f'{name}.json'), ensure_ascii=False)
            if call_args['print_result']:
                print(result)
            if call_args['save_vis'] or call_args['show']:
                out_file = (
                    osp.join(vis_dir, f'{name}.jpg')
                    if call_args['save_vis'] else None)
                _draw(name, img, draw, out_file, call_args)
            written += 1
    return written, skipped


def _fail(message: str) -> None:
    """Exit with status 2 after a one-line ``error: message`` on stderr."""
    print(f'error: {message}', file=sys.stderr)
    raise SystemExit(2)


def _check_spotter(inferencer, args: argparse.Namespace) -> None:
    """Give the spotter its ``--instruction``; refuse non-spotters."""
    from mmocr_ext.apis import set_spotter_instruction
    from mmocr_ext.apis.point_spot_inferencer import check_text_spotter
    if args.instruction is not None:
        try:
            set_spotter_instruction(inferencer, args.instruction)
        except (TypeError, ValueError) as e:
            _fail(f'--instruction with --spot {args.spot}: {e}')
    try:
        check_text_spotter(inferencer)
    except (TypeError, FileNotFoundError) as e:
        _fail(f'--spot {args.spot}: {e}')


def main(argv: Optional[List[str]] = None) -> None:
    """Run inference and save drawings and predictions."""
    args = parse_args(argv)
    try:
        images = collect_images(args.inputs)
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc))
    register_all_modules()
    if args.pixel is not None:
        _summarize(args, images, *infer_pixel(args, images))
        return
    check_model_files(args)
    for path in (args.spot, args.spot_weights):
        if path is not None and '://' not in path and not osp.isfile(path):
            raise SystemExit(f'{path} does not exist')
    if args.pool is not None and not osp.isfile(args.pool):
        _fail(f'--pool {args.pool} does not exist')
    init_args, call_args = split_args(args)
    from mmocr_ext.compat import (CheckpointMismatchError,
                                  strict_inferencer_loading)
    try:
        with strict_inferencer_loading(args.allow_partial):
            if args.spot is not None:
                from mmocr_ext.apis import PointSpotInferencer
                inferencer = PointSpotInferencer(
                    model=args.spot,
                    weights=args.spot_weights,
                    device=args.device)
            else:
                inferencer = build_inferencer(args, init_args)
    except CheckpointMismatchError as e:
        raise SystemExit(f'error: {e}') from None
    if args.spot is not None:
        _check_spotter(inferencer, args)
    if args.pool is not None:
        from mmocr_ext.apis import set_recognizer_pool
        try:
            set_recognizer_pool(inferencer, args.pool)
        except (FileNotFoundError, TypeError, ValueError) as e:
            _fail(f'--pool {args.pool}: {e}')
    written, skipped = infer_images(inferencer, images, call_args)
    _summarize(args, images, written, skipped)


def _summarize(args: argparse.Namespace,
               images: List[str],
               written: int,
               skipped: List[Tuple[str, str]],
               note: str = '') -> None:
    """Print the summary line; exit with status 1 when nothing was written.
    """
    summary = f'{len(images)} images: {written} written'
    if skipped:
        summary += f', {len(skipped)} skipped: ' + ', '.join(
            path for path, _ in skipped)
    where = [osp.join(args.out_dir, 'preds')]
    if not args.no_vis:
        where.insert(0, osp.join(args.out_dir, 'vis'))
    print(f'{summary} (in {" and ".join(where)}){note}')
    if not written:
        raise SystemExit(1)


if __name__ == '__main__':
    main()
