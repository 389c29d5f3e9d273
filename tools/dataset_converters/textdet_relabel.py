# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Set every instance's ``bbox_label`` of an mmocr 1.x textdet JSON to 0.

mmocr 1.0.1's legacy converters ``lsvt_converter.py``, ``rctw_converter.py``
and ``rects_converter.py`` write mmocr 1.x JSON with ``bbox_label: 1`` (the
COCO ``category_id`` of mmocr 0.x): fine for segmentation-based detectors,
which ignore labels, but a single-class mmdet head (Mask R-CNN / I3CL,
``num_classes=1``) takes label 1 for background. This rewrites the labels to
0 (the ``text`` class of ``metainfo.category``) and reports how many
changed; everything else is kept as is.

Example::

    python tools/dataset_converters/textdet_relabel.py \\
        data/lsvt/instances_training.json data/lsvt/textdet_train.json
"""
import argparse
import json
import sys
from typing import Dict, Tuple

CATEGORY = [dict(id=0, name='text')]


def relabel(ann: Dict) -> Tuple[Dict, int]:
    """Set ``bbox_label`` to 0 in place.

    Args:
        ann (dict): An mmocr 1.x annotation dict (``metainfo``,
            ``data_list``).

    Returns:
        tuple[dict, int]: ``ann`` and the number of labels changed.
    """
    changed = 0
    for info in ann['data_list']:
        for inst in info['instances']:
            changed += inst.get('bbox_label', 0) != 0
            inst['bbox_label'] = 0
    ann.setdefault('metainfo', {})['category'] = CATEGORY
    return ann, changed


def main(argv=None) -> int:
    """Rewrite the labels; returns the exit code (2 on bad input)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('in_json', help='mmocr 1.x textdet annotation file')
    parser.add_argument('out_json', help='where to write (may be in_json)')
    args = parser.parse_args(argv)
    try:
        with open(args.in_json, encoding='utf-8') as f:
            ann, changed = relabel(json.load(f))
    except (ValueError, KeyError, TypeError, OSError) as e:
        print(
            f'error: {args.in_json}: {type(e).__name__}: {e}', file=sys.stderr)
        return 2
    from mmocr_ext.compat.atomic_save import atomic_write
    atomic_write(json.dumps(ann, ensure_ascii=False), args.out_json)
    print(
        f'{args.in_json} -> {args.out_json}: {changed} bbox_label(s) set '
        'to 0',
        file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
