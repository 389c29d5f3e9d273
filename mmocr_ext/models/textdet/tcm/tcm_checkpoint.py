# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Foreign weights for TCM / FastTCM: official checkpoints and CLIP.

Two pure functions over state dicts, in the style of timm's
``checkpoint_filter_fn`` (the CLIs in ``tools/model_converters/`` only read
and write files around them; ``docs/tcm.md`` explains both conversions):

:func:`checkpoint_filter_fn` maps a checkpoint of the official TCM / FastTCM
code (mmocr 0.4 / mmcv 1.x, ``{meta, state_dict, optimizer}``) onto
:class:`TCM` / :class:`FastTCM`:

=============================== ======================================
official key                    ours
=============================== ======================================
``module.<key>`` (DDP)          ``<key>`` (prefix dropped)
``bbox_head.<name>``            ``det_head.<name>`` (mmocr 1.x name of
                                the head; DBHead names and shapes are
                                unchanged)
``vis_gamma`` (0-dim or (1,))   ``vis_gamma`` (0-dim, or the shape of
                                ``model.vis_gamma`` if given)
``pix_w`` (FastTCM, (C_v, C_t)) ``bsm_proj``, same layout (no
                                transpose: both are used as
                                ``g @ W``); see below
every other key                 unchanged (``backbone.*``,
                                ``text_encoder.*``, ``context_decoder.*``,
                                ``visual_prompt_generator.*``,
                                ``prompt_generator.*``, ``neck.*``,
                                ``contexts``, ``gamma``, ``meta_query``)
=============================== ======================================

FastTCM's bimodal similarity matching (TPAMI 2024) projects the global
image feature ``g`` (``C_v`` = 1024 for RN50) with ``W_pix`` and compares it
element-wise with the text embedding (``C_t`` = 1024 for RN50), so the
projection must be ``C_v x C_t``. The released code declares it
``1024 x 512``, which cannot run with RN50 (the official forward fails with
a shape error); a checkpoint holding such a ``pix_w`` cannot come from a
working model and is refused with a :class:`ValueError` instead of being
loaded into a model it does not fit. ``C_t`` is read from ``gamma`` (or
``model.bsm_proj`` when a model is given).

:func:`clip_to_tcm_state_dict` turns CLIP ResNet weights into the initial
weights of a TCM detector: :func:`convert_clip_state_dict`'s image and text
parts under the detector's ``backbone.`` and ``text_encoder.`` prefixes.
"""
from collections import OrderedDict
from typing import Dict, Mapping, Optional

import torch.nn as nn
from torch import Tensor

from mmocr_ext.models.common.clip import convert_clip_state_dict

#: Prefix renames (official -> ours), applied in order, first match wins.
PREFIX_MAP = (('bbox_head.', 'det_head.'), )
#: Whole-key renames (official -> ours).
KEY_MAP = {'pix_w': 'bsm_proj'}
#: Where the detector keeps its two CLIP encoders.
BACKBONE_PREFIX = 'backbone.'
TEXT_ENCODER_PREFIX = 'text_encoder.'


def _rename(key: str) -> str:
    """Official key -> our key (see the module docstring)."""
    if key.startswith('module.'):
        key = key[len('module.'):]
    for old, new in PREFIX_MAP:
        if key.startswith(old):
            return new + key[len(old):]
    return KEY_MAP.get(key, key)


def _check_bsm_proj(proj: Tensor, state_dict: Mapping[str, Tensor],
                    model: Optional[nn.Module]) -> None:
    """Refuse a BSM projection that cannot map ``g`` to the text width.

    Raises:
        ValueError: If ``proj`` is not 2-D or its shape differs from the
            expected ``(C_v, C_t)``.
    """
    target = getattr(model, 'bsm_proj', None) if model is not None else None
    if isinstance(target, Tensor):
        expected = tuple(target.shape)
    else:
        gamma, query = state_dict.get('gamma'), state_dict.get('meta_query')
        expected = (query.numel() if query is not None else proj.shape[0],
                    gamma.numel() if gamma is not None else proj.shape[-1])
    if proj.dim() != 2 or tuple(proj.shape) != expected:
        raise ValueError(
            f'pix_w has shape {tuple(proj.shape)}, but FastTCM needs '
            f'{expected} (global feature width x text embedding width). '
            'The released FastTCM code declares a 1024 x 512 projection that '
            'cannot be applied to the 1024-d RN50 text embedding (its own '
            'forward fails), so these weights did not come from a working '
            'model; see docs/tcm.md, "Converting weights"')


def checkpoint_filter_fn(
        state_dict: Mapping[str, Tensor],
        model: Optional[nn.Module] = None) -> Dict[str, Tensor]:
    """Map an official TCM / FastTCM state dict onto our keys.

    See the module docstring for the key map. The result loads with
    ``strict=True`` into the :class:`TCM` / :class:`FastTCM` built with the
    matching config (tested on random models saved in the official layout).

    Args:
        state_dict (Mapping[str, Tensor]): The official ``state_dict``, or
            the whole checkpoint ``{meta, state_dict, optimizer}`` (only its
            ``state_dict`` is used; the optimizer state is dropped).
        model (nn.Module, optional): The target model. When given, the
            shapes of ``vis_gamma`` and ``bsm_proj`` are taken from it.
            Defaults to None.

    Returns:
        OrderedDict[str, Tensor]: The converted state dict (same tensors,
        possibly reshaped views).

    Raises:
        KeyError: If two official keys map to the same key.
        ValueError: If ``pix_w`` has a shape FastTCM cannot use.
    """
    if isinstance(state_dict.get('state_dict'), Mapping):
        state_dict = state_dict['state_dict']
    out = OrderedDict()
    for key, value in state_dict.items():
        new_key = _rename(key)
        if new_key in out:
            raise KeyError(f'two official keys map to {new_key}')
        out[new_key] = value
    if 'vis_gamma' in out and out['vis_gamma'].numel() == 1:
        target = getattr(model, 'vis_gamma', None)
        shape = target.shape if isinstance(target, Tensor) else ()
        out['vis_gamma'] = out['vis_gamma'].reshape(shape)
    if 'bsm_proj' in out:
        _check_bsm_proj(out['bsm_proj'], out, model)
    return out


def clip_to_tcm_state_dict(clip_state_dict: Dict[str, Tensor],
                           input_resolution: int = 640,
                           context_length: int = 18) -> Dict[str, Tensor]:
    """Initial TCM weights from a CLIP ResNet state dict.

    Args:
        clip_state_dict (dict[str, Tensor]): From
            :func:`~mmocr_ext.models.common.clip.load_clip_state_dict`.
        input_resolution (int): Training resolution of the detector (sizes
            the attention-pool positional embedding). Defaults to 640.
        context_length (int): The text encoder's sequence length: prompt
            tokens plus learnable context (18 for the 4-token configs, 46
            for the 32-token ones). Defaults to 18.

    Returns:
        dict[str, Tensor]: ``backbone.*`` and ``text_encoder.*`` weights of
        a TCM / FastTCM detector (the other parts keep their
        initialisation).
    """
    image_sd, text_sd = convert_clip_state_dict(
        clip_state_dict,
        input_resolution=input_resolution,
        context_length=context_length)
    out = {BACKBONE_PREFIX + k: v for k, v in image_sd.items()}
    out.update({TEXT_ENCODER_PREFIX + k: v for k, v in text_sd.items()})
    return out
