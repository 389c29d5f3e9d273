# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Run OCR models on images or folders; save drawn images and JSON.

    python tools/infer.py INPUTS [INPUTS ...] --det CONFIG_OR_NAME \\
        [--det-weights CKPT] [--rec CONFIG_OR_NAME [--rec-weights CKPT]] \\
        [--out-dir results/] [--device cpu] [--batch-size 1]

mmocr 1.x's inferencer command line (mmocr's ``tools/infer.py``), with
several inputs (image files or folders) allowed. Tasks served by mmocr_ext
models: text detection (``--det``: TCM, FastTCM; any mmocr detector works
too). ``--rec`` (and ``--kie``) are handed to mmocr's ``MMOCRInferencer``
unchanged: mmocr_ext has no recognition or KIE model yet.

Outputs, for every image (``<name>`` = the image name without extension):

- ``OUT/vis/<name>.jpg``: the predictions drawn on the image (polygons
  scoring at least ``--pred-score-thr``), downscaled so that its long side
  is at most ``--max-vis-size`` pixels (default 2048; 0: full size);
  ``--no-vis``: no drawings;
- ``OUT/preds/<name>.json``: detection only (mmocr's
  ``TextDetInferencer``): ``{"polygons": [[x1, y1, ...], ...],
  "scores": [...]}`` in original-image coordinates, every polygon kept;
  with ``--rec``: mmocr's end-to-end keys ``det_polygons``, ``det_scores``,
  ``rec_texts``, ``rec_scores``.

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
one image was written, 1 when every image failed, 2 for no input image or a
missing input (a one-line message).

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
from typing import Dict, List, Optional, Tuple

from mmocr_ext import register_all_modules

IMG_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
#: Constructor arguments of mmocr's ``MMOCRInferencer``.
INIT_KEYS = ('det', 'det_weights', 'rec', 'rec_weights', 'kie', 'kie_weights',
             'device')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments (mmocr's inferencer CLI)."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog='mmocr_ext tasks: text detection (--det: TCM, FastTCM). '
        '--rec and --kie use mmocr models through mmocr\'s MMOCRInferencer.')
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
        help='text recognition, passed to mmocr (no mmocr_ext model yet): '
        'config file or mmocr model-zoo name')
    parser.add_argument(
        '--rec-weights', metavar='CKPT', help='checkpoint of --rec')
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
    if args.det is None and args.rec is None:
        parser.error('give a model: --det (or --rec)')
    if args.kie is not None and (args.det is None or args.rec is None):
        parser.error('--kie needs --det and --rec')
    if args.batch_size < 1:
        parser.error('--batch-size must be at least 1')
    if args.max_vis_size < 0:
        parser.error('--max-vis-size must be 0 (full size) or more')
    return args


def collect_images(inputs: List[str]) -> List[str]:
    """Expand folders into their image files (sorted); check files exist.

    Args:
        inputs (list[str]): Image files and folders.

    Returns:
        list[str]: Image files, folders expanded in name order.

    Raises:
        FileNotFoundError: An input does not exist.
        ValueError: No image was found.
    """
    images = []
    for path in inputs:
        if osp.isdir(path):
            images += sorted(
                osp.join(path, name) for name in os.listdir(path)
                if name.lower().endswith(IMG_EXTS))
        elif osp.isfile(path):
            images.append(path)
        else:
            raise FileNotFoundError(f'input {path} does not exist')
    if not images:
        raise ValueError(f'no images ({", ".join(IMG_EXTS)}) in '
                         f'{", ".join(inputs)}')
    return images


def check_model_files(args: argparse.Namespace) -> None:
    """Fail early on a config or checkpoint path that does not exist.

    A value without a path separator or ``.py`` suffix is left to mmocr as
    a model-zoo name; URLs are left to mmengine.

    Raises:
        SystemExit: A given local file does not exist.
    """
    for task in ('det', 'rec', 'kie'):
        model = getattr(args, task)
        weights = getattr(args, f'{task}_weights')
        if weights is not None and model is None:
            raise SystemExit(f'--{task}-weights given without --{task}')
        looks_like_file = model is not None and (model.endswith('.py')
                                                 or os.sep in model)
        for path, is_file in ((model, looks_like_file),
                              (weights, weights is not None
                               and '://' not in weights)):
            if is_file and not osp.isfile(path):
                raise SystemExit(f'{path} does not exist')


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


def output_names(images: List[str]) -> List[str]:
    """Unique output names (without extension) for ``images``.

    The name without extension when no other input shares it; otherwise
    the file name with its extension (``a.jpg``, ``a.png``); the same file
    name twice (two folders) gets ``-2``, ``-3``... in input order. Names are
    compared ignoring case (case-insensitive file systems).

    Args:
        images (list[str]): Image paths.

    Returns:
        list[str]: One name per image, all different.
    """
    stems = [osp.splitext(osp.basename(path))[0] for path in images]
    counts: Dict[str, int] = {}
    for stem in stems:
        counts[stem.lower()] = counts.get(stem.lower(), 0) + 1
    wanted = [
        stem if counts[stem.lower()] == 1 else osp.basename(path)
        for stem, path in zip(stems, images)
    ]
    names: List[Optional[str]] = [None] * len(images)
    taken = set()
    # Names without extension first: they are what mmocr would write.
    for first in (True, False):
        for i, name in enumerate(wanted):
            if (name == stems[i]) != first:
                continue
            unique, n = name, 1
            while unique.lower() in taken:
                n += 1
                unique = f'{name}-{n}'
            taken.add(unique.lower())
            names[i] = unique
    return names


def load_image(path: str):
    """Decode ``path`` as BGR with its EXIF orientation applied.

    Raises:
        OSError: The file cannot be read.
        ValueError: It is empty or cannot be decoded (not an image,
            truncated).
    """
    import mmcv
    with open(path, 'rb') as f:
        data = f.read()
    if not data:
        raise ValueError('empty file')
    # flag='color': the EXIF orientation is applied (cv2.IMREAD_COLOR);
    # OpenCV returns None for undecodable or truncated data.
    img = mmcv.imfrombytes(data, flag='color', backend='cv2')
    if img is None:
        raise ValueError('cannot be decoded as an image (not an image, '
                         'or truncated)')
    return img


def _scaled(sample, scale: float):
    """A copy of ``sample`` with its predicted geometry times ``scale``."""
    if scale == 1:
        return sample
    # clone() is shallow: new containers, the fields replaced, not edited.
    sample = sample.clone()
    pred = sample.pred_instances.clone()
    if 'polygons' in pred:
        pred.polygons = [polygon * scale for polygon in pred.polygons]
    if 'bboxes' in pred:
        pred.bboxes = pred.bboxes * scale
    sample.pred_instances = pred
    return sample


def _predict(inferencer, imgs: list) -> Tuple[List[dict], list]:
    """Predictions (JSON dicts) and what to draw for a batch of images.

    Returns:
        tuple[list[dict], list]: mmocr's JSON dict of every image and, for
        each, ``(visualizer, data_sample, scalable)`` (``scalable``: the
        sample holds image coordinates to rescale with the drawing), or
        ``(kie_inferencer, (kie_input, kie_sample), False)`` for KIE.
    """
    if not hasattr(inferencer, 'mode'):  # TextDetInferencer
        samples = inferencer(
            imgs,
            return_datasamples=True,
            batch_size=len(imgs),
            progress_bar=False)['predictions']
        return ([inferencer.pred2dict(s) for s in samples],
                [(inferencer.visualizer, s, True) for s in samples])
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


def _draw(name: str, img, draw: tuple, out_file: Optional[str],
          call_args: dict) -> None:
    """Draw predictions on ``img`` (BGR), long side ``max_vis_size`` at most.

    The image is downscaled first and the predicted coordinates with it, so
    the drawing costs memory for the bounded size only (KIE drawings are
    made by mmocr at full size, then downscaled).
    """
    import cv2
    import mmcv
    visualizer, sample, scalable = draw
    max_size = call_args['max_vis_size']
    height, width = img.shape[:2]
    scale = 1.0
    if max_size and max(height, width) > max_size:
        scale = max_size / max(height, width)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if not hasattr(visualizer, 'add_datasample'):  # KIE: mmocr draws
        drawn = visualizer.visualize(
            [sample[0]], [sample[1]],
            return_vis=True,
            show=call_args['show'],
            pred_score_thr=call_args['pred_score_thr'])[0]
        if scale != 1:
            drawn = cv2.resize(
                drawn, (max(1, round(drawn.shape[1] * scale)),
                        max(1, round(drawn.shape[0] * scale))),
                interpolation=cv2.INTER_AREA)
        if out_file:
            mmcv.imwrite(drawn[..., ::-1], out_file)
        return
    if scale != 1:
        img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
        if scalable:
            sample = _scaled(sample, scale)
    visualizer.add_datasample(
        name,
        img[..., ::-1].copy(),  # RGB, as mmocr's visualizers expect
        sample,
        draw_gt=False,
        show=call_args['show'],
        pred_score_thr=call_args['pred_score_thr'],
        out_file=out_file)


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


def main(argv: Optional[List[str]] = None) -> None:
    """Run inference and save drawings and predictions."""
    args = parse_args(argv)
    try:
        images = collect_images(args.inputs)
    except (FileNotFoundError, ValueError) as exc:
        print(f'error: {exc}', file=sys.stderr)
        raise SystemExit(2)
    register_all_modules()
    check_model_files(args)
    init_args, call_args = split_args(args)
    from mmocr_ext.compat import (CheckpointMismatchError,
                                  strict_inferencer_loading)
    try:
        with strict_inferencer_loading(args.allow_partial):
            if args.rec is None:
                # Detection alone: mmocr's TextDetInferencer writes the JSON
                # keys "polygons"/"scores" (MMOCRInferencer would prefix them
                # "det_").
                from mmocr.apis import TextDetInferencer
                inferencer = TextDetInferencer(
                    model=args.det,
                    weights=args.det_weights,
                    device=args.device)
            else:
                from mmocr.apis import MMOCRInferencer
                inferencer = MMOCRInferencer(**init_args)
    except CheckpointMismatchError as e:
        raise SystemExit(f'error: {e}') from None
    written, skipped = infer_images(inferencer, images, call_args)
    summary = f'{len(images)} images: {written} written'
    if skipped:
        summary += f', {len(skipped)} skipped: ' + ', '.join(
            path for path, _ in skipped)
    where = [osp.join(args.out_dir, 'preds')]
    if not args.no_vis:
        where.insert(0, osp.join(args.out_dir, 'vis'))
    print(f'{summary} (in {" and ".join(where)})')
    if not written:
        raise SystemExit(1)


if __name__ == '__main__':
    main()
