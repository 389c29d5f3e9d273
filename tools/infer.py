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

Outputs, for every image (``<stem>`` = the image name without extension):

- ``OUT/vis/<stem>.jpg``: the predictions drawn on the image (polygons
  scoring at least ``--pred-score-thr``);
- ``OUT/preds/<stem>.json``: detection only (mmocr's
  ``TextDetInferencer``): ``{"polygons": [[x1, y1, ...], ...],
  "scores": [...]}`` in original-image coordinates, every polygon kept;
  with ``--rec``: mmocr's end-to-end keys ``det_polygons``, ``det_scores``,
  ``rec_texts``, ``rec_scores``.

Local checkpoints are read with ``torch.load(weights_only=True)`` and an
explicit allow-list (:mod:`mmocr_ext.compat.checkpoint`); a checkpoint that
pickles anything else is refused. A model *name* instead of a config
(e.g. ``--det DBNet``) is resolved through mmocr's model zoo, which
downloads its weights.
"""
import argparse
import os
import os.path as osp
from typing import List, Optional, Tuple

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
        '--show', action='store_true', help='also show each drawing')
    parser.add_argument(
        '--print-result', action='store_true', help='print the predictions')
    for name in ('pred', 'vis'):
        parser.add_argument(
            f'--save_{name}',
            f'--save-{name}',
            action='store_true',
            help='accepted as in mmocr; drawings and JSON are always saved')
    args = parser.parse_args(argv)
    if args.det is None and args.rec is None:
        parser.error('give a model: --det (or --rec)')
    if args.kie is not None and (args.det is None or args.rec is None):
        parser.error('--kie needs --det and --rec')
    if args.batch_size < 1:
        parser.error('--batch-size must be at least 1')
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
        raise ValueError(f'no images ({", ".join(IMG_EXTS)}) in {inputs}')
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
    """Constructor and call arguments of mmocr's inferencers.

    Returns:
        tuple[dict, dict]: ``MMOCRInferencer`` keyword arguments and those of
        its ``__call__`` (both outputs always saved).
    """
    init_args = {key: getattr(args, key) for key in INIT_KEYS}
    call_args = dict(
        batch_size=args.batch_size,
        out_dir=args.out_dir,
        save_vis=True,
        save_pred=True,
        show=args.show,
        print_result=args.print_result,
        pred_score_thr=args.pred_score_thr)
    return init_args, call_args


def main(argv: Optional[List[str]] = None) -> None:
    """Run inference and save drawings and predictions."""
    args = parse_args(argv)
    register_all_modules()
    images = collect_images(args.inputs)
    check_model_files(args)
    init_args, call_args = split_args(args)
    if args.rec is None:
        # Detection alone: mmocr's TextDetInferencer writes the JSON keys
        # "polygons"/"scores" (MMOCRInferencer would prefix them "det_").
        from mmocr.apis import TextDetInferencer
        inferencer = TextDetInferencer(
            model=args.det, weights=args.det_weights, device=args.device)
    else:
        from mmocr.apis import MMOCRInferencer
        inferencer = MMOCRInferencer(**init_args)
    inferencer(images, **call_args)
    print(f'{len(images)} images: drawings in {osp.join(args.out_dir, "vis")}'
          f', predictions in {osp.join(args.out_dir, "preds")}')


if __name__ == '__main__':
    main()
