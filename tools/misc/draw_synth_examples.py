# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Draw what one synthetic render knows (the pictures of docs/synth.md).

    python tools/misc/draw_synth_examples.py --out docs/figures/synth
"""
import argparse
import os
import os.path as osp

import cv2
import numpy as np

from mmocr_ext.datasets.synth import build_renderer


def draw_ground_truth(sample) -> np.ndarray:
    """Composite with word polygons (red) and character boxes (green)."""
    vis = sample.image.copy()
    for word in sample.words:
        cv2.polylines(vis, [np.round(word.polygon).astype(np.int32)], True,
                      (0, 0, 255), 2)
        for quad in word.char_boxes:
            cv2.polylines(vis, [np.round(quad).astype(np.int32)], True,
                          (0, 220, 0), 1)
    return vis


def panel(sample, size: int) -> np.ndarray:
    """image+GT | text mask | clean background | tampered | tamper mask."""
    gray = lambda m: cv2.cvtColor(m * 255, cv2.COLOR_GRAY2BGR)  # noqa: E731
    tiles = [
        draw_ground_truth(sample),
        gray(sample.text_mask), sample.background, sample.tampered_image,
        gray(sample.tamper_mask)
    ]
    tiles = [
        cv2.resize(t, (size, size), interpolation=cv2.INTER_AREA)
        for t in tiles
    ]
    sep = np.full((size, 4, 3), 255, np.uint8)
    row = []
    for t in tiles:
        row += [t, sep]
    return np.concatenate(row[:-1], axis=1)


def crops_strip(samples, height: int, width: int) -> np.ndarray:
    """Rectified word crops, with their transcriptions, in rows."""
    rows, row, used = [], [], 0
    for sample in samples:
        for word in sample.words:
            crop = word.crop
            w = max(1, int(crop.shape[1] * height / crop.shape[0]))
            crop = cv2.resize(crop, (w, height))
            if used + w > width:
                rows.append(row)
                row, used = [], 0
            row.append(crop)
            used += w + 4
    rows.append(row)
    out = []
    for r in rows[:4]:
        line = np.full((height, width, 3), 255, np.uint8)
        x = 0
        for crop in r:
            line[:, x:x + crop.shape[1]] = crop
            x += crop.shape[1] + 4
        out += [line, np.full((4, width, 3), 255, np.uint8)]
    return np.concatenate(out[:-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default='docs/figures/synth')
    parser.add_argument('--seed', type=int, default=7)
    parser.add_argument('--num', type=int, default=3)
    parser.add_argument('--size', type=int, default=256)
    args = parser.parse_args()
    renderer = build_renderer(
        height=512,
        width=512,
        num_words=(6, 10),
        curve_prob=0.4,
        tamper_words=1)
    samples = [renderer.render(args.seed, i) for i in range(args.num)]
    os.makedirs(args.out, exist_ok=True)
    grid = np.concatenate([panel(s, args.size) for s in samples])
    cv2.imwrite(
        osp.join(args.out, 'synth_sample.jpg'), grid,
        [cv2.IMWRITE_JPEG_QUALITY, 85])
    strip = crops_strip(samples, 32, grid.shape[1])
    cv2.imwrite(
        osp.join(args.out, 'synth_crops.jpg'), strip,
        [cv2.IMWRITE_JPEG_QUALITY, 85])
    print(f'wrote {args.out}/synth_sample.jpg and synth_crops.jpg')


if __name__ == '__main__':
    main()
