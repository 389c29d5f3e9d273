# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Build the bundled ICDAR2015 toy set from IC15-format image/GT folders.

Uses mmocr's own dataset-preparer stages (``ICDARTxtTextDetAnnParser`` ->
``TextDetPacker`` -> ``JsonDumper``), so the result has exactly the layout
``tools/dataset_converters/prepare_dataset.py icdar2015`` produces::

    <out>/textdet_imgs/{train,test}/img_N.jpg
    <out>/textdet_{train,test}.json           # mmocr 1.x textdet json
    <out>/annotations/{train,test}/gt_img_N.txt  # the original RRC files

Example (how data/icdar2015_toy was made)::

    python tools/dataset_converters/prepare_icdar2015_toy.py \\
        --train ../shared/data/icdar2015_train10/imgs \\
                ../shared/data/icdar2015_train10/annotations \\
        --test ../shared/data/icdar2015_test3/imgs \\
               ../shared/data/icdar2015_test3/gts \\
        --out data/icdar2015_toy
"""
import argparse
import glob
import os
import os.path as osp
import re
import shutil

from mmocr.datasets.preparers import (ICDARTxtTextDetAnnParser, JsonDumper,
                                      TextDetPacker)


def parse_args() -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--train', nargs=2, metavar=('IMG_DIR', 'GT_DIR'), required=True)
    parser.add_argument(
        '--test', nargs=2, metavar=('IMG_DIR', 'GT_DIR'), required=True)
    parser.add_argument('--out', required=True, help='output data root')
    return parser.parse_args()


def prepare_split(img_dir: str, gt_dir: str, out: str, split: str) -> int:
    """Copy one split and write ``textdet_<split>.json``.

    Returns:
        int: number of images in the split.
    """
    img_out = osp.join(out, 'textdet_imgs', split)
    ann_out = osp.join(out, 'annotations', split)
    os.makedirs(img_out, exist_ok=True)
    os.makedirs(ann_out, exist_ok=True)
    pairs = []
    for img in sorted(glob.glob(osp.join(img_dir, 'img_*.jpg'))):
        stem = re.match(r'img_(\d+)\.jpg', osp.basename(img))
        gt = osp.join(gt_dir, f'gt_img_{stem.group(1)}.txt')
        if not osp.isfile(gt):
            raise FileNotFoundError(f'{img}: ground truth {gt} not found')
        shutil.copy(img, img_out)
        shutil.copy(gt, ann_out)
        pairs.append(
            (osp.join(img_out,
                      osp.basename(img)), osp.join(ann_out, osp.basename(gt))))
    parser = ICDARTxtTextDetAnnParser(split=split, encoding='utf-8-sig')
    packer = TextDetPacker(data_root=out, split=split)
    samples = parser([p[0] for p in pairs], [p[1] for p in pairs])
    JsonDumper(
        task='textdet', split=split, data_root=out).dump(packer(samples))
    return len(pairs)


def main() -> None:
    """Prepare both splits."""
    args = parse_args()
    for split, (img_dir, gt_dir) in (('train', args.train), ('test',
                                                             args.test)):
        n = prepare_split(img_dir, gt_dir, args.out, split)
        print(f'{split}: {n} images -> {args.out}/textdet_{split}.json')


if __name__ == '__main__':
    main()
