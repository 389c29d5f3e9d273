# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Official I3CL checkpoints (mmdet 2.20 / mmcv-full 1.x) -> ours.

:func:`i3cl_checkpoint_filter_fn` maps the released full-detector
checkpoints (e.g. ``vitae_epoch_12.pth``: ``{meta, state_dict,
optimizer}``) onto :class:`I3CLWrapper` (or the bare :class:`I3CLMaskRCNN`
with ``prefix=''``). The official Mask R-CNN names are those of mmdet 3.x
and the I3CL additions keep their official paths in our modules
(``intra_cl_module.{0..4}.*`` on the detector,
``roi_head.inter_cl_module.*`` incl. ``global_context_extract_module``), so
the map is (spec A7):

============================================ ===============================
official                                     ours
============================================ ===============================
``module.<key>`` (DDP)                       ``<prefix><key>``
``roi_head.bbox_head.fc_cls`` (64 rows:      rows ``[0, 63]`` (text,
63 classes + background)                     background) for 1 class
``roi_head.bbox_head.fc_reg`` (252 rows)     rows ``0:4`` (text)
``roi_head.mask_head.conv_logits`` (63 out)  channel 0 (text)
every other key                              ``<prefix><key>``
============================================ ===============================

The 63 classes are ``('text', '0'..'9', 'A'..'Z', 'a'..'z')`` of which only
``text`` (label 0) occurs in the annotations; ``num_classes=63`` keeps the
heads whole. The sliced rows are reported, as is every key the converter
drops (optimizer state is never part of the result).
"""
from collections import OrderedDict
from typing import Dict, List, Mapping, Tuple

import torch
from torch import Tensor

#: Classes of the official heads: 'text' plus 62 characters, never used.
OFFICIAL_NUM_CLASSES = 63
#: Keys every official I3CL detector checkpoint has.
REQUIRED_KEYS = ('backbone.', 'neck.lateral_convs.0.conv.weight',
                 'rpn_head.rpn_cls.weight', 'roi_head.bbox_head.fc_cls.weight',
                 'roi_head.bbox_head.fc_reg.weight',
                 'roi_head.mask_head.conv_logits.weight')
CLS = 'roi_head.bbox_head.fc_cls.'
REG = 'roi_head.bbox_head.fc_reg.'
LOGITS = 'roi_head.mask_head.conv_logits.'


def _state_dict(checkpoint: Mapping) -> Mapping[str, Tensor]:
    """The state dict of an mmcv / mmengine checkpoint or a raw one."""
    for key in ('state_dict', 'model'):
        if isinstance(checkpoint.get(key), Mapping):
            return checkpoint[key]
    return checkpoint


def check_i3cl_layout(state_dict: Mapping[str, Tensor]) -> int:
    """Check that ``state_dict`` is an I3CL / Mask R-CNN detector.

    Returns:
        int: The number of classes of its heads.

    Raises:
        ValueError: Naming the missing keys, or the inconsistent shapes.
    """
    from ...common.checkpoint_keys import check_required_keys
    check_required_keys(state_dict, REQUIRED_KEYS,
                        'an I3CL (Mask R-CNN) checkpoint')
    num_classes = state_dict[CLS + 'weight'].shape[0] - 1
    reg_rows = state_dict[REG + 'weight'].shape[0]
    logits = state_dict[LOGITS + 'weight'].shape[0]
    if reg_rows != 4 * num_classes or logits != num_classes:
        raise ValueError(
            f'inconsistent heads: fc_cls has {num_classes} classes, fc_reg '
            f'{reg_rows} rows (class-specific needs {4 * num_classes}), '
            f'conv_logits {logits} channels')
    return num_classes


def i3cl_checkpoint_filter_fn(
        checkpoint: Mapping,
        num_classes: int = 1,
        prefix: str = 'wrapped_model.') -> Tuple[Dict[str, Tensor], List[str]]:
    """Map an official I3CL checkpoint onto our keys (module docstring).

    Args:
        checkpoint (Mapping): ``{meta, state_dict, optimizer}``, ``{model:
            ...}`` or a raw state dict.
        num_classes (int): Classes of the target heads: 1 (text, our
            configs) or the source's own number (63). Defaults to 1.
        prefix (str): Prefix of the detector in the target model:
            ``'wrapped_model.'`` for :class:`I3CLWrapper` configs, ``''`` for
            a bare :class:`I3CLMaskRCNN`. Defaults to ``'wrapped_model.'``.

    Returns:
        tuple: the converted state dict, and a report (list of lines) of
        every sliced or dropped key.

    Raises:
        ValueError: If the checkpoint is not an I3CL detector or
            ``num_classes`` is neither 1 nor the source's.
    """
    state_dict = {
        (k[len('module.'):] if k.startswith('module.') else k): v
        for k, v in _state_dict(checkpoint).items()
    }
    src_classes = check_i3cl_layout(state_dict)
    if num_classes not in (1, src_classes):
        raise ValueError(f'cannot map {src_classes} classes to '
                         f'{num_classes}: choose 1 (text) or {src_classes}')
    report = []
    if isinstance(checkpoint.get('optimizer'), Mapping):
        report.append('dropped: optimizer state')
    out = OrderedDict()
    for key, value in state_dict.items():
        if num_classes != src_classes:
            if key.startswith(CLS):
                value = value[[0, src_classes]]
                report.append(f'sliced: {key} rows [0, {src_classes}] of '
                              f'{src_classes + 1} (text, background)')
            elif key.startswith(REG):
                value = value[:4]
                report.append(f'sliced: {key} rows 0:4 of '
                              f'{4 * src_classes} (text)')
            elif key.startswith(LOGITS):
                value = value[:1]
                report.append(f'sliced: {key} channel 0 of {src_classes} '
                              '(text)')
        out[prefix +
            key] = value.clone() if isinstance(value, Tensor) else value
    return out, report


def drop_unexpected(state_dict: Dict[str, Tensor], model: torch.nn.Module,
                    report: List[str]) -> List[str]:
    """Remove keys ``model`` does not have (each listed in ``report``).

    Returns:
        list[str]: The model's keys missing from ``state_dict``.
    """
    own = model.state_dict()
    for key in [k for k in state_dict if k not in own]:
        del state_dict[key]
        report.append(f'dropped: {key} (not in the target model)')
    return [k for k in own if k not in state_dict]
