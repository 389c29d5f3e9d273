# Copyright (c) OpenMMLab. All rights reserved.
"""``tools/infer.py``: images or a folder in, drawn images + JSON out."""
import json
import os
import os.path as osp

from conftest import REPO, TOY_CFG, run

TEST_IMGS = osp.join(REPO, 'data', 'icdar2015_toy', 'textdet_imgs', 'test')


def test_infer_folder_and_files(dist_trained, tmp_path):
    out = tmp_path / 'out'
    run(['python', 'tools/infer.py', TEST_IMGS, '--config', TOY_CFG,
         '--checkpoint', dist_trained['checkpoint'], '--out-dir', str(out)])
    names = sorted(osp.splitext(n)[0] for n in os.listdir(TEST_IMGS))
    assert sorted(osp.splitext(n)[0] for n in os.listdir(out / 'vis')) == names
    for name in names:
        with open(out / 'preds' / f'{name}.json') as f:
            pred = json.load(f)
        assert len(pred['polygons']) == len(pred['scores'])
        assert all(len(p) % 2 == 0 for p in pred['polygons'])
    # A single file works as well.
    one = osp.join(TEST_IMGS, os.listdir(TEST_IMGS)[0])
    run(['python', 'tools/infer.py', one, '--config', TOY_CFG, '--checkpoint',
         dist_trained['checkpoint'], '--out-dir', str(tmp_path / 'one')])
    assert len(os.listdir(tmp_path / 'one' / 'preds')) == 1
