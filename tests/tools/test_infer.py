# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/infer.py``: images or a folder in, drawn images + JSON out."""
import os
import os.path as osp

from conftest import TOY_CFG, TOY_TEST_IMGS, infer_and_check, run


def test_infer_folder_and_files(dist_trained, tmp_path):
    infer_and_check(TOY_CFG, dist_trained['checkpoint'], str(tmp_path / 'out'))
    # A single file works as well.
    one = osp.join(TOY_TEST_IMGS, os.listdir(TOY_TEST_IMGS)[0])
    run(['python', 'tools/infer.py', one, '--config', TOY_CFG, '--checkpoint',
         dist_trained['checkpoint'], '--out-dir', str(tmp_path / 'one')])
    assert len(os.listdir(tmp_path / 'one' / 'preds')) == 1
