# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Print the environment mmocr_ext runs in: ``python -m mmocr_ext.env``."""
import importlib
import platform
import sys
from collections import OrderedDict
from typing import Dict

_PACKAGES = ('mmocr_ext', 'torch', 'torchvision', 'mmengine', 'mmcv', 'mmdet',
             'mmocr', 'numpy', 'cv2', 'shapely', 'rapidfuzz', 'timm',
             'open_clip', 'transformers', 'imgaug', 'setuptools')


def _version(name: str) -> str:
    """Version of an importable package, or why it cannot be imported."""
    try:
        module = importlib.import_module(name)
    except Exception as e:  # report, never crash: this is a diagnostic
        return f'not importable ({type(e).__name__}: {e})'
    return str(getattr(module, '__version__', 'unknown'))


def _mmcv_ops() -> str:
    """Whether mmcv's compiled ops load, and which ones are compiled."""
    try:
        from mmcv.utils import ext_loader
        ext = ext_loader.load_ext('_ext', ['nms', 'roi_align_forward'])
        del ext
        from mmcv.ops import get_compiler_version, get_compiling_cuda_version
        return (f'compiled (compiler {get_compiler_version()}, CUDA ops '
                f'{get_compiling_cuda_version()})')
    except Exception as e:
        return f'NOT available ({type(e).__name__}: {e})'


def collect_env() -> Dict[str, str]:
    """Collect versions, mmcv ops status and CUDA devices.

    Returns:
        OrderedDict: name -> description, in print order.
    """
    info: Dict[str, str] = OrderedDict()
    info['python'] = sys.version.replace('\n', ' ')
    info['platform'] = platform.platform()
    for name in _PACKAGES:
        info[name] = _version(name)
    info['mmcv ops'] = _mmcv_ops()
    import torch
    info['torch CUDA build'] = str(torch.version.cuda)
    info['CUDA available'] = str(torch.cuda.is_available())
    info['CUDA device count'] = str(torch.cuda.device_count())
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            info[f'GPU {i}'] = torch.cuda.get_device_name(i)
    info['CPU threads (torch)'] = str(torch.get_num_threads())
    from mmocr_ext.compat import _PATCHES, _applied, disabled_patches
    off = disabled_patches()
    info['compat patches'] = ', '.join(
        f'{k}={"off" if k in off else "on"}'
        f'{"" if k in _applied else " (when registered)"}' for k in _PATCHES)
    return info


def main() -> None:
    """Print :func:`collect_env` as ``name: value`` lines."""
    for key, value in collect_env().items():
        print(f'{key}: {value}')


if __name__ == '__main__':
    main()
