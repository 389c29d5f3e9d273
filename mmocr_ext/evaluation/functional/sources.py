# Copyright (c) OpenMMLab. All rights reserved.
"""Reading a folder or a zip of per-image annotation files."""
import io
import os
import os.path as osp
import re
import struct
import zipfile
import zlib
from typing import Dict, Tuple

from .errors import EvalInputError

# prefixes that pair ground-truth and result files by image id
_ID_PREFIXES = ('poly_gt_', 'gt_', 'res_')


def image_id(file_name: str) -> str:
    """Image id of an annotation file: base name without a ``poly_gt_``,
    ``gt_`` or ``res_`` prefix and without extension.

    Args:
        file_name (str): ``'gt_img_7.txt'``, ``'res_img_7.txt'``,
            ``'poly_gt_img7.mat'``, ``'0001.txt'``...

    Returns:
        str: ``'img_7'``, ``'img_7'``, ``'img7'``, ``'0001'``...
    """
    stem = osp.splitext(osp.basename(file_name))[0]
    for prefix in _ID_PREFIXES:
        if stem.startswith(prefix):
            return stem[len(prefix):]
    return stem


def natural_key(name: str) -> Tuple:
    """Sort key that puts ``img_2`` before ``img_10``."""
    return tuple(
        int(t) if t.isdigit() else t for t in re.split(r'(\d+)', name))


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
    if not zipfile.is_zipfile(path):
        raise EvalInputError(path, 'neither a directory nor a zip file')
    seen = set()
    with open(path, 'rb') as f:
        blob = f.read()
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        for info in archive.infolist():
            name = info.filename
            if info.is_dir() or name.startswith('__MACOSX/') or \
                    not _wanted(osp.basename(name), extensions):
                continue
            base = osp.basename(name)
            if base in seen:
                raise EvalInputError(f'{path}:{name}',
                                     f'duplicate file name {base!r}')
            seen.add(base)
            files[f'{path}:{name}'] = _member(archive, info, blob)
    return files


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo,
            blob: bytes) -> bytes:
    """Read a zip member; stored/deflated members straight from the
    in-memory archive (several times faster than ``ZipFile.read`` for
    many small files), CRC-checked."""
    start = info.header_offset
    if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or \
            blob[start:start + 4] != b'PK\x03\x04':
        return archive.read(info)
    name_len, extra_len = struct.unpack('<HH', blob[start + 26:start + 30])
    begin = start + 30 + name_len + extra_len
    data = blob[begin:begin + info.compress_size]
    if info.compress_type == zipfile.ZIP_DEFLATED:
        data = zlib.decompress(data, -15)
    if zlib.crc32(data) != info.CRC:
        return archive.read(info)  # let zipfile report the corruption
    return data


def _wanted(name: str, extensions: Tuple[str, ...]) -> bool:
    return not name.startswith('.') and \
        osp.splitext(name)[1].lower() in extensions


def decode_text(raw: bytes, where: str) -> str:
    """UTF-8 with an optional BOM, as RRC's ``decode_utf8``."""
    try:
        return raw.decode('utf-8-sig')
    except UnicodeDecodeError as e:
        raise EvalInputError(where, f'not UTF-8 text ({e})') from None
