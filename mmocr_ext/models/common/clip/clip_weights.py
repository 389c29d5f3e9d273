# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Read CLIP ResNet weights and map them onto our CLIP modules.

CLIP is Radford et al., "Learning Transferable Visual Models From Natural
Language Supervision" (ICML 2021); the ResNet variant ("ModifiedResNet") is
described in its Sec. 2.4. Two source formats are read by
:func:`load_clip_state_dict`:

- OpenAI's TorchScript archive (``RN50.pt``; fp16 weights). ``torch.load``
  cannot read it; it is opened with ``torch.jit.load(path,
  map_location='cpu')`` and only its ``state_dict()`` is kept.
- An open_clip state dict or training checkpoint (``torch.load`` with
  ``weights_only=True``; optionally nested under ``state_dict``, optionally
  with DDP's ``module.`` prefix). open_clip's ResNet CLIP models use the same
  key names as OpenAI's.

:func:`convert_clip_state_dict` then splits the flat CLIP dict into the state
dicts of :class:`CLIPResNetWithAttention` (image) and
:class:`CLIPTextContextEncoder` (text). A model that holds these modules
adds its own prefixes to the two results:

==================================== ===================================
CLIP key                             module key
==================================== ===================================
``visual.<name>``                    image: ``<name>`` (every key)
``visual.attnpool.positional_        image: ``attnpool.positional_
embedding`` (1 + 7*7, 2048)          embedding`` (1 + (R/32)^2, 2048),
                                     class row kept, grid bilinearly
                                     resized (R = input_resolution)
``transformer.<name>``               text: ``transformer.<name>``
``token_embedding.weight``           text: ``token_embedding.weight``
``positional_embedding`` (77, 512)   text: ``positional_embedding``
                                     (context_length, 512), first rows
``ln_final.{weight,bias}``           text: ``ln_final.{weight,bias}``
``text_projection`` (512, 1024)      text: ``text_projection``
``logit_scale``, ``logit_bias``,     dropped (not parts of the two
``input_resolution``,                encoders)
``context_length``, ``vocab_size``,
``attn_mask``
==================================== ===================================

Any other key is dropped with a warning. All values come back as float32
(integer buffers such as ``num_batches_tracked`` keep their dtype).
"""
import warnings
import zipfile
from typing import Dict, Optional, Tuple

import torch
from torch import Tensor

from .dense_attention_pool2d import resize_attnpool_pos_embed

#: Keys of a CLIP state dict that belong to neither encoder.
IGNORED_CLIP_KEYS = ('logit_scale', 'logit_bias', 'input_resolution',
                     'context_length', 'vocab_size', 'attn_mask')
#: Prefixes (or exact keys) that go to the text encoder unchanged.
TEXT_ENCODER_KEYS = ('transformer.', 'token_embedding.', 'ln_final.',
                     'text_projection')
_POS_EMBED = 'attnpool.positional_embedding'


def _is_torchscript_archive(path: str) -> bool:
    """Whether ``path`` is a TorchScript zip (it has a ``code/`` folder)."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return any('/code/' in name for name in archive.namelist())


def _to_float32(state_dict: Dict[str, Tensor]) -> Dict[str, Tensor]:
    """Floating tensors to float32 (detached); others unchanged."""
    return {
        key: (value.detach().float()
              if value.is_floating_point() else value.detach())
        for key, value in state_dict.items()
    }


def load_clip_state_dict(path: str) -> Dict[str, Tensor]:
    """Read the flat CLIP state dict from an OpenAI or open_clip file.

    Args:
        path (str): OpenAI's TorchScript ``RN50.pt`` (fp16), or an open_clip
            state dict / checkpoint saved with ``torch.save``.

    Returns:
        dict[str, Tensor]: CLIP keys (``visual.*``, ``transformer.*``,
        ``token_embedding.weight``, ``positional_embedding``,
        ``ln_final.*``, ``text_projection``, ``logit_scale`` and possibly
        the non-weight entries listed in :data:`IGNORED_CLIP_KEYS`) to
        float32 tensors.

    Raises:
        ValueError: If the file holds no tensor state dict.
    """
    if _is_torchscript_archive(path):
        with warnings.catch_warnings():  # torch.jit's deprecation notice
            warnings.simplefilter('ignore', FutureWarning)
            state_dict = torch.jit.load(path, map_location='cpu').state_dict()
    else:
        state_dict = torch.load(path, map_location='cpu', weights_only=True)
        if isinstance(state_dict, dict) and isinstance(
                state_dict.get('state_dict'), dict):
            state_dict = state_dict['state_dict']
    if not isinstance(state_dict, dict) or not all(
            isinstance(v, Tensor) for v in state_dict.values()):
        raise ValueError(f'{path}: not a CLIP state dict of tensors')
    if state_dict and all(k.startswith('module.') for k in state_dict):
        state_dict = {k[len('module.'):]: v for k, v in state_dict.items()}
    return _to_float32(state_dict)


def convert_clip_state_dict(
    state_dict: Dict[str, Tensor],
    input_resolution: Optional[int] = None,
    context_length: Optional[int] = None
) -> Tuple[Dict[str, Tensor], Dict[str, Tensor]]:
    """Split a CLIP ResNet state dict into image- and text-encoder weights.

    See the module docstring for the key map. The results load with
    ``strict=True`` into ``CLIPResNetWithAttention(input_resolution=...)``
    and ``CLIPTextContextEncoder(context_length=...)`` built with the
    matching architecture (:func:`clip_arch_from_state_dict`; RN50: the
    defaults).

    Args:
        state_dict (dict[str, Tensor]): From :func:`load_clip_state_dict`.
        input_resolution (int, optional): Resolution the image encoder is
            built for (a multiple of 32); the attention-pool positional
            embedding is resized to its ``input_resolution / 32`` grid.
            Defaults to None (CLIP's own grid, 7 x 7 for RN50 at 224 px).
        context_length (int, optional): Rows kept of the text positional
            embedding (the text encoder's ``context_length``). Defaults to
            None (all of CLIP's 77).

    Returns:
        tuple[dict, dict]: The image-encoder and the text-encoder state
        dicts (keys without prefix).

    Raises:
        ValueError: If the dict is not a ModifiedResNet CLIP (e.g. a ViT),
            ``input_resolution`` is not a multiple of 32 or
            ``context_length`` exceeds CLIP's.
    """
    if 'visual.' + _POS_EMBED not in state_dict:
        raise ValueError('no visual.attnpool.positional_embedding: only '
                         'CLIP ResNet (ModifiedResNet) weights are supported')
    if input_resolution is not None and input_resolution % 32 != 0:
        raise ValueError('input_resolution must be a multiple of 32, got '
                         f'{input_resolution}')
    image_sd, text_sd, unknown = {}, {}, []
    for key, value in state_dict.items():
        if key.startswith('visual.'):
            image_sd[key[len('visual.'):]] = value
        elif key.startswith(TEXT_ENCODER_KEYS):
            text_sd[key] = value
        elif key == 'positional_embedding':
            rows = value.shape[0] if context_length is None else context_length
            if rows > value.shape[0]:
                raise ValueError(f'context_length={context_length} exceeds '
                                 f'the {value.shape[0]} rows of CLIP')
            text_sd[key] = value[:rows].clone()
        elif key not in IGNORED_CLIP_KEYS:
            unknown.append(key)
    if unknown:
        warnings.warn(
            f'convert_clip_state_dict: dropped unknown keys {unknown}')
    if input_resolution is not None:
        grid = input_resolution // 32
        image_sd[_POS_EMBED] = resize_attnpool_pos_embed(
            image_sd[_POS_EMBED], (grid, grid)).clone()
    return image_sd, text_sd


def clip_arch_from_state_dict(
        state_dict: Dict[str, Tensor]) -> Tuple[dict, dict]:
    """Infer the constructor arguments of both encoders from CLIP weights.

    Layer counts and widths are read from the shapes, as CLIP's
    ``build_model`` does; head counts follow CLIP's convention (image:
    ``width * 32 // 64``, text: ``transformer_width // 64``) since they are
    not visible in the weights. ``input_resolution`` and
    ``context_length`` are left to the caller.

    Args:
        state_dict (dict[str, Tensor]): A CLIP ResNet state dict.

    Returns:
        tuple[dict, dict]: Keyword arguments for
        ``CLIPResNetWithAttention`` (``layers``, ``width``, ``output_dim``,
        ``heads``) and ``CLIPTextContextEncoder`` (``vocab_size``,
        ``transformer_width``, ``transformer_heads``,
        ``transformer_layers``, ``embed_dim``).
    """
    layers = tuple(
        len({
            k.split('.')[2]
            for k in state_dict if k.startswith(f'visual.layer{i}.')
        }) for i in range(1, 5))
    width = state_dict['visual.conv3.weight'].shape[0]
    text_width, embed_dim = state_dict['text_projection'].shape
    text_layers = len({
        k.split('.')[2]
        for k in state_dict if k.startswith('transformer.resblocks.')
    })
    image_kwargs = dict(
        layers=layers,
        width=width,
        output_dim=state_dict['visual.attnpool.c_proj.weight'].shape[0],
        heads=max(1, width * 32 // 64))
    text_kwargs = dict(
        vocab_size=state_dict['token_embedding.weight'].shape[0],
        transformer_width=text_width,
        transformer_heads=max(1, text_width // 64),
        transformer_layers=text_layers,
        embed_dim=embed_dim)
    return image_kwargs, text_kwargs
