# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/misc/upocr_learning_check.py``: the "do nothing" baseline of
text removal and the training-curve reader."""
import importlib.util
import json
import math
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from conftest import REPO

SCRIPT = osp.join(REPO, 'tools', 'misc', 'upocr_learning_check.py')


def _script():
    spec = importlib.util.spec_from_file_location('upocr_lc', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_input_baseline_is_the_input_images_psnr(tmp_path):
    entries = []
    for i, offset in enumerate((0, 4, 8)):
        clean = np.full((16, 24, 3), 100, np.uint8)
        image = clean.copy()
        image[:8] += offset  # half the image off by `offset` levels
        for key, arr in (('image', image), ('clean', clean)):
            Image.fromarray(arr).save(tmp_path / f'{key}{i}.png')
        entries.append(dict(image=f'image{i}.png', clean=f'clean{i}.png'))
    (tmp_path / 'pixel_test.json').write_text(
        json.dumps(dict(data_list=entries)))
    baseline = _script().input_baseline(str(tmp_path))
    # The identical pair (MSE 0) is skipped, as the official script does.
    psnrs = [10 * math.log10(1 / ((o / 255)**2 / 2)) for o in (4, 8)]
    assert baseline['PSNR'] == pytest.approx(np.mean(psnrs), rel=1e-5)
    assert baseline['MSE'] == pytest.approx(
        np.mean([(o / 255)**2 / 2 for o in (4, 8)]), rel=1e-5)


def test_read_curve_keeps_the_loss_terms(tmp_path):
    run = tmp_path / '20260101_000000' / 'vis_data'
    run.mkdir(parents=True)
    records = [
        dict(
            step=1, lr=1e-3, loss=3.0, textseg_l1_loss=1.0,
            textseg_pos_l1=7.0),
        dict(step=1, **{'textseg/fgIoU': 0.2}),
        dict(step=2, lr=1e-3, loss=2.0, textseg_l1_loss=0.5),
    ]
    (run / 'scalars.json').write_text('\n'.join(map(json.dumps, records)))
    curve = _script().read_curve(str(tmp_path))
    assert curve == [
        dict(step=1, lr=1e-3, loss=3.0, textseg_l1_loss=1.0),
        dict(step=2, lr=1e-3, loss=2.0, textseg_l1_loss=0.5)
    ]
