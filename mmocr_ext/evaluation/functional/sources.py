# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Reading a folder or a zip of per-image annotation files."""
import io
import os
import os.path as osp
import re
import struct
import zipfile
import zlib
from typing import Dict, List, Optional, Tuple

from .errors import EvalInputError

# prefixes that pair ground-truth and result files by image id
_ID_PREFIXES = ('poly_gt_', 'gt_', 'res_')


def image_id(file_name: str) -> str:
    """Image id of an annotation file: base name without a ``poly_gt_``,
    ``gt_`` or ``res_`` prefix and without extension.

    Args:
        file_name (str): ``'gt_img_7.txt'``, ``'res_img_7.txt'``,
            ``'poly_gt_img7.mat'``, ``'0001.txt'``... (a path, or a zip
            member ``archive.zip:folder/name``).

    Returns:
        str: ``'img_7'``, ``'img_7'``, ``'img7'``, ``'0001'``...
    """
    base = file_name.rsplit(':', 1)[-1].rsplit('/', 1)[-1]
    dot = base.rfind('.')
    stem = base[:dot] if dot > 0 else base
    for prefix in _ID_PREFIXES:
        if stem.startswith(prefix):
            return stem[len(prefix):]
    return stem


_DIGIT_RUNS = re.compile(r'(\d+)')


def natural_key(name: str) -> Tuple:
    """Sort key that puts ``img_2`` before ``img_10``."""
    parts = _DIGIT_RUNS.split(name)
    parts[1::2] = map(int, parts[1::2])
    return tuple(parts)


def read_files(path: str, extensions: Tuple[str, ...]) -> Dict[str, bytes]:
    """Read every annotation file of a directory or a zip.

    Hidden files, ``__MACOSX`` entries and files with another extension
    (e.g. a README) are not annotation files and are left out; nested
    folders of a zip are flattened.

    Args:
        path (str): A directory or a ``.zip`` file.
        extensions (tuple[str]): Accepted lower-case extensions.

    Returns:
        dict[str, bytes]: Display name (``archive.zip:member`` or the file
        path) to raw content.
    """
    if not osp.exists(path):
        raise EvalInputError(path, 'no such file or directory')
    files = {}
    if osp.isdir(path):
        for name in sorted(os.listdir(path)):
            full = osp.join(path, name)
            if _wanted(name, extensions) and osp.isfile(full):
                with open(full, 'rb') as f:
                    files[full] = f.read()
        return files
    with open(path, 'rb') as f:
        blob = f.read()
    members = _central_directory(blob)
    if members is None:  # not a plain zip: let zipfile read or reject it
        if not zipfile.is_zipfile(io.BytesIO(blob)):
            raise EvalInputError(path, 'neither a directory nor a zip file')
        archive = zipfile.ZipFile(io.BytesIO(blob))
        members = [(i.filename, i) for i in archive.infolist()]
    files, seen = {}, set()
    view = memoryview(blob)
    for name, entry in members:
        base = name.rsplit('/', 1)[-1]
        if not base or name.startswith('__MACOSX/') or \
                not _wanted(base, extensions):
            continue
        if base in seen:
            raise EvalInputError(f'{path}:{name}',
                                 f'duplicate file name {base!r}')
        seen.add(base)
        files[f'{path}:{name}'] = archive.read(entry) if isinstance(
            entry, zipfile.ZipInfo) else _read_member(view, *entry)
    return files


_EOCD = struct.Struct('<4s4H2LH')
_CENTRAL = struct.Struct('<4s4B4HL2L5H2L')
_LOCAL_NAME = struct.Struct('<2H')


def _central_directory(blob: bytes) -> Optional[List[Tuple[str, tuple]]]:
    """Members of a plain zip (no zip64, no encryption, stored or deflated)
    as ``(name, (local header offset, compressed size, method, crc))``,
    parsed straight from the bytes (several times faster than ``zipfile``
    for many small files); None for anything else."""
    eocd = blob.rfind(b'PK\x05\x06', max(0, len(blob) - 65557))
    if eocd < 0 or len(blob) < eocd + _EOCD.size:
        return None
    _, _, _, _, count, size, offset, _ = _EOCD.unpack_from(blob, eocd)
    if offset + size > eocd or count == 0xFFFF:
        return None
    members, pos = [], offset
    for _ in range(count):
        if pos + _CENTRAL.size > eocd:
            return None
        (sig, _, _, _, _, flags, method, _, _, crc, csize, usize, name_len,
         extra_len, comment_len, _, _, _,
         local) = _CENTRAL.unpack_from(blob, pos)
        if sig != b'PK\x01\x02' or flags & 0x1 or method not in (0, 8) or \
                0xFFFFFFFF in (csize, usize, local):
            return None
        name = blob[pos + 46:pos + 46 + name_len].decode(
            'utf-8' if flags & 0x800 else 'cp437')
        members.append((name, (local, csize, method, crc)))
        pos += 46 + name_len + extra_len + comment_len
    return members


def _read_member(view: memoryview, local: int, size: int, method: int,
                 crc: int) -> bytes:
    """One member of an in-memory zip, CRC-checked (zipfile reports any
    problem)."""
    if view[local:local + 4] == b'PK\x03\x04':
        name_len, extra_len = _LOCAL_NAME.unpack_from(view, local + 26)
        begin = local + 30 + name_len + extra_len
        try:
            data = zlib.decompress(view[begin:begin + size], -15) \
                if method == zipfile.ZIP_DEFLATED else \
                bytes(view[begin:begin + size])
            if zlib.crc32(data) == crc:
                return data
        except zlib.error:
            pass
    with zipfile.ZipFile(io.BytesIO(view)) as archive:
        for info in archive.infolist():
            if info.header_offset == local:
                return archive.read(info)
    raise zipfile.BadZipFile(f'no member at offset {local}')


def _wanted(name: str, extensions: Tuple[str, ...]) -> bool:
    """Not hidden, and one of the extensions."""
    dot = name.rfind('.')
    return dot > 0 and not name.startswith('.') and \
        name[dot:].lower() in extensions


def decode_text(raw: bytes, where: str) -> str:
    """UTF-8 with an optional BOM, as RRC's ``decode_utf8``."""
    try:
        return raw.decode('utf-8-sig')
    except UnicodeDecodeError as e:
        raise EvalInputError(where, f'not UTF-8 text ({e})') from None
