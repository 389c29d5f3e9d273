# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Word crops of the synthetic spotting images, as mmocr textrecog sets.

Every ground-truth word of ``data/instructocr_synth/{train,test}`` is cut
out with a perspective warp of a quadrilateral and saved as a PNG with its
text (case kept) in an mmocr ``textrecog_<split>.json``:

    python tools/misc/make_synth_word_crops.py \\
        [--src data/instructocr_synth] [--out data/instructocr_synth_words] \\
        [--num-val-images 200] [--mode corners|minrect] [--overwrite]

Splits written (``--out``/<split>/imgs/*.png + ``textrecog_<split>.json``):

* ``train``: the words of the training images except the last
  ``--num-val-images`` ones;
* ``val``: the words of those last training images (held out from
  ``train``);
* ``test``: the words of the held-out test images (the recognizers' word
  accuracy on ground-truth crops of the end-to-end test set).

Quadrilaterals (``--mode``):

* ``corners`` (default): a 4-point polygon as given; a longer polygon whose
  first half is the top edge and second half the bottom edge (the
  generator's curved text) by its corners (first, last of the top half,
  first, last of the bottom half), so the reading direction is kept;
* ``minrect``: the polygon's minimum-area rectangle (cv2.minAreaRect), its
  long side horizontal, starting at the corner nearest to the polygon's
  first point.

Crops narrower or lower than 2 pixels, empty texts and ``ignore`` /
``###`` instances are skipped and counted in ``manifest.json``.
"""
import argparse
import json
import os
import os.path as osp
import shutil
import time
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def order_minrect(poly: np.ndarray) -> np.ndarray:
    """The minimum-area rectangle of ``poly`` (N, 2) as (4, 2) corners
    TL, TR, BR, BL with the long side first, starting near ``poly[0]``."""
    box = cv2.boxPoints(cv2.minAreaRect(poly.astype(np.float32)))
    start = int(np.argmin(((box - poly[0])**2).sum(1)))
    box = np.roll(box, -start, axis=0)
    if np.linalg.norm(box[1] - box[0]) < np.linalg.norm(box[3] - box[0]):
        # the long side goes the other way round: reverse the orientation
        box = box[[0, 3, 2, 1]]
    return box.astype(np.float32)


def polygon_quad(polygon: List[float], mode: str = 'corners') -> np.ndarray:
    """A (4, 2) quadrilateral TL, TR, BR, BL of a flat polygon."""
    pts = np.asarray(polygon, dtype=np.float32).reshape(-1, 2)
    if mode == 'minrect' or len(pts) < 4:
        return order_minrect(pts)
    if len(pts) == 4:
        return pts
    if len(pts) % 2 == 0:
        half = len(pts) // 2
        return pts[[0, half - 1, half, len(pts) - 1]]
    return order_minrect(pts)


def crop_quad(img: np.ndarray, quad: np.ndarray) -> Optional[np.ndarray]:
    """Perspective-rectified crop of ``quad`` (4, 2); None if degenerate."""
    w = max(
        np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3]))
    h = max(
        np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1]))
    w, h = int(round(w)), int(round(h))
    if w < 2 or h < 2:
        return None
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]],
                   dtype=np.float32)
    mat = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    return cv2.warpPerspective(
        img,
        mat, (w, h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE)


def write_split(items: List[Dict], img_root: str, out_dir: str, split: str,
                mode: str) -> Dict:
    """Crops every word of ``items`` into ``out_dir``/imgs; returns counts."""
    os.makedirs(osp.join(out_dir, 'imgs'), exist_ok=True)
    data_list, counts = [], dict(
        words=0, degenerate=0, ignored=0, empty=0, images=len(items))
    for item in items:
        img = cv2.imread(osp.join(img_root, item['img_path']))
        stem = osp.splitext(osp.basename(item['img_path']))[0]
        for k, inst in enumerate(item['instances']):
            text = inst.get('text', '')
            if inst.get('ignore', False) or text == '###':
                counts['ignored'] += 1
                continue
            if not text:
                counts['empty'] += 1
                continue
            crop = crop_quad(img, polygon_quad(inst['polygon'], mode))
            if crop is None:
                counts['degenerate'] += 1
                continue
            name = f'{stem}_{k}.png'
            cv2.imwrite(osp.join(out_dir, 'imgs', name), crop)
            data_list.append(
                dict(img_path=f'imgs/{name}', instances=[dict(text=text)]))
            counts['words'] += 1
    with open(osp.join(out_dir, f'textrecog_{split}.json'), 'w') as f:
        json.dump(
            dict(
                metainfo=dict(
                    dataset_type='TextRecogDataset', task_name='textrecog'),
                data_list=data_list), f)
    return counts


def load(src: str, split: str) -> Tuple[str, List[Dict]]:
    root = osp.join(src, split)
    with open(osp.join(root, f'textspotting_{split}.json')) as f:
        return root, json.load(f)['data_list']


def main(argv: Optional[List[str]] = None) -> Dict:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--src', default=osp.join(REPO, 'data', 'instructocr_synth'))
    parser.add_argument(
        '--out', default=osp.join(REPO, 'data', 'instructocr_synth_words'))
    parser.add_argument('--num-val-images', type=int, default=200)
    parser.add_argument(
        '--mode', choices=('corners', 'minrect'), default='corners')
    parser.add_argument('--overwrite', action='store_true')
    args = parser.parse_args(argv)
    if osp.exists(args.out):
        if not args.overwrite:
            raise SystemExit(f'{args.out} exists (use --overwrite)')
        shutil.rmtree(args.out)
    t0 = time.time()
    train_root, train_items = load(args.src, 'train')
    test_root, test_items = load(args.src, 'test')
    cut = len(train_items) - args.num_val_images
    splits = dict(
        train=(train_root, train_items[:cut]),
        val=(train_root, train_items[cut:]),
        test=(test_root, test_items))
    manifest = dict(src=args.src, mode=args.mode, splits={})
    for split, (root, items) in splits.items():
        manifest['splits'][split] = write_split(items, root,
                                                osp.join(args.out, split),
                                                split, args.mode)
        print(split, manifest['splits'][split], flush=True)
    manifest['seconds'] = round(time.time() - t0, 1)
    with open(osp.join(args.out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2)
    return manifest


if __name__ == '__main__':
    main()
