# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""mmocr_ext.compat.atomic_save: no partial checkpoint after a failed save."""
import errno
import os
import sys

import pytest
import torch
from mmengine.fileio.backends import LocalBackend
from mmengine.runner.checkpoint import save_checkpoint

import mmocr_ext.compat.atomic_save as atomic_save
from mmocr_ext.compat import load_checkpoint_safely
from conftest import run, tool_env


def _checkpoint(value: float = 1.0) -> dict:
    return dict(
        meta=dict(epoch=1, iter=5),
        state_dict={'w': torch.full((64, 64), value)})


class _FailingFile:
    """Writes half of the data, then fails like a full disk."""

    def __init__(self, f):
        self._f = f

    def write(self, data):
        self._f.write(data[:len(data) // 2])
        self._f.flush()
        raise OSError(errno.ENOSPC, 'No space left on device (simulated)')

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


def test_backend_is_patched():
    assert getattr(LocalBackend.put, '_mmocr_ext_patched', False)
    assert getattr(LocalBackend.put_text, '_mmocr_ext_patched', False)


def test_normal_save_is_loadable(tmp_path):
    path = str(tmp_path / 'work' / 'epoch_1.pth')
    save_checkpoint(_checkpoint(), path)
    ckpt = load_checkpoint_safely(path)
    assert torch.equal(ckpt['state_dict']['w'], torch.ones(64, 64))
    assert os.listdir(tmp_path / 'work') == ['epoch_1.pth']
    LocalBackend().put_text('epoch_1.pth', str(tmp_path / 'last_checkpoint'))
    assert (tmp_path / 'last_checkpoint').read_text() == 'epoch_1.pth'


def test_failure_mid_write_leaves_nothing(tmp_path, monkeypatch):
    path = str(tmp_path / 'epoch_2.pth')
    good = str(tmp_path / 'best.pth')
    save_checkpoint(_checkpoint(1.0), good)
    monkeypatch.setattr(
        atomic_save,
        'open',
        lambda *a, **k: _FailingFile(open(*a, **k)),
        raising=False)
    with pytest.raises(OSError, match='simulated'):
        save_checkpoint(_checkpoint(2.0), path)
    with pytest.raises(OSError, match='simulated'):
        save_checkpoint(_checkpoint(2.0), good)  # overwrite of a good file
    assert sorted(os.listdir(tmp_path)) == ['best.pth']  # no temp file left
    monkeypatch.undo()
    ckpt = load_checkpoint_safely(good)  # the old content, intact
    assert torch.equal(ckpt['state_dict']['w'], torch.ones(64, 64))


# A process killed (SIGKILL) half-way through writing the checkpoint file.
KILLED_SAVE = '''
import builtins, os, signal, sys
import torch
from mmocr_ext.compat import apply_compat_patches
apply_compat_patches()
from mmengine.runner.checkpoint import save_checkpoint
folder, kill = sys.argv[1], sys.argv[2] == 'kill'
real_open = builtins.open

class Killed:
    def __init__(self, f):
        self._f = f
    def write(self, data):
        self._f.write(data[:len(data) // 2])
        self._f.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    def __getattr__(self, name):
        return getattr(self._f, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self._f.close()

def killing_open(file, mode='r', *args, **kwargs):
    f = real_open(file, mode, *args, **kwargs)
    if kill and str(file).startswith(folder) and 'b' in mode:
        return Killed(f)
    return f

builtins.open = killing_open
save_checkpoint({'state_dict': {'w': torch.ones(256, 256)}},
                os.path.join(folder, 'epoch_1.pth'))
print('SAVED')
'''


@pytest.mark.parametrize('disable', ['', 'atomic_save'])
def test_kill_during_save(tmp_path, disable):
    folder = str(tmp_path)
    env = tool_env(MMOCR_EXT_DISABLE_COMPAT=disable)
    proc = run([sys.executable, '-c', KILLED_SAVE, folder, 'kill'],
               env=env,
               check=False)
    assert proc.returncode == -9, proc.stdout[-2000:]
    final = tmp_path / 'epoch_1.pth'
    if disable:  # mmengine: a truncated epoch_1.pth next to the good ones
        assert final.exists() and final.stat().st_size > 0
        with pytest.raises(Exception):
            load_checkpoint_safely(str(final))
        return
    assert not final.exists()
    leftover = os.listdir(folder)
    assert len(leftover) == 1 and leftover[0].startswith('.epoch_1.pth.')
    assert leftover[0].endswith('.tmp')  # hidden, not a *.pth
    # the next save of that name completes and removes the stale file
    run([sys.executable, '-c', KILLED_SAVE, folder, 'ok'], env=env)
    assert os.listdir(folder) == ['epoch_1.pth']
    ckpt = load_checkpoint_safely(str(final))
    assert ckpt['state_dict']['w'].shape == (256, 256)
