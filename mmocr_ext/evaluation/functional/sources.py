# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Reading a folder or a zip of per-image annotation files."""
import io
import os
import os.path as osp
import re
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
    folders of a zip are flattened (a base name may occur once only).

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
        blob = io.BytesIO(f.read())  # zipfile seeks in memory, not on disk
    try:
        archive = zipfile.ZipFile(blob)
    except zipfile.BadZipFile:
        raise EvalInputError(path,
                             'neither a directory nor a zip file') from None
    seen = set()
    with archive:
        for info in archive.infolist():
            name = info.filename
            base = name.rsplit('/', 1)[-1]
            if not base or name.startswith('__MACOSX/') or \
                    not _wanted(base, extensions):
                continue
            if base in seen:
                raise EvalInputError(f'{path}:{name}',
                                     f'duplicate file name {base!r}')
            seen.add(base)
            try:
                files[f'{path}:{name}'] = archive.read(info)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError,
                    RuntimeError) as e:  # corrupt, unsupported, encrypted
                raise EvalInputError(f'{path}:{name}',
                                     f'unreadable zip member ({e})') from None
    return files


def _wanted(name: str, extensions: Tuple[str, ...]) -> bool:
    """Not hidden, and one of the extensions."""
    dot = name.rfind('.')
    return dot > 0 and not name.startswith('.') and \
        name[dot:].lower() in extensions
