# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert MSRA-TD500 (and optionally HUST-TR400) to mmocr 1.x textdet JSON.

mmocr's dataset preparer has no entry for these sets; the TCM TD500 configs
(``configs/textdet/_base_/datasets/msra_td500.py``) read this layout::

    <out>/textdet_imgs/{train,test}/<image>      # copies (or --link)
    <out>/textdet_{train,test}.json               # mmocr 1.x textdet json

Input: the official release folders, ``MSRA-TD500/{train,test}/`` with
``IMG_xxxx.JPG`` next to ``IMG_xxxx.gt``, and (``--tr400``) HUST-TR400's
folder of ``*.jpg`` + ``*.gt`` (added to the training split with a
``tr400_`` prefix; TCM's official TD500 run trains on TD500 + TR400).

A ``.gt`` line is ``index difficult x y w h theta``: the rectangle
``(x, y, w, h)`` (``x, y`` its top-left corner before rotation) rotated by
``theta`` radians about its centre. Its corners, in the order top-left,
top-right, bottom-right, bottom-left of the unrotated box, are
``centre + R(theta) (±w/2, ±h/2)`` with ``R`` the usual rotation matrix in
image coordinates (y down; the convention of ``cv2.boxPoints`` with the
angle in degrees). ``difficult = 1`` becomes ``ignore: true`` (the TD500
protocol does not count difficult boxes). That TR400 uses the same line
format and angle sign as TD500 is [unverified]: no copy of either set was
available when this was written; a line with another layout stops the
conversion with the file and line number.

Image sizes are read as mmocr's loader will see them (``mmcv.imread``,
which applies EXIF orientation); a file whose stored size differs from the
decoded one is reported, since its boxes may refer to the stored pixels.

Example::

    python tools/dataset_converters/prepare_msra_td500.py \\
        --td500 /data/MSRA-TD500 --tr400 /data/HUST-TR400 \\
        --out data/msra_td500
"""
import argparse
import glob
import json
import math
import os
import os.path as osp
import shutil
import sys
from typing import Dict, List

_IMG_EXTS = ('.jpg', '.jpeg', '.png', '.bmp')


def parse_args(argv=None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--td500', required=True, help='MSRA-TD500 root with train/, test/')
    parser.add_argument(
        '--tr400', help='HUST-TR400 folder (images + .gt), added to train')
    parser.add_argument('--out', required=True, help='output data root')
    parser.add_argument(
        '--link',
        action='store_true',
        help='symlink the images instead of copying them')
    return parser.parse_args(argv)


def rbox_to_polygon(x: float, y: float, w: float, h: float,
                    theta: float) -> List[float]:
    """Corners of a TD500 rotated box as ``[x1, y1, ..., x4, y4]``.

    Args:
        x, y (float): Top-left corner of the box before rotation.
        w, h (float): Width and height.
        theta (float): Rotation about the box centre, radians.

    Returns:
        list[float]: Top-left, top-right, bottom-right, bottom-left corners
        of the unrotated box, rotated.
    """
    cx, cy = x + w / 2, y + h / 2
    cos, sin = math.cos(theta), math.sin(theta)
    poly = []
    for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2,
                                                                       h / 2)):
        poly += [cx + cos * dx - sin * dy, cy + sin * dx + cos * dy]
    return poly


def parse_gt(path: str) -> List[Dict]:
    """Instances of one ``.gt`` file in mmocr 1.x form.

    Raises:
        ValueError: naming the file and line of a malformed line.
    """
    instances = []
    with open(path, encoding='utf-8-sig') as f:
        for lineno, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            where = f'{path}, line {lineno}'
            if len(fields) != 7:
                raise ValueError(f'{where}: expected 7 fields "index '
                                 f'difficult x y w h theta", got '
                                 f'{len(fields)}: {line.strip()!r}')
            try:
                difficult = int(fields[1])
                x, y, w, h, theta = map(float, fields[2:])
            except ValueError:
                raise ValueError(f'{where}: not a number in '
                                 f'{line.strip()!r}') from None
            if difficult not in (0, 1) or w <= 0 or h <= 0:
                raise ValueError(f'{where}: need difficult 0/1 and w, h > 0, '
                                 f'got {line.strip()!r}')
            poly = [round(v, 2) for v in rbox_to_polygon(x, y, w, h, theta)]
            xs, ys = poly[0::2], poly[1::2]
            instances.append(
                dict(
                    polygon=poly,
                    bbox=[min(xs), min(ys), max(xs),
                          max(ys)],
                    bbox_label=0,
                    ignore=bool(difficult)))
    return instances


def convert_folder(src: str, img_out: str, prefix: str, link: bool,
                   rel_dir: str) -> List[Dict]:
    """Convert every image + ``.gt`` pair of ``src`` (sorted by name)."""
    import mmcv
    from mmengine.utils import ProgressBar
    from PIL import Image

    images = sorted(
        p for p in glob.glob(osp.join(src, '*'))
        if osp.splitext(p)[1].lower() in _IMG_EXTS)
    if not images:
        raise FileNotFoundError(f'{src}: no images found')
    data_list = []
    prog = ProgressBar(len(images))
    for img in images:
        gt = osp.splitext(img)[0] + '.gt'
        if not osp.isfile(gt):
            raise FileNotFoundError(f'{img}: ground truth {gt} not found')
        name = prefix + osp.basename(img)
        decoded = mmcv.imread(img)
        if decoded is None:
            raise ValueError(f'{img}: cannot be decoded as an image')
        height, width = decoded.shape[:2]
        with Image.open(img) as pil:
            if pil.size != (width, height):
                print(f'\nwarning: {img}: stored {pil.size[0]}x{pil.size[1]},'
                      f' decoded {width}x{height} (EXIF orientation); check '
                      'that its boxes match the decoded image')
        dst = osp.join(img_out, name)
        if osp.lexists(dst):
            os.remove(dst)
        if link:
            os.symlink(osp.abspath(img), dst)
        else:
            shutil.copy(img, dst)
        data_list.append(
            dict(
                img_path=f'{rel_dir}/{name}',
                height=height,
                width=width,
                instances=parse_gt(gt)))
        prog.update()
    print()
    return data_list


def main(argv=None) -> int:
    """Write both splits; print a summary."""
    args = parse_args(argv)
    sources = {
        'train': [(osp.join(args.td500, 'train'), '')],
        'test': [(osp.join(args.td500, 'test'), '')]
    }
    if args.tr400:
        sources['train'].append((args.tr400, 'tr400_'))
    for split, folders in sources.items():
        rel_dir = f'textdet_imgs/{split}'
        img_out = osp.join(args.out, rel_dir)
        os.makedirs(img_out, exist_ok=True)
        data_list = []
        for src, prefix in folders:
            data_list += convert_folder(src, img_out, prefix, args.link,
                                        rel_dir)
        out = dict(
            metainfo=dict(
                dataset_type='TextDetDataset',
                task_name='textdet',
                category=[dict(id=0, name='text')]),
            data_list=data_list)
        ann = osp.join(args.out, f'textdet_{split}.json')
        with open(ann, 'w') as f:
            json.dump(out, f)
        boxes = [i for d in data_list for i in d['instances']]
        print(f'{split}: {len(data_list)} images, {len(boxes)} boxes '
              f'({sum(i["ignore"] for i in boxes)} difficult) -> {ann}')
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except (ValueError, FileNotFoundError) as err:
        print(f'error: {err}', file=sys.stderr)
        sys.exit(2)
