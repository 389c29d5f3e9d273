# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""mmocr_ext.compat.checkpoint: weights_only loading with an allow-list."""
import os
import pickle
import sys

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner import CheckpointLoader

from mmocr_ext.compat import (CHECKPOINT_SAFE_GLOBALS, UnsafeCheckpointError,
                              load_checkpoint_safely)
from conftest import run, tool_env


def _mmengine_like_checkpoint(path) -> None:
    """Save what mmengine's Runner.save_checkpoint stores."""
    hub = MessageHub('ckpt-test')
    for v in (0.5, 0.25):
        hub.update_scalar('train/loss', v)
    hub.update_info('iter', 7)
    torch.save(
        dict(
            meta=dict(epoch=1, iter=7, seed=0, dataset_meta=dict(a=[1])),
            state_dict={'w': torch.ones(2, 2)},
            message_hub=hub.state_dict(),
            optimizer={
                'state': {},
                'param_groups': [{
                    'lr': 0.1
                }]
            },
            param_schedulers=[dict(last_step=1, base_values=[0.1])],
            extra=np.arange(3, dtype=np.float32)), path)


def test_loads_mmengine_checkpoint(tmp_path):
    path = str(tmp_path / 'ok.pth')
    _mmengine_like_checkpoint(path)
    ckpt = CheckpointLoader.load_checkpoint(path, map_location='cpu')
    assert ckpt['meta']['iter'] == 7
    buf = ckpt['message_hub']['log_scalars']['train/loss']
    assert isinstance(buf, HistoryBuffer)
    assert buf.mean() == pytest.approx(0.375)
    np.testing.assert_array_equal(ckpt['extra'], [0, 1, 2])


LOAD_IN_FRESH_PROCESS = (
    'import sys, mmocr_ext\n'
    'mmocr_ext.register_all_modules()\n'
    'from mmengine.runner import CheckpointLoader\n'
    'ckpt = CheckpointLoader.load_checkpoint(sys.argv[1])\n'
    'print("LOADED", ckpt["meta"]["iter"])\n')


def test_loads_in_a_fresh_process(tmp_path):
    """As tools/test.py does: no HistoryBuffer exists before the load."""
    path = str(tmp_path / 'ok.pth')
    _mmengine_like_checkpoint(path)
    proc = run([sys.executable, '-c', LOAD_IN_FRESH_PROCESS, path])
    assert 'LOADED 7' in proc.stdout


def test_fails_without_patch(tmp_path):
    """Unpatched mmengine on torch>=2.6 cannot load its own checkpoints."""
    path = str(tmp_path / 'ok.pth')
    _mmengine_like_checkpoint(path)
    proc = run([sys.executable, '-c', LOAD_IN_FRESH_PROCESS, path],
               check=False,
               env=tool_env(MMOCR_EXT_DISABLE_COMPAT='checkpoint'))
    assert proc.returncode != 0
    assert 'Weights only load failed' in proc.stdout, proc.stdout[-2000:]


class _Payload:
    """Unpickling this runs ``os.system`` (the classic pickle exploit)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def test_refuses_malicious_checkpoint(tmp_path):
    path = str(tmp_path / 'evil.pth')
    marker = tmp_path / 'pwned'
    torch.save({'state_dict': {}, 'meta': _Payload(marker)}, path)
    with pytest.raises(UnsafeCheckpointError) as err:
        CheckpointLoader.load_checkpoint(path, map_location='cpu')
    assert path in str(err.value)
    assert 'system' in str(err.value)  # names the offending global
    assert not marker.exists(), 'the payload ran'


def test_refuses_old_style_pickle(tmp_path):
    """Legacy (non-zip) torch files get the same treatment."""
    path = str(tmp_path / 'legacy.pth')
    marker = tmp_path / 'pwned'
    with open(path, 'wb') as f:
        pickle.dump({'meta': _Payload(marker)}, f)
    with pytest.raises(UnsafeCheckpointError, match='legacy.pth'):
        load_checkpoint_safely(path)
    assert not marker.exists()


def test_allow_list_is_explicit():
    entries = {
        (e[1] if isinstance(e, tuple) else f'{e.__module__}.{e.__qualname__}'):
        e
        for e in CHECKPOINT_SAFE_GLOBALS
    }
    assert 'mmengine.logging.history_buffer.HistoryBuffer' in entries
    assert not any('os.' in n or 'posix' in n or 'builtins.eval' in n
                   for n in entries)
    # builtins.getattr is a restricted stand-in, never the real getattr
    assert entries['builtins.getattr'][0] is not getattr


class _GetattrPayload:
    """Pickles as getattr(HistoryBuffer, '__init__'): not a statistic."""

    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


def test_refuses_getattr_beyond_history_buffer_statistics(tmp_path):
    path = str(tmp_path / 'getattr.pth')
    torch.save({'meta': _GetattrPayload()}, path)
    with pytest.raises(UnsafeCheckpointError, match='getattr.pth'):
        load_checkpoint_safely(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        load_checkpoint_safely(str(tmp_path / 'nope.pth'))


def test_timm_style_args_namespace_loads_but_not_its_payloads(tmp_path):
    """timm checkpoints (ViTAEv2 ImageNet) carry ``args``: a Namespace of
    plain values loads; a Namespace hiding a payload is still refused."""
    import argparse
    path = str(tmp_path / 'model_best.pth.tar')
    args = argparse.Namespace(model='ViTAEv2_S', lr=5e-4, epochs=300)
    torch.save({'state_dict': {'w': torch.ones(2)}, 'args': args}, path)
    ckpt = load_checkpoint_safely(path)
    assert ckpt['args'] == args and ckpt['state_dict']['w'].sum() == 2
    marker = tmp_path / 'pwned'
    evil = str(tmp_path / 'evil_args.pth.tar')
    torch.save({'args': argparse.Namespace(x=_Payload(marker))}, evil)
    with pytest.raises(UnsafeCheckpointError, match='evil_args'):
        load_checkpoint_safely(evil)
    assert not marker.exists()
