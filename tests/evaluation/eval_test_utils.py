# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Helpers of the evaluation tests: loading a tool script, tiny file
writers."""
import importlib.util
import os.path as osp
import sys
from typing import Dict, Sequence

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DATA = osp.join(REPO, 'tests', 'data', 'evaluation')


def load_tool(name: str):
    """Import the script ``tools/<name>.py`` as a module (tools are scripts,
    not a package)."""
    mod_name = f'_tool_{name}'
    if mod_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            mod_name, osp.join(REPO, 'tools', f'{name}.py'))
        module = importlib.util.module_from_spec(spec)
        sys.modules[mod_name] = module
        spec.loader.exec_module(module)
    return sys.modules[mod_name]


def box(x0: float, y0: float, x1: float, y1: float, ccw: bool = False) -> str:
    """An axis-aligned quadrilateral as 8 comma-separated numbers.

    Clockwise in image coordinates (y down) unless ``ccw``.
    """
    pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if ccw:
        pts = pts[::-1]
    return ','.join(f'{v:g}' for p in pts for v in p)


def write_files(folder,
                files: Dict[str, Sequence[str]],
                newline: str = '\n',
                bom: bool = False) -> str:
    """Write ``{file name: lines}`` into ``folder``; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        text = ''.join(line + newline for line in lines)
        data = text.encode('utf-8')
        (folder / name).write_bytes(b'\xef\xbb\xbf' + data if bom else data)
    return str(folder)
