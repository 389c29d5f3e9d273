# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert ICDAR2019-MLT detection ground truth to mmocr 1.x textdet JSON.

mmocr ships no MLT19 converter. Input: a folder of ground-truth files (one
per image, ``gt_<image stem>.txt`` or ``<image stem>.txt``; UTF-8, a BOM
allowed) and the image folder. A line is
``x1,y1,x2,y2,x3,y3,x4,y4,script,transcription`` (the transcription may
contain commas); ``###`` marks a do-not-care region, which becomes
``ignore: true``. Image sizes are the stored pixel sizes (the image header,
EXIF orientation not applied), which the quads refer to and which
``CheckedOCRDataset`` checks. ``img_path`` is written relative to the output
folder (the ``data_root`` of the dataset config).

Outputs ``<out-dir>/textdet_train.json`` and, with ``--val-ratio r > 0``, a
seeded random ``r`` of the images in ``<out-dir>/textdet_val.json``.

Example::

    python tools/dataset_converters/mlt19_converter.py \\
        data/mlt19/annotations/train data/mlt19/textdet_imgs/train \\
        --out-dir data/mlt19
"""
import argparse
import json
import os
import os.path as osp
import random
import sys
from typing import Dict, List, Optional, Tuple

_IMG_EXTS = ('.jpg', '.jpeg', '.png', '.gif', '.bmp')
METAINFO = dict(
    dataset_type='TextDetDataset',
    task_name='textdet',
    category=[dict(id=0, name='text')])


def _number(text: str) -> float:
    """A coordinate: an int when it is one (as written), else a float."""
    value = float(text)
    if value != value or value in (float('inf'), float('-inf')):
        raise ValueError(f'not a finite number: {text!r}')
    return int(value) if value.is_integer() else value


def parse_gt_file(path: str) -> List[Dict]:
    """Parse one MLT19 ground-truth file into mmocr 1.x instances.

    Args:
        path (str): The ``.txt`` file.

    Returns:
        list[dict]: ``polygon`` (8 numbers), ``bbox`` ``[x1, y1, x2, y2]``,
        ``bbox_label`` 0, ``ignore`` (transcription ``###``) per line; blank
        lines are skipped.

    Raises:
        ValueError: naming the file and the line for a malformed line.
    """
    instances = []
    with open(path, encoding='utf-8-sig') as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\r\n')
            if not line.strip():
                continue
            parts = line.split(',', 9)
            if len(parts) != 10:
                raise ValueError(
                    f'{path}:{lineno}: expected x1,y1,...,x4,y4,script,'
                    f'transcription (10 fields), got {len(parts)}: {line!r}')
            try:
                poly = [_number(v) for v in parts[:8]]
            except ValueError as e:
                raise ValueError(f'{path}:{lineno}: bad coordinate ({e}): '
                                 f'{line!r}') from None
            xs, ys = poly[0::2], poly[1::2]
            instances.append(
                dict(
                    polygon=poly,
                    bbox=[min(xs), min(ys), max(xs),
                          max(ys)],
                    bbox_label=0,
                    ignore=parts[9] == '###'))
    return instances


def _find_image(img_dir: str, stem: str, names: Dict[str,
                                                     str]) -> Optional[str]:
    """The image file of ``stem`` in ``img_dir`` (any known extension)."""
    for ext in _IMG_EXTS:
        name = names.get((stem + ext).lower())
        if name:
            return osp.join(img_dir, name)
    return None


def image_size(path: str) -> Tuple[int, int]:
    """``(height, width)`` from the image header."""
    from PIL import Image
    with Image.open(path) as img:
        width, height = img.size
    return height, width


def convert(gt_dir: str, img_dir: str, out_dir: str) -> List[Dict]:
    """Convert every ground-truth file of ``gt_dir``.

    Args:
        gt_dir (str): Folder of ``*.txt`` ground-truth files.
        img_dir (str): Folder of the images.
        out_dir (str): The data root; ``img_path`` is relative to it.

    Returns:
        list[dict]: The mmocr 1.x ``data_list``, sorted by ``img_path``.

    Raises:
        ValueError: for a malformed line or a ground-truth file whose image
            is missing.
    """
    names = {n.lower(): n for n in os.listdir(img_dir)}
    gt_files = sorted(n for n in os.listdir(gt_dir) if n.endswith('.txt'))
    if not gt_files:
        raise ValueError(f'{gt_dir}: no .txt ground-truth files')
    data_list = []
    for gt_name in gt_files:
        stem = osp.splitext(gt_name)[0]
        img = _find_image(img_dir, stem, names)
        if img is None and stem.startswith('gt_'):
            img = _find_image(img_dir, stem[3:], names)
        if img is None:
            raise ValueError(f'{osp.join(gt_dir, gt_name)}: no image '
                             f'{stem}.* (or {stem[3:]}.*) in {img_dir}')
        height, width = image_size(img)
        data_list.append(
            dict(
                img_path=osp.relpath(img, out_dir).replace(os.sep, '/'),
                height=height,
                width=width,
                instances=parse_gt_file(osp.join(gt_dir, gt_name))))
    return sorted(data_list, key=lambda d: d['img_path'])


def split(data_list: List[Dict], val_ratio: float,
          seed: int) -> Tuple[List[Dict], List[Dict]]:
    """A seeded random split; both parts keep the input order."""
    if not 0 <= val_ratio < 1:
        raise ValueError(f'--val-ratio must be in [0, 1), got {val_ratio}')
    num_val = int(round(len(data_list) * val_ratio))
    val_idx = set(random.Random(seed).sample(range(len(data_list)), num_val))
    train = [d for i, d in enumerate(data_list) if i not in val_idx]
    val = [d for i, d in enumerate(data_list) if i in val_idx]
    return train, val


def write_json(data_list: List[Dict], path: str) -> None:
    """Write an mmocr 1.x textdet annotation file atomically."""
    from mmocr_ext.compat.atomic_save import atomic_write
    atomic_write(
        json.dumps(
            dict(metainfo=METAINFO, data_list=data_list), ensure_ascii=False),
        path)


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('gt_dir', help='folder of ground-truth .txt files')
    parser.add_argument('img_dir', help='folder of the images')
    parser.add_argument(
        '--out-dir', required=True, help='data root receiving the JSON')
    parser.add_argument(
        '--val-ratio',
        type=float,
        default=0.0,
        help='fraction of the images for textdet_val.json (default 0)')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed of the split (default 0)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Convert; returns the exit code (2 on bad input)."""
    args = parse_args(argv)
    try:
        data_list = convert(args.gt_dir, args.img_dir, args.out_dir)
        train, val = split(data_list, args.val_ratio, args.seed)
    except (ValueError, OSError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    outputs = [('train', train)] + ([('val', val)] if val else [])
    for name, part in outputs:
        path = osp.join(args.out_dir, f'textdet_{name}.json')
        write_json(part, path)
        insts = [i for d in part for i in d['instances']]
        print(
            f'{name}: {len(part)} images, {len(insts)} instances '
            f'({sum(i["ignore"] for i in insts)} ignored "###") -> {path}',
            file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
