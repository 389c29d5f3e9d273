# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Datasets. Lazy (PEP 562): ``mmocr_ext.datasets.synth`` imports neither
torch nor mmocr; the registered classes load on first use, and
:mod:`mmocr_ext.registration` imports their modules to register them."""
import importlib
from typing import Any

_LAZY = {
    'AnnotationChecker': 'annotation_checker',
    'AnnotationError': 'annotation_checker',
    'CheckedOCRDataset': 'checked_ocr_dataset',
    'SynthRenderDataset': 'synth_render_dataset',
    'SCUTEnsTextDataset': 'scut_enstext_dataset',
    'TextSegDataset': 'textseg_dataset',
    'TamperedIC13Dataset': 'tampered_ic13_dataset',
    'SynthPixelDataset': 'synth_pixel_dataset',
    'MultiTaskGroupedSampler': 'samplers',
}
# Modules whose import registers classes in mmocr's registries.
REGISTERING_MODULES = ('checked_ocr_dataset', 'synth_render_dataset',
                       'scut_enstext_dataset', 'textseg_dataset',
                       'tampered_ic13_dataset', 'synth_pixel_dataset',
                       'samplers', 'transforms')


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f'{__name__}.{_LAZY[name]}')
        return getattr(module, name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


__all__ = list(_LAZY)
