# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Atomic local file writes, so a killed save never leaves a partial file.

Upstream behaviour (mmengine 0.10.7): ``CheckpointHook`` ->
``Runner.save_checkpoint`` -> ``mmengine.runner.checkpoint.save_checkpoint``
serialises the checkpoint into memory and hands the bytes to the file
backend; ``LocalBackend.put`` then does ``open(filepath, 'wb').write(obj)``
on the final path (``put_text``, used for ``last_checkpoint``, likewise). A
kill, a full disk or an I/O error during that write leaves a truncated
``epoch_N.pth`` next to the good ones, which ``--resume``/``load_from`` then
fail to read (or which replaced a good file of the same name, e.g.
``best_*.pth``).

Fix (patch ``atomic_save``): ``LocalBackend.put`` and ``put_text`` (also
``HardDiskBackend``, its alias used through ``FileClient``) write to a hidden
temporary file in the same folder (``.<name>.<pid>.<random>.tmp``), flush
and ``fsync`` it, then ``os.replace`` it onto the final path: readers see the
old file or the complete new one, never a partial one. On an exception the
temporary file is removed; after a hard kill (SIGKILL, power loss) it stays,
hidden and never taken for a checkpoint (it does not end in ``.pth``), and
the next successful write of the same name removes it once its process is
gone.
"""
import glob
import os
import os.path as osp
import secrets
from typing import Union

_PATCHED_ATTR = '_mmocr_ext_patched'


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (assumed on Windows, where
    ``os.kill(pid, 0)`` would terminate it)."""
    if os.name == 'nt':
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. EPERM: exists, owned by someone else
        return True
    return True


def _remove_stale(filepath: str) -> None:
    """Remove temporary files of ``filepath`` left by killed processes."""
    folder, name = osp.split(filepath)
    pattern = osp.join(glob.escape(folder), f'.{glob.escape(name)}.*.tmp')
    for tmp in glob.glob(pattern):
        parts = osp.basename(tmp)[len(name) + 2:].split('.')
        if len(parts) == 3 and parts[0].isdigit() and not _pid_alive(
                int(parts[0])):
            try:
                os.remove(tmp)
            except OSError:
                pass


def atomic_write(data: Union[bytes, str],
                 filepath: Union[str, os.PathLike],
                 encoding: str = 'utf-8') -> None:
    """Write ``data`` to ``filepath`` through a temporary file + rename.

    Args:
        data (bytes or str): Content; ``str`` is encoded with ``encoding``.
        filepath (str or PathLike): Final path; its folder is created.
        encoding (str): Text encoding. Defaults to 'utf-8'.
    """
    filepath = os.fspath(filepath)
    folder, name = osp.split(osp.abspath(filepath))
    os.makedirs(folder, exist_ok=True)
    tmp = osp.join(folder, f'.{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp')
    try:
        if isinstance(data, str):
            f = open(tmp, 'x', encoding=encoding)
        else:
            f = open(tmp, 'xb')
        with f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, filepath)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:  # pragma: no cover - e.g. file systems without dir fsync
        pass
    _remove_stale(osp.join(folder, name))


def patch_atomic_save() -> None:
    """Make mmengine's ``LocalBackend.put``/``put_text`` atomic."""
    from mmengine.fileio.backends import LocalBackend
    if getattr(LocalBackend.put, _PATCHED_ATTR, False):
        return
    orig_put, orig_put_text = LocalBackend.put, LocalBackend.put_text

    def put(self, obj: bytes, filepath) -> None:
        """Write bytes atomically (mmocr_ext.compat.atomic_save)."""
        atomic_write(obj, filepath)

    def put_text(self, obj: str, filepath, encoding: str = 'utf-8') -> None:
        """Write text atomically (mmocr_ext.compat.atomic_save)."""
        atomic_write(obj, filepath, encoding=encoding)

    for new, orig in ((put, orig_put), (put_text, orig_put_text)):
        setattr(new, _PATCHED_ATTR, True)
        new.__wrapped__ = orig
    LocalBackend.put = put
    LocalBackend.put_text = put_text


def save_converted_checkpoint(state_dict: dict,
                              dst: Union[str, os.PathLike],
                              src: str,
                              src_ckpt: object = None,
                              **meta) -> None:
    """Write a converted checkpoint ``{'state_dict', 'meta'}`` atomically.

    ``meta`` gets ``converted_from`` (the source file name), the source's
    ``meta['epoch']`` as ``source_epoch`` when there is one, and ``meta``.
    Used by the weight converters of ``tools/model_converters/``.

    Args:
        state_dict (dict): The converted tensors.
        dst (str or PathLike): Output file.
        src (str): Source file (its name is recorded).
        src_ckpt (object, optional): The loaded source checkpoint.
        **meta: More ``meta`` entries.
    """
    import io

    import torch
    info = dict(converted_from=osp.basename(src))
    src_meta = src_ckpt.get('meta') if isinstance(src_ckpt, dict) else None
    if isinstance(src_meta, dict) and 'epoch' in src_meta:
        info['source_epoch'] = src_meta['epoch']
    info.update(meta)
    buffer = io.BytesIO()
    torch.save(dict(state_dict=state_dict, meta=info), buffer)
    atomic_write(buffer.getvalue(), dst)
