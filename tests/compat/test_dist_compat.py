# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""mmocr_ext.compat.dist: CPU gloo multi-process init and DDP wrapping."""
import sys
from typing import Tuple

import pytest
import torch

from mmocr_ext.compat import resolve_dist_backend
from conftest import free_port, run, tool_env

# Exactly what the Runner does, in two processes: init_dist with mmocr's
# default backend, then wrap_model's MMDistributedDataParallel(device_ids=...).
WORKER = '''
import os, torch
import mmocr_ext
mmocr_ext.register_all_modules()  # applies the patches
from mmengine.dist import all_reduce, init_dist
from mmengine.model import MMDistributedDataParallel
init_dist('pytorch', backend='nccl')
model = MMDistributedDataParallel(
    module=torch.nn.Linear(2, 1), device_ids=[int(os.environ['LOCAL_RANK'])])
t = torch.tensor([float(os.environ['RANK']) + 1])
all_reduce(t)
with open(os.path.join({out!r}, 'rank' + os.environ['RANK']), 'w') as f:
    f.write(f'{{t.item()}} {{torch.distributed.get_backend()}}')
'''

pytestmark = pytest.mark.skipif(
    torch.cuda.is_available(),
    reason='these reproduce the CPU-only failure; with CUDA the patch is '
    'a no-op and mmengine works unpatched')


def _launch(tmp_path, disable: str) -> Tuple[int, str]:
    script = tmp_path / 'worker.py'
    script.write_text(WORKER.format(out=str(tmp_path)))
    proc = run([
        sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2',
        f'--master_port={free_port()}',
        str(script)
    ],
               env=tool_env(MMOCR_EXT_DISABLE_COMPAT=disable),
               check=False,
               timeout=300)
    return proc.returncode, proc.stdout


def test_two_cpu_processes_with_patch(tmp_path):
    code, out = _launch(tmp_path, disable='')
    assert code == 0, out[-3000:]
    # all_reduce(1 + 2) over gloo on both ranks
    for rank in (0, 1):
        assert (tmp_path / f'rank{rank}').read_text() == '3.0 gloo'


def test_init_dist_fails_without_dist_patch(tmp_path):
    code, out = _launch(tmp_path, disable='dist')
    assert code != 0
    assert 'set_device' in out, out[-3000:]  # torch.cuda.set_device raised


def test_ddp_fails_without_ddp_patch(tmp_path):
    code, out = _launch(tmp_path, disable='ddp')
    assert code != 0
    assert 'device_ids' in out, out[-3000:]  # DDP rejected CPU device_ids


def test_resolve_dist_backend_on_cpu():
    assert resolve_dist_backend('auto') == 'gloo'
    assert resolve_dist_backend('gloo') == 'gloo'
    assert resolve_dist_backend('nccl') == 'gloo'  # nccl cannot run on CPU
    assert resolve_dist_backend('mpi') == 'mpi'
