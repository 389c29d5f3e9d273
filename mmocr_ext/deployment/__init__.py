# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ONNX export of the suite's models (see ``docs/deployment.md``).

:func:`export_model` dispatches on the model class to the family exporters:

==========================  ===============================================
model class                 exporter
==========================  ===============================================
``TCM``, ``FastTCM``        :func:`export_textdet.export_tcm`
``I3CLWrapper`` /           :func:`export_textdet.export_i3cl`
``I3CLMaskRCNN``
``UPOCR``                   :func:`export_pixel.export_upocr`
``E2STR``                   :func:`export_textrecog.export_e2str`
``InstructOCR``             :func:`export_textspot.export_instructocr`
==========================  ===============================================

Family modules are imported lazily, so importing this package needs only
torch; onnxruntime is needed to verify the graphs
(``pip install "mmocr_ext[onnx]"``).
"""
import importlib
from typing import List, Tuple

from torch import nn

from .onnx_utils import (ExportedGraph, OnnxExportError, OnnxMismatchError,
                         check_graph, compare_outputs, export_graph, run_onnx)

#: ``(class name, module, function)``; the first class name found in the
#: model's MRO wins, so subclasses (FastTCM < TCM) dispatch correctly.
_DISPATCH: Tuple[Tuple[str, str, str], ...] = (
    ('FastTCM', 'export_textdet', 'export_tcm'),
    ('TCM', 'export_textdet', 'export_tcm'),
    ('I3CLWrapper', 'export_textdet', 'export_i3cl'),
    ('I3CLMaskRCNN', 'export_textdet', 'export_i3cl'),
    ('UPOCR', 'export_pixel', 'export_upocr'),
    ('E2STR', 'export_textrecog', 'export_e2str'),
    ('InstructOCR', 'export_textspot', 'export_instructocr'),
)

SUPPORTED_CLASSES: Tuple[str, ...] = tuple(c for c, _, _ in _DISPATCH)


def find_exporter(model: nn.Module):
    """The family export function for ``model``.

    Args:
        model (nn.Module): A model of the suite.

    Returns:
        Callable: ``export_<family>(model, out_dir, **kw)``.

    Raises:
        ValueError: If no exporter handles the model's class.
    """
    mro_names = [c.__name__ for c in type(model).__mro__]
    for cls_name, module, func in _DISPATCH:
        if cls_name in mro_names:
            mod = importlib.import_module(f'{__name__}.{module}')
            return getattr(mod, func)
    raise ValueError(
        f'ONNX export does not support model class '
        f'{type(model).__name__!r}; supported: {", ".join(SUPPORTED_CLASSES)}')


def export_model(model: nn.Module, out_dir: str,
                 **kwargs) -> List[ExportedGraph]:
    """Export (and verify with onnxruntime) the network part of ``model``.

    Args:
        model (nn.Module): TCM, FastTCM, I3CL, UPOCR, E2STR or InstructOCR.
        out_dir (str): Folder for the ``.onnx`` files.
        **kwargs: Passed to the family exporter (``img_shapes``, ``atol``,
            ...).

    Returns:
        list[ExportedGraph]: The exported graphs.

    Raises:
        ValueError: For an unsupported model class (the message names it).
        OnnxExportError: If a graph fails to export.
        OnnxMismatchError: If onnxruntime disagrees with PyTorch.
    """
    return find_exporter(model)(model, out_dir, **kwargs)


__all__ = [
    'ExportedGraph', 'OnnxExportError', 'OnnxMismatchError', 'export_graph',
    'run_onnx', 'compare_outputs', 'check_graph', 'export_model',
    'find_exporter', 'SUPPORTED_CLASSES'
]
