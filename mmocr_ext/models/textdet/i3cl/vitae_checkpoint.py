# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Official ViTAEv2 ImageNet checkpoints -> :class:`ViTAEv2WindowNoShift`.

Implements the behaviour of the official I3CL loader
(``mmcv_custom/checkpoint.py``, spec A7) as an explicit, checked filter:

1. take the first present of ``state_dict_ema``, ``state_dict``, ``model``,
   else the dict itself;
2. strip ``module.`` (DataParallel) and ``encoder.`` prefixes;
3. bicubically resize every ``relative_position_bias_table`` whose window
   differs from the model's, regenerate ``relative_position_index`` buffers
   of another window size (and fill absent ones and absent BN
   ``num_batches_tracked`` counters from the model);
4. drop what the backbone does not have (classifier ``head.*``, final
   ``norm.*``, ...), listing every dropped key;
5. optionally prefix the keys (``backbone.`` for a full detector).

Where the official loader loads non-strictly and silently skips anything,
this filter raises :class:`ValueError` naming the keys when backbone weights
are missing or have another shape (e.g. a ResNet checkpoint).
"""
from collections import OrderedDict
from typing import Any, Dict, List, Mapping, Tuple

import torch.nn.functional as F
from torch import Tensor, nn

SOURCE_KEYS = ('state_dict_ema', 'state_dict', 'model')
STRIP_PREFIXES = ('module.', 'encoder.')
#: Model entries that may be absent from a checkpoint: taken from the model.
FILLABLE = ('relative_position_index', 'num_batches_tracked')
MAX_LISTED = 20


def _listing(keys: List[str]) -> str:
    """At most :data:`MAX_LISTED` keys, then a count of the rest."""
    shown = ', '.join(keys[:MAX_LISTED])
    rest = len(keys) - MAX_LISTED
    return shown + (f' ... (+{rest} more)' if rest > 0 else '')


def _select_state_dict(ckpt: Mapping[str, Any]) -> Tuple[Dict, str]:
    """The first present of :data:`SOURCE_KEYS`, else the dict itself."""
    for name in SOURCE_KEYS:
        if isinstance(ckpt.get(name), Mapping):
            return dict(ckpt[name]), name
    return dict(ckpt), '<raw>'


def _strip(state_dict: Dict[str, Tensor],
           prefix: str) -> Tuple[Dict[str, Tensor], bool]:
    """Remove ``prefix`` from the keys that start with it."""
    if not any(k.startswith(prefix) for k in state_dict):
        return state_dict, False
    return {
        k[len(prefix):] if k.startswith(prefix) else k: v
        for k, v in state_dict.items()
    }, True


def resize_bias_table(table: Tensor, length: int) -> Tensor:
    """Bicubically resize a ``((2w-1)^2, heads)`` relative-position table.

    Args:
        table (Tensor): ``(L1, heads)``, ``L1`` a square number.
        length (int): Target ``L2`` (a square number).

    Returns:
        Tensor: ``(L2, heads)`` in ``table``'s dtype.
    """
    s1, s2 = round(table.shape[0]**0.5), round(length**0.5)
    if s1 * s1 != table.shape[0] or s2 * s2 != length:
        raise ValueError(f'cannot resize a {tuple(table.shape)} relative '
                         f'position table to {length} rows')
    heads = table.shape[1]
    grid = table.float().permute(1, 0).reshape(1, heads, s1, s1)
    grid = F.interpolate(
        grid, size=(s2, s2), mode='bicubic', align_corners=False)
    return grid.reshape(heads, length).permute(1, 0).to(table.dtype)


def vitae_checkpoint_filter_fn(
        state_dict_or_checkpoint: Mapping[str, Any],
        model: nn.Module,
        prefix: str = '') -> Tuple['OrderedDict[str, Tensor]', Dict]:
    """Convert an official ViTAEv2 checkpoint for ``model``.

    Args:
        state_dict_or_checkpoint (Mapping): A loaded checkpoint (``{'model':
            ...}``, ``{'state_dict_ema': ...}``, ...) or a state dict.
        model (nn.Module): The target backbone (a
            :class:`ViTAEv2WindowNoShift`), giving the expected keys and
            shapes (window size of the tables).
        prefix (str): Prepended to every output key, e.g. ``'backbone.'``.
            Defaults to ''.

    Returns:
        tuple: The state dict (every key of ``model.state_dict()``, with
        ``prefix``) and a report dict: ``source`` (which entry was used),
        ``stripped`` (prefixes removed), ``dropped`` (keys not in the
        backbone), ``resized`` (bias tables resized, with shapes),
        ``filled`` (buffers taken from the model).

    Raises:
        ValueError: The checkpoint lacks backbone weights or has weights of
            another shape: the message names them (wrong architecture or
            settings).
    """
    if not isinstance(state_dict_or_checkpoint, Mapping):
        raise ValueError('expected a checkpoint dict or a state dict, got '
                         f'{type(state_dict_or_checkpoint).__name__}')
    state_dict, source = _select_state_dict(state_dict_or_checkpoint)
    stripped = []
    for p in STRIP_PREFIXES:
        state_dict, done = _strip(state_dict, p)
        if done:
            stripped.append(p)
    target = model.state_dict()
    out: 'OrderedDict[str, Tensor]' = OrderedDict()
    resized, filled, missing, mismatched = [], [], [], []
    for key, ref in target.items():
        value = state_dict.get(key)
        if value is None or not isinstance(value, Tensor):
            if key.rsplit('.', 1)[-1] in FILLABLE:
                out[prefix + key] = ref.clone()
                filled.append(key)
            else:
                missing.append(key)
            continue
        if value.shape != ref.shape:
            if key.endswith('relative_position_bias_table') and \
                    value.dim() == 2 and value.shape[1] == ref.shape[1]:
                try:
                    new = resize_bias_table(value, ref.shape[0])
                except ValueError:
                    mismatched.append(key)
                    continue
                resized.append(f'{key}: {tuple(value.shape)} -> '
                               f'{tuple(ref.shape)}')
                value = new
            elif key.endswith('relative_position_index'):
                value = ref.clone()
                filled.append(key)
            else:
                mismatched.append(f'{key}: checkpoint {tuple(value.shape)}'
                                  f', model {tuple(ref.shape)}')
                continue
        out[prefix + key] = value
    dropped = sorted(k for k in state_dict if k not in target)
    if missing or mismatched:
        problems = []
        if missing:
            problems.append(f'{len(missing)} of {len(target)} backbone keys '
                            f'are missing: {_listing(missing)}')
        if mismatched:
            problems.append(f'{len(mismatched)} have another shape: '
                            f'{_listing(mismatched)}')
        if dropped:
            problems.append(f'{len(dropped)} checkpoint keys are not '
                            f'backbone keys: {_listing(dropped)}')
        raise ValueError(
            'not a checkpoint of this ViTAEv2 backbone (wrong architecture '
            f'or settings; source entry {source!r}): ' + '; '.join(problems))
    report = dict(
        source=source,
        stripped=stripped,
        dropped=dropped,
        resized=resized,
        filled=filled)
    return out, report
