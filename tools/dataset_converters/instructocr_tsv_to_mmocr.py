# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert InstructOCR's TSV annotations to mmocr 1.x textspotting JSON.

The official TSV (spec B7) has one line per image::

    image_path<TAB>inst1&&tab&&inst2&&tab&&...

with each instance ``x1,y1,x2,y2,x3,y3,x4,y4&rec&TEXT`` (a quad, clockwise
from the top-left) or, for Total-Text, 16 values: two cubic Bezier curves
(top: 4 control points left to right; bottom: 4 control points right to
left, ABCNet's layout). A Bezier instance is sampled into a polygon
(``--bezier-points`` points per curve, default 20), which is turned, as the
official code does, into ``cv2.minAreaRect`` -> 4 corners reordered
clockwise from the top-left (smallest ``x + y``). ``--curve-polygon
sampled`` keeps the sampled polygon instead; the 16 control values are kept
in the instance's ``bezier`` key either way.

Output: mmocr 1.x json (``metainfo``: ``dataset_type`` 'TextSpottingDataset',
``task_name`` 'textspotting'), one entry per line in file order with
``img_path`` relative to ``--data-root`` (default: the output json's
folder), ``height``/``width`` read from the image header (skipped with
``--no-read-size``: then ``filter_cfg.min_size`` cannot be used), and
instances ``{polygon, bbox, bbox_label: 0, ignore, text}``. ``###`` texts are
kept with ``ignore: true`` (the official code drops them;
``GenerateInstruction`` does so at training time, metrics need them at test
time). A malformed line is an error naming the file and the line; the output
is written atomically (nothing on error).

Example::

    python tools/dataset_converters/instructocr_tsv_to_mmocr.py \\
        ic15_train.tsv data/icdar2015/textspotting_train.json \\
        --img-dir data/icdar2015/textdet_imgs/train
"""
import argparse
import json
import os
import os.path as osp
import sys
import tempfile
from collections import Counter
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np

METAINFO = dict(
    dataset_type='TextSpottingDataset',
    task_name='textspotting',
    category=[dict(id=0, name='text')])
INSTANCE_SEP = '&&tab&&'
TEXT_SEP = '&rec&'
IGNORED_TEXT = '###'


def bezier_to_polygon(bezier: np.ndarray, num_points: int = 20) -> np.ndarray:
    """Sample the two cubic Bezier curves of a Total-Text instance.

    Args:
        bezier (np.ndarray): (16,) control values: top curve points 0-3
            (left to right), bottom curve points 4-7 (right to left).
        num_points (int): Points sampled per curve, t uniform in [0, 1].

    Returns:
        np.ndarray: (2 * num_points, 2) closed-polygon vertices: the top curve
        then the bottom curve, in the control points' order.
    """
    ctrl = np.asarray(bezier, np.float64).reshape(2, 4, 2)
    t = np.linspace(0.0, 1.0, num_points)[:, None]
    basis = np.concatenate([(1 - t)**3, 3 * (1 - t)**2 * t, 3 *
                            (1 - t) * t**2, t**3],
                           axis=1)  # (num_points, 4)
    return np.concatenate([basis @ ctrl[0], basis @ ctrl[1]], axis=0)


def min_area_quad(points: np.ndarray) -> np.ndarray:
    """``cv2.minAreaRect`` corners, clockwise (image coordinates, y down)
    starting from the corner with the smallest ``x + y`` (then smallest x).

    Args:
        points (np.ndarray): (K, 2) vertices.

    Returns:
        np.ndarray: (4, 2) float64 corners.
    """
    rect = cv2.minAreaRect(np.asarray(points, np.float32))
    corners = cv2.boxPoints(rect).astype(np.float64)
    return order_clockwise(corners)


def order_clockwise(corners: np.ndarray) -> np.ndarray:
    """Order (4, 2) corners clockwise from the top-left (see
    :func:`min_area_quad`)."""
    center = corners.mean(axis=0)
    angle = np.arctan2(corners[:, 1] - center[1], corners[:, 0] - center[0])
    corners = corners[np.argsort(angle, kind='stable')]  # clockwise, y down
    start = min(
        range(4), key=lambda i: (round(corners[i].sum(), 6), corners[i][0]))
    return np.roll(corners, -start, axis=0)


def _instance(raw: str, where: str, curve_polygon: str,
              bezier_points: int) -> Dict:
    """Parse one ``coords&rec&TEXT`` instance."""
    if TEXT_SEP not in raw:
        raise ValueError(f'{where}: no {TEXT_SEP!r} in instance {raw!r}')
    coords, text = raw.split(TEXT_SEP, 1)
    try:
        values = np.array([float(v) for v in coords.split(',')], np.float64)
    except ValueError:
        raise ValueError(f'{where}: coordinates {coords!r} are not numbers')
    if not np.isfinite(values).all():
        raise ValueError(f'{where}: non-finite coordinate in {coords!r}')
    inst = {}
    if len(values) == 8:
        polygon = values.reshape(4, 2)
    elif len(values) == 16:
        sampled = bezier_to_polygon(values, bezier_points)
        polygon = (
            sampled if curve_polygon == 'sampled' else min_area_quad(sampled))
        inst['bezier'] = [round(float(v), 2) for v in values]
    else:
        raise ValueError(f'{where}: {len(values)} coordinates; expected 8 '
                         '(a quad) or 16 (Bezier control points)')
    flat = [round(float(v), 2) for v in polygon.reshape(-1)]
    xs, ys = flat[0::2], flat[1::2]
    inst.update(
        polygon=flat,
        bbox=[min(xs), min(ys), max(xs), max(ys)],
        bbox_label=0,
        ignore=text == IGNORED_TEXT,
        text=text)
    return inst


def image_size(path: str, where: str) -> Tuple[int, int]:
    """``(height, width)`` from the image header."""
    from PIL import Image
    try:
        with Image.open(path) as img:
            width, height = img.size
    except (OSError, ValueError) as e:
        raise ValueError(f'{where}: cannot read image {path} ({e})')
    return height, width


def convert(tsv_path: str,
            data_root: str,
            img_dir: Optional[str] = None,
            read_size: bool = True,
            curve_polygon: str = 'quad',
            bezier_points: int = 20) -> Tuple[Dict, Counter]:
    """Convert an InstructOCR TSV file.

    Args:
        tsv_path (str): The TSV file.
        data_root (str): Output ``img_path`` values are relative to it.
        img_dir (str, optional): Folder that relative TSV image paths are
            relative to. Defaults to ``data_root``.
        read_size (bool): Read ``height``/``width`` from the images.
        curve_polygon (str): ``'quad'`` (official) or ``'sampled'`` for the
            polygon of Bezier instances.
        bezier_points (int): Points sampled per Bezier curve.

    Returns:
        tuple[dict, Counter]: The annotation dict and counts (``images``,
        ``instances``, ``ignored``, ``bezier``, ``empty_images``).

    Raises:
        ValueError: ``'<tsv>:<line>: ...'`` for a malformed line or an
            unreadable image.
    """
    if curve_polygon not in ('quad', 'sampled'):
        raise ValueError(f'curve_polygon must be quad or sampled, got '
                         f'{curve_polygon!r}')
    img_dir = data_root if img_dir is None else img_dir
    counts = Counter()
    data_list: List[Dict] = []
    with open(tsv_path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    for lineno, line in enumerate(lines, 1):
        where = f'{tsv_path}:{lineno}'
        if not line.strip():
            continue
        name, _, rest = line.partition('\t')
        if not name.strip():
            raise ValueError(f'{where}: no image path before the tab')
        path = name if osp.isabs(name) else osp.join(img_dir, name)
        instances = [
            _instance(raw, f'{where} (instance {k + 1})', curve_polygon,
                      bezier_points)
            for k, raw in enumerate(rest.split(INSTANCE_SEP)) if raw.strip()
        ]
        entry = dict(img_path=osp.relpath(path, data_root))
        if read_size:
            entry['height'], entry['width'] = image_size(path, where)
        entry['instances'] = instances
        data_list.append(entry)
        counts['instances'] += len(instances)
        counts['ignored'] += sum(i['ignore'] for i in instances)
        counts['bezier'] += sum('bezier' in i for i in instances)
        counts['empty_images'] += not instances
    counts['images'] = len(data_list)
    return dict(metainfo=METAINFO, data_list=data_list), counts


def write_atomic(text: str, path: str) -> None:
    """Write ``text`` through a temporary sibling file + rename (the tool
    stays light: importing ``mmocr_ext.compat`` imports the whole
    package)."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=osp.basename(path) + '.', dir=folder)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line arguments."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('tsv', help="InstructOCR's TSV annotation file")
    p.add_argument('out_json', help='the mmocr 1.x textspotting json')
    p.add_argument(
        '--data-root',
        help='img_path values are relative to it (default: the folder of '
        'out_json)')
    p.add_argument(
        '--img-dir',
        help='folder of the relative TSV image paths (default: data root)')
    p.add_argument(
        '--no-read-size',
        action='store_true',
        help='do not open the images (no height/width in the json)')
    p.add_argument(
        '--curve-polygon',
        choices=('quad', 'sampled'),
        default='quad',
        help='polygon of Bezier instances: min-area quad (official) or '
        'the sampled curve polygon')
    p.add_argument(
        '--bezier-points',
        type=int,
        default=20,
        help='points sampled per Bezier curve')
    return p.parse_args(argv)


def main(argv=None) -> int:
    """Convert; returns the exit code (2 on bad input)."""
    args = parse_args(argv)
    data_root = args.data_root or osp.dirname(osp.abspath(args.out_json))
    try:
        out, counts = convert(args.tsv, data_root, args.img_dir,
                              not args.no_read_size, args.curve_polygon,
                              args.bezier_points)
    except (ValueError, OSError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    write_atomic(json.dumps(out, ensure_ascii=False), args.out_json)
    print(
        f'{args.tsv} -> {args.out_json}: {counts["images"]} images '
        f'({counts["empty_images"]} without instances), '
        f'{counts["instances"]} instances ({counts["ignored"]} ignored ###, '
        f'{counts["bezier"]} from Bezier curves)',
        file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
