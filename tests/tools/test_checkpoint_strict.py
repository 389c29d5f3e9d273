# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""A checkpoint that does not fit the model is refused (issue 9 item 3).

``tools/test.py CKPT``, ``load_from`` (``tools/train.py``, any Runner) and
``tools/infer.py --det-weights`` stop with a summary naming the file;
``--allow-partial`` / ``allow_partial_checkpoint=True`` load what fits.
"""
import os.path as osp
import sys

import pytest
import torch
from mmengine.config import Config

from mmocr_ext.compat import CheckpointMismatchError
from conftest import REPO, TOY_CFG, run, tool_env

TCM_TOY_CFG = osp.join(REPO, 'configs', 'textdet', 'tcm',
                       'tcm_clip-r50-slim_fpnc_toy.py')
# one test image: the runs that get past loading stay short
ONE_IMAGE = 'test_dataloader.dataset.indices=1'


def _save_weights(config: str, path: str) -> str:
    """Save a randomly initialised model of ``config`` as a checkpoint."""
    from mmocr.registry import MODELS
    model = MODELS.build(Config.fromfile(config).model)
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return path


@pytest.fixture(scope='module')
def ckpts(tmp_path_factory):
    """A DBNet toy checkpoint (fits TOY_CFG) and a TCM one (does not)."""
    folder = tmp_path_factory.mktemp('ckpts')
    return dict(
        dbnet=_save_weights(TOY_CFG, str(folder / 'dbnet.pth')),
        tcm=_save_weights(TCM_TOY_CFG, str(folder / 'tcm.pth')))


def _assert_summary(text: str, ckpt: str) -> None:
    assert f'checkpoint {ckpt} does not fit the model' in text, text[-3000:]
    assert 'missing, ' in text and 'shape-mismatched keys' in text
    assert 'backbone.conv1.weight [8, 3, 3, 3] vs [64, 3, 7, 7]' in text
    # a short summary, not mmengine's line per key
    assert 'size mismatch for' not in text
    assert text.count('backbone.') < 20


def test_test_py_refuses_other_architecture(ckpts, tmp_path):
    proc = run([
        'python', 'tools/test.py', TOY_CFG, ckpts['tcm'], '--work-dir',
        str(tmp_path)
    ],
               check=False)
    assert proc.returncode == 1, proc.stdout[-3000:]
    _assert_summary(proc.stdout, ckpts['tcm'])
    assert '--allow-partial' in proc.stdout
    assert 'Epoch(test)' not in proc.stdout
    assert 'Traceback' not in proc.stdout


def test_test_py_allow_partial_runs(ckpts, tmp_path):
    proc = run([
        'python', 'tools/test.py', TOY_CFG, ckpts['tcm'], '--work-dir',
        str(tmp_path), '--allow-partial', '--cfg-options', ONE_IMAGE
    ])
    _assert_summary(proc.stdout, ckpts['tcm'])
    assert 'WARNING' in proc.stdout
    assert 'Epoch(test) [1/1]' in proc.stdout


def test_train_py_load_from_refuses(ckpts, tmp_path):
    proc = run([
        'python', 'tools/train.py', TOY_CFG, '--work-dir',
        str(tmp_path), '--cfg-options', f'load_from={ckpts["tcm"]}'
    ],
               check=False)
    assert proc.returncode == 1, proc.stdout[-3000:]
    _assert_summary(proc.stdout, ckpts['tcm'])
    assert 'Epoch(train)' not in proc.stdout


def _runner(tmp_path, **cfg_options):
    from mmengine.runner import Runner
    cfg = Config.fromfile(TOY_CFG)
    cfg.work_dir = str(tmp_path)
    cfg.merge_from_dict(cfg_options)
    return Runner.from_cfg(cfg)


def test_runner_load_checkpoint(ckpts, tmp_path, capsys):
    """Runner.load_checkpoint (load_from, --resume, stock mmocr tools)."""
    runner = _runner(tmp_path / 'strict')
    runner.load_checkpoint(ckpts['dbnet'])  # fits: loads silently
    out = capsys.readouterr()
    assert 'does not fit' not in out.out + out.err
    assert 'The model and loaded state dict' not in out.out + out.err
    with pytest.raises(CheckpointMismatchError) as err:
        runner.load_checkpoint(ckpts['tcm'])
    _assert_summary(str(err.value), ckpts['tcm'])

    partial = _runner(tmp_path / 'partial', allow_partial_checkpoint=True)
    dbnet = torch.load(ckpts['dbnet'])['state_dict']
    tcm = torch.load(ckpts['tcm'])['state_dict']
    # a key present in both with the same shape is loaded, the rest kept
    same = [k for k in tcm if k in dbnet and tcm[k].shape == dbnet[k].shape]
    assert same
    before = partial.model.state_dict()
    partial.load_checkpoint(ckpts['tcm'])
    after = partial.model.state_dict()
    assert torch.equal(after[same[0]], tcm[same[0]])
    assert torch.equal(after['backbone.conv1.weight'],
                       before['backbone.conv1.weight'])
    # strict=True still means strict
    with pytest.raises(CheckpointMismatchError):
        partial.load_checkpoint(ckpts['tcm'], strict=True)


def test_inferencer_loading(ckpts):
    """tools/infer.py's path: mmengine inferencers in the checked block."""
    from mmocr.apis import TextDetInferencer

    from mmocr_ext.compat import strict_inferencer_loading
    with strict_inferencer_loading():
        TextDetInferencer(model=TOY_CFG, weights=ckpts['dbnet'], device='cpu')
        with pytest.raises(CheckpointMismatchError) as err:
            TextDetInferencer(
                model=TOY_CFG, weights=ckpts['tcm'], device='cpu')
    _assert_summary(str(err.value), ckpts['tcm'])
    with strict_inferencer_loading(allow_partial=True):
        TextDetInferencer(model=TOY_CFG, weights=ckpts['tcm'], device='cpu')
    # outside the block mmengine's own loader is back
    import mmengine.infer.infer as infer_mod
    from mmengine.runner import checkpoint
    assert infer_mod._load_checkpoint_to_model is (
        checkpoint._load_checkpoint_to_model)


def test_infer_py_refuses_other_architecture(ckpts, tmp_path):
    img = osp.join(REPO, 'data', 'icdar2015_toy', 'textdet_imgs', 'test')
    proc = run([
        'python', 'tools/infer.py', img, '--det', TOY_CFG, '--det-weights',
        ckpts['tcm'], '--out-dir',
        str(tmp_path), '--device', 'cpu'
    ],
               check=False)
    assert proc.returncode == 1, proc.stdout[-3000:]
    _assert_summary(proc.stdout, ckpts['tcm'])


STOCK_LOAD = (
    'import sys\n'
    'from mmengine.config import Config\n'
    'from mmengine.runner import Runner\n'
    'cfg = Config.fromfile(sys.argv[1])\n'  # custom_imports registers
    'cfg.work_dir = sys.argv[3]\n'
    'Runner.from_cfg(cfg).load_checkpoint(sys.argv[2])\n'
    'print("LOADED")\n')


def test_disable_switch_restores_mmengine_behaviour(ckpts, tmp_path):
    """mmocr's stock tools build the Runner as above (our configs register
    mmocr_ext through ``custom_imports``), so they are strict too.
    ``MMOCR_EXT_DISABLE_COMPAT=strict_load`` restores mmengine's behaviour:
    the per-key listing, then a run with random weights."""
    proc = run([
        sys.executable, '-c', STOCK_LOAD, TOY_CFG, ckpts['tcm'],
        str(tmp_path)
    ],
               env=tool_env(MMOCR_EXT_DISABLE_COMPAT='strict_load'))
    assert 'LOADED' in proc.stdout
    assert 'size mismatch for backbone.conv1.weight' in proc.stdout
