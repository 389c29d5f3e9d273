# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Migrate I3CL's COCO annotation JSON to mmocr 1.x textdet JSON.

I3CL trains mmdet 2.x's ``CocoDataset`` on COCO files with 63 categories
(``'text'``, ``'0'``..``'9'``, ``'A'``..``'Z'``, ``'a'``..``'z'``) of which
only ``'text'`` is annotated; its ``*_lossweight.json`` files add a float
``lossweight`` to each annotation (spec A3). This writes the mmocr 1.x
layout that ``OCRDataset``/``CheckedOCRDataset`` read, as mmocr's
``data_migrator.py`` does (polygon = the annotation's ``segmentation``,
``bbox`` ``[x, y, w, h]`` -> ``[x1, y1, x2, y2]``, ``bbox_label`` 0,
``iscrowd=1`` -> ``ignore: true``), and keeps ``lossweight`` on each
instance (``LoadInstanceLossWeights`` reads it; instances without it weigh
1.0). Annotations of other categories are dropped and counted; images
without annotations are kept (empty ``instances``) and counted.
``img_path`` is ``--img-prefix`` + the COCO ``file_name``.

Example::

    python tools/dataset_converters/i3cl_coco_to_mmocr.py \\
        data/art/annotations/art_train_lossweight.json \\
        data/art/textdet_train_lossweight.json --img-prefix imgs/
"""
import argparse
import json
import math
import numbers
import sys
from collections import Counter, defaultdict
from typing import Dict, List, Tuple

METAINFO = dict(
    dataset_type='TextDetDataset',
    task_name='textdet',
    category=[dict(id=0, name='text')])


def _polygon(ann: Dict, where: str) -> List[float]:
    """The annotation's single polygon, flat."""
    segm = ann.get('segmentation')
    if isinstance(segm, list) and segm and isinstance(segm[0], list):
        if len(segm) != 1:
            raise ValueError(f'{where}: {len(segm)} polygons in '
                             '"segmentation"; a text instance has one')
        segm = segm[0]
    if not (isinstance(segm, list) and len(segm) >= 6 and len(segm) % 2 == 0
            and all(isinstance(v, numbers.Real) for v in segm)):
        raise ValueError(f'{where}: "segmentation" must be a polygon '
                         f'[[x1, y1, x2, y2, ...]], got {segm!r}')
    return list(segm)


def convert(coco: Dict, img_prefix: str = '') -> Tuple[Dict, Counter]:
    """Convert a parsed I3CL COCO annotation dict.

    Args:
        coco (dict): With ``images``, ``annotations``, ``categories``.
        img_prefix (str): Prepended to each ``file_name``. Defaults to ''.

    Returns:
        tuple[dict, Counter]: The mmocr 1.x annotation dict (images in the
        COCO order), and counts: ``images``, ``instances``, ``ignored``,
        ``with_lossweight``, ``empty_images``, ``other_category``.

    Raises:
        ValueError: naming the annotation, for a missing ``'text'``
            category, an unknown image id, a malformed polygon, box or
            ``lossweight``.
    """
    text_ids = {c['id'] for c in coco['categories'] if c['name'] == 'text'}
    if len(text_ids) != 1:
        raise ValueError('expected one category named "text", found '
                         f'{len(text_ids)}')
    text_id = text_ids.pop()
    images = {img['id']: img for img in coco['images']}
    counts = Counter()
    per_image = defaultdict(list)
    for ann in coco['annotations']:
        where = f'annotation id={ann.get("id")} (image_id={ann["image_id"]})'
        if ann['image_id'] not in images:
            raise ValueError(f'{where}: no image with that id')
        if ann['category_id'] != text_id:
            counts['other_category'] += 1
            continue
        x, y, w, h = ann['bbox']
        if not (w >= 0 and h >= 0):
            raise ValueError(f'{where}: bbox [x, y, w, h] with a negative '
                             f'size: {ann["bbox"]!r}')
        inst = dict(
            polygon=_polygon(ann, where),
            bbox=[x, y, x + w, y + h],
            bbox_label=0,
            ignore=ann.get('iscrowd', 0) == 1)
        if 'lossweight' in ann:
            weight = ann['lossweight']
            if (not isinstance(weight, numbers.Real)
                    or isinstance(weight, bool) or not math.isfinite(weight)
                    or weight < 0):
                raise ValueError(f'{where}: lossweight must be a finite '
                                 f'number >= 0, got {weight!r}')
            inst['lossweight'] = weight
            counts['with_lossweight'] += 1
        counts['instances'] += 1
        counts['ignored'] += inst['ignore']
        per_image[ann['image_id']].append(inst)
    data_list = []
    for img in coco['images']:
        instances = per_image.get(img['id'], [])
        counts['empty_images'] += not instances
        data_list.append(
            dict(
                img_path=img_prefix + img['file_name'],
                height=img['height'],
                width=img['width'],
                instances=instances))
    counts['images'] = len(data_list)
    return dict(metainfo=METAINFO, data_list=data_list), counts


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('coco_json', help="I3CL's COCO annotation file")
    parser.add_argument('out_json', help='the mmocr 1.x annotation file')
    parser.add_argument(
        '--img-prefix',
        default='',
        help='prepended to each file_name, relative to the data root of the '
        'dataset config (e.g. "imgs/")')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Convert; returns the exit code (2 on bad input)."""
    args = parse_args(argv)
    try:
        with open(args.coco_json, encoding='utf-8') as f:
            coco = json.load(f)
        out, counts = convert(coco, args.img_prefix)
    except (ValueError, KeyError, TypeError, OSError) as e:
        kind = '' if isinstance(e, ValueError) else f'{type(e).__name__}: '
        print(f'error: {args.coco_json}: {kind}{e}', file=sys.stderr)
        return 2
    from mmocr_ext.compat.atomic_save import atomic_write
    atomic_write(json.dumps(out, ensure_ascii=False), args.out_json)
    print(
        f'{args.coco_json} -> {args.out_json}: {counts["images"]} images '
        f'({counts["empty_images"]} without annotations, kept), '
        f'{counts["instances"]} text instances ({counts["ignored"]} '
        f'ignored, {counts["with_lossweight"]} with lossweight); '
        f'{counts["other_category"]} annotations of other categories '
        'dropped',
        file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
