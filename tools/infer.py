# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Run a text detector on images or folders; save drawn images and JSON.

    python tools/infer.py IMG_OR_DIR [IMG_OR_DIR ...] --config CFG \\
        --checkpoint CKPT --out-dir OUT [--device cpu] [--batch-size 4]

Writes ``OUT/vis/<image>`` (predicted polygons drawn on the image) and
``OUT/preds/<image stem>.json`` (``{"polygons": [[x1, y1, ...], ...],
"scores": [...]}``, coordinates in the original image) for every image, via
mmocr's ``TextDetInferencer``. The checkpoint is loaded with
``weights_only=True`` (:mod:`mmocr_ext.compat.checkpoint`).
"""
import argparse
import os
import os.path as osp
from typing import List

from mmocr_ext import register_all_modules

IMG_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def parse_args() -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('inputs', nargs='+', help='image files or folders')
    parser.add_argument('--config', required=True, help='model config file')
    parser.add_argument('--checkpoint', required=True, help='checkpoint file')
    parser.add_argument('--out-dir', required=True, help='output folder')
    parser.add_argument(
        '--device', default=None, help='e.g. cpu, cuda:0 (default: auto)')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument(
        '--score-thr',
        type=float,
        default=0.3,
        help='only draw polygons scoring at least this (JSON keeps all)')
    return parser.parse_args()


def collect_images(inputs: List[str]) -> List[str]:
    """Expand folders into their image files (sorted); check files exist.

    Raises:
        FileNotFoundError: an input does not exist.
        ValueError: no image was found.
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


def main() -> None:
    """Run inference and save visualisations and predictions."""
    register_all_modules()
    args = parse_args()
    images = collect_images(args.inputs)
    for path in (args.config, args.checkpoint):
        if not osp.isfile(path):
            raise SystemExit(f'{path} does not exist')
    from mmocr.apis import TextDetInferencer
    inferencer = TextDetInferencer(
        model=args.config, weights=args.checkpoint, device=args.device)
    inferencer(
        images,
        batch_size=args.batch_size,
        out_dir=args.out_dir,
        save_vis=True,
        save_pred=True,
        pred_score_thr=args.score_thr)
    print(f'{len(images)} images: drawings in {osp.join(args.out_dir, "vis")}'
          f', predictions in {osp.join(args.out_dir, "preds")}')


if __name__ == '__main__':
    main()
