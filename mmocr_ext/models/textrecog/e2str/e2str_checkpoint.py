# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STR weights: MAE ViT checkpoints and official E2STR checkpoints.

MAE (Union14M's ViT-B/4, spec A2.1): ``{'model': timm ViT state}`` or a
bare state. :func:`filter_mae_state_dict` keeps the encoder keys, which
are already :class:`~.E2STRViT`'s (timm) names:

=================================== =====================================
MAE key                             treatment
=================================== =====================================
``module.`` then ``encoder.``       stripped when leading
``decoder_*`` (decoder_embed,       dropped (MAE decoder)
decoder_pos_embed, decoder_blocks,
decoder_norm, decoder_pred)
``mask_token``                      dropped
``cls_token``                       dropped unless ``load_cls_token``
                                    (the official mapping skips it)
every other key                     kept: ``pos_embed``,
                                    ``patch_embed.proj.*``, ``blocks.*``,
                                    ``norm.*``
=================================== =====================================

Official E2STR checkpoints (the mmocr recognizer ``Flamingo`` wrapping an
OpenFlamingo model, saved by the official ``ICLCheckpointHook``; spec A8,
C3) -> :class:`~.E2STR` (:func:`official_to_ours`; the file may be a bare
state dict or ``{'state_dict': ...}``; :func:`ours_to_official` is the
inverse). Every official key starts with ``model.``. Abbreviations:
``V`` = ``vision_encoder``; ``B.i`` = ``V.transformer.resblocks.i``
(official) / ``V.blocks.i`` (ours); ``L`` = ``lang_encoder`` (official) /
``language_model.lm`` (ours, an HF ``OPTForCausalLM``).

==================================== =====================================
official key (after ``model.``)      ours
==================================== =====================================
``V.class_embedding`` (C,)           ``V.cls_token`` (1, 1, C)
``V.positional_embedding`` (257, C)  ``V.pos_embed`` (1, 257, C)
``V.conv1.{weight,bias}``            ``V.patch_embed.proj.{weight,bias}``
``B.i.ln_1.*`` / ``B.i.ln_2.*``      ``B.i.norm1.*`` / ``B.i.norm2.*``
``B.i.attn.in_proj_{weight,bias}``   ``B.i.attn.qkv.{weight,bias}``
``B.i.attn.out_proj.*``              ``B.i.attn.proj.*``
``B.i.mlp.c_fc.*`` / ``c_proj.*``    ``B.i.mlp.fc1.*`` / ``fc2.*``
``V.ln_post.*``                      ``V.norm.*``
``V.proj`` (C, 512)                  dropped: the unused CLIP projection
``perceiver.*``                      ``perceiver.*`` (same names)
``L.model.decoder.*``,               ``L.*`` (same names)
``L.lm_head.weight``
``L.gated_cross_attn_layers.i.*``    dropped: alias of ``L.model.decoder.``
                                     ``layers.i.gated_cross_attn_layer.*``
``L.old_decoder_blocks.i.*``         dropped: alias of ``L.model.decoder.``
                                     ``layers.i.decoder_layer.*``
``data_preprocessor.{mean,std}``     dropped: non-persistent buffers set by
(no ``model.``; not saved, spec C3)  the config
==================================== =====================================

``L.model.decoder.*`` holds ``embed_tokens``, ``embed_positions``,
``final_layer_norm`` and ``layers.i.decoder_layer.*`` (the OPT layer) /
``layers.i.gated_cross_attn_layer.{attn.{norm,to_q,to_kv,to_out},
attn_gate,ff.{0,1,3},ff_gate}``; ``perceiver.*`` is ``latents``,
``layers.i.0.{norm_media,norm_latents,to_q,to_kv,to_out}``,
``layers.i.1.{0,1,3}`` and ``norm``.

The ``[q; k; v]`` row order of ``in_proj_weight`` is that of timm's
``qkv``, so no tensor is permuted. An alias must equal its canonical
tensor and ``lm_head.weight`` must equal ``embed_tokens.weight`` (both
models tie them), otherwise the conversion fails. A leading ``module.``
(DDP) is stripped, and a bare OpenFlamingo state (``vision_encoder.*``,
``perceiver.*``, ``lang_encoder.*``) is accepted.
"""
import re
from collections import OrderedDict
from typing import Dict, List, Mapping, Tuple

import torch
from torch import Tensor

#: MAE keys dropped by :func:`filter_mae_state_dict` (prefix match).
MAE_DROPPED_PREFIXES = ('decoder_', 'mask_token')
#: Prefixes stripped from MAE keys (DDP, mmpretrain-style wrappers).
MAE_STRIPPED_PREFIXES = ('module.', 'encoder.')

OFFICIAL_VIT = 'model.vision_encoder.'
OFFICIAL_PERCEIVER = 'model.perceiver.'
OFFICIAL_LM = 'model.lang_encoder.'
OURS_VIT = 'vision_encoder.'
OURS_PERCEIVER = 'perceiver.'
OURS_LM = 'language_model.lm.'
LAYERS = 'model.decoder.layers.'
EMBED_TOKENS = 'model.decoder.embed_tokens.weight'
LM_HEAD = 'lm_head.weight'
#: Official alias lists -> the attribute of ``layers.i`` they alias.
ALIASES = {
    'gated_cross_attn_layers.': 'gated_cross_attn_layer',
    'old_decoder_blocks.': 'decoder_layer',
}
#: Keys every official E2STR checkpoint has.
REQUIRED_KEYS = (
    OFFICIAL_VIT + 'class_embedding',
    OFFICIAL_VIT + 'positional_embedding',
    OFFICIAL_VIT + 'conv1.weight',
    OFFICIAL_VIT + 'transformer.resblocks.0.attn.in_proj_weight',
    OFFICIAL_PERCEIVER + 'latents',
    OFFICIAL_LM + EMBED_TOKENS,
    OFFICIAL_LM + LAYERS + '0.decoder_layer.',
    OFFICIAL_LM + LAYERS + '0.gated_cross_attn_layer.',
)
#: Official keys dropped without a counterpart, with the reason.
DROPPED_OFFICIAL = {
    OFFICIAL_VIT + 'proj': 'unused CLIP projection of the vision encoder',
    'data_preprocessor.mean': 'non-persistent buffer, set by the config',
    'data_preprocessor.std': 'non-persistent buffer, set by the config',
}

# (official suffix, ours suffix) inside one ViT block / the ViT
_BLOCK_MAP = (
    ('ln_1.', 'norm1.'),
    ('attn.in_proj_weight', 'attn.qkv.weight'),
    ('attn.in_proj_bias', 'attn.qkv.bias'),
    ('attn.out_proj.', 'attn.proj.'),
    ('ln_2.', 'norm2.'),
    ('mlp.c_fc.', 'mlp.fc1.'),
    ('mlp.c_proj.', 'mlp.fc2.'),
)
_VIT_MAP = (
    ('conv1.', 'patch_embed.proj.'),
    ('ln_post.', 'norm.'),
)
_OFFICIAL_BLOCK = re.compile(r'^transformer\.resblocks\.(\d+)\.(.+)$')
_OURS_BLOCK = re.compile(r'^blocks\.(\d+)\.(.+)$')


def _unwrap(checkpoint: Mapping) -> Mapping[str, Tensor]:
    """The state dict of a training checkpoint, or the mapping itself."""
    for key in ('state_dict', 'model'):
        if isinstance(checkpoint.get(key), Mapping):
            return checkpoint[key]
    return checkpoint


def _strip(key: str, prefixes: Tuple[str, ...]) -> str:
    """Strip each of ``prefixes`` in turn when ``key`` starts with it."""
    for prefix in prefixes:
        if key.startswith(prefix):
            key = key[len(prefix):]
    return key


# ---------------------------------------------------------------------- MAE
def filter_mae_state_dict(
        ckpt: Mapping,
        load_cls_token: bool = False) -> Tuple[Dict[str, Tensor], List[str]]:
    """Keep the encoder keys of an MAE ViT checkpoint (module docstring).

    Args:
        ckpt (Mapping): ``{'model': state}`` (MAE's layout),
            ``{'state_dict': state}`` or a bare state dict.
        load_cls_token (bool): Keep ``cls_token``. Defaults to False (the
            official mapping leaves the class embedding random).

    Returns:
        tuple[dict, list[str]]: The state for :class:`~.E2STRViT` and the
        dropped keys (as in the file).

    Raises:
        TypeError: ``ckpt`` is not a mapping of tensors.
    """
    if not isinstance(ckpt, Mapping):
        raise TypeError(f'MAE checkpoint must be a dict, got {type(ckpt)}')
    state, dropped = OrderedDict(), []
    for key, value in _unwrap(ckpt).items():
        name = _strip(key, MAE_STRIPPED_PREFIXES)
        if not isinstance(value, Tensor):
            raise TypeError(f'MAE checkpoint: {key!r} is not a tensor')
        if (name.startswith(MAE_DROPPED_PREFIXES)
                or (name == 'cls_token' and not load_cls_token)):
            dropped.append(key)
            continue
        state[name] = value
    return state, dropped


# ----------------------------------------------------------------- official
def _vit_to_ours(name: str, value: Tensor) -> Tuple[str, Tensor]:
    """open_clip ViT name (without prefix) -> timm name and tensor."""
    if name == 'class_embedding':
        return 'cls_token', value.reshape(1, 1, -1)
    if name == 'positional_embedding':
        return 'pos_embed', value.unsqueeze(0)
    for old, new in _VIT_MAP:
        if name.startswith(old):
            return new + name[len(old):], value
    match = _OFFICIAL_BLOCK.match(name)
    if match:
        index, rest = match.groups()
        for old, new in _BLOCK_MAP:
            if rest.startswith(old):
                return f'blocks.{index}.{new}{rest[len(old):]}', value
    raise ValueError(f'unknown vision encoder key {OFFICIAL_VIT + name!r} '
                     '(not in the E2STR open_clip ViT layout, e.g. an '
                     'ln_pre the official model does not have)')


def _vit_to_official(name: str, value: Tensor) -> Tuple[str, Tensor]:
    """timm name (without prefix) -> open_clip name and tensor."""
    if name == 'cls_token':
        return 'class_embedding', value.reshape(-1)
    if name == 'pos_embed':
        return 'positional_embedding', value.squeeze(0)
    for old, new in _VIT_MAP:
        if name.startswith(new):
            return old + name[len(new):], value
    match = _OURS_BLOCK.match(name)
    if match:
        index, rest = match.groups()
        for old, new in _BLOCK_MAP:
            if rest.startswith(new):
                return (f'transformer.resblocks.{index}.{old}'
                        f'{rest[len(new):]}', value)
    raise ValueError(f'E2STRViT key {OURS_VIT + name!r} has no official '
                     'counterpart')


def _normalise_prefix(state: Mapping[str, Tensor],
                      report: List[str]) -> Dict[str, Tensor]:
    """Strip DDP's ``module.``; add ``model.`` to a bare OpenFlamingo
    state."""
    keys = list(state)
    if keys and all(k.startswith('module.') for k in keys):
        state = {k[len('module.'):]: v for k, v in state.items()}
        report.append("stripped: prefix 'module.' (DDP)")
    bare = ('vision_encoder.', 'perceiver.', 'lang_encoder.')
    if any(k.startswith(bare)
           for k in state) and not any(k.startswith('model.') for k in state):
        state = {
            ('model.' + k if k.startswith(bare) else k): v
            for k, v in state.items()
        }
        report.append("added: prefix 'model.' (bare OpenFlamingo state)")
    return dict(state)


def check_official_layout(state: Mapping[str, Tensor]) -> None:
    """Check that ``state`` is an official E2STR recognizer state.

    Raises:
        ValueError: Naming the missing keys.
    """
    from ...common.checkpoint_keys import check_required_keys
    check_required_keys(state, REQUIRED_KEYS,
                        'an official E2STR (OpenFlamingo) checkpoint')


def official_to_ours(state: Mapping) -> Tuple[Dict[str, Tensor], List[str]]:
    """Map an official E2STR checkpoint onto :class:`~.E2STR`.

    Args:
        state (Mapping): The official recognizer state dict (keys
            ``model.vision_encoder.*``, ``model.perceiver.*``,
            ``model.lang_encoder.*``), or a checkpoint holding it under
            ``state_dict`` / ``model``.

    Returns:
        tuple[dict, list[str]]: Our state dict and the report: one line per
        dropped key with its reason (``dropped: KEY (reason)``), aliases
        summarised per list, and prefix changes.

    Raises:
        ValueError: Not an official E2STR checkpoint (the missing keys are
            named), an alias that differs from (or lacks) its canonical
            tensor, ``lm_head.weight`` differing from ``embed_tokens``, or
            an unknown key.
    """
    report: List[str] = []
    state = _normalise_prefix(_unwrap(state), report)
    check_official_layout(state)
    new_state: Dict[str, Tensor] = OrderedDict()
    aliases = {name: 0 for name in ALIASES}
    unknown = []
    for key, value in state.items():
        if key in DROPPED_OFFICIAL:
            report.append(f'dropped: {key} ({DROPPED_OFFICIAL[key]})')
        elif key.startswith(OFFICIAL_VIT):
            name, value = _vit_to_ours(key[len(OFFICIAL_VIT):], value)
            new_state[OURS_VIT + name] = value
        elif key.startswith(OFFICIAL_PERCEIVER):
            new_state[OURS_PERCEIVER + key[len(OFFICIAL_PERCEIVER):]] = value
        elif key.startswith(OFFICIAL_LM):
            name = key[len(OFFICIAL_LM):]
            alias = next((a for a in ALIASES if name.startswith(a)), None)
            if alias is None:
                new_state[OURS_LM + name] = value
                continue
            index, _, rest = name[len(alias):].partition('.')
            canonical = f'{OFFICIAL_LM}{LAYERS}{index}.{ALIASES[alias]}.{rest}'
            if canonical not in state:
                raise ValueError(f'alias {key} has no canonical tensor '
                                 f'{canonical}')
            other = state[canonical]
            if (value.shape != other.shape or value.dtype != other.dtype
                    or not torch.equal(value, other)):
                raise ValueError(
                    f'alias {key} differs from {canonical}: the official '
                    'model shares these modules, so the checkpoint is '
                    'inconsistent')
            aliases[alias] += 1
        else:
            unknown.append(key)
    if unknown:
        raise ValueError(f'unknown keys (not E2STR): {unknown}')
    for alias, count in aliases.items():
        if count:
            report.append(f'dropped: {count} alias keys {OFFICIAL_LM}{alias}* '
                          f'(shared with {LAYERS}i.{ALIASES[alias]}.*)')
    head, embed = OURS_LM + LM_HEAD, OURS_LM + EMBED_TOKENS
    if head in new_state and not torch.equal(new_state[head],
                                             new_state[embed]):
        raise ValueError(f'{OFFICIAL_LM}{LM_HEAD} differs from '
                         f'{OFFICIAL_LM}{EMBED_TOKENS}; E2STR ties them')
    return new_state, report


def ours_to_official(state: Mapping[str, Tensor],
                     proj_dim: int = 512) -> Dict[str, Tensor]:
    """Our :class:`~.E2STR` state dict in the official layout.

    The inverse of :func:`official_to_ours`, aliases included (they share
    the canonical tensors, as in a saved official state dict). Used to
    test the converter and to export.

    Args:
        state (Mapping): ``E2STR.state_dict()``.
        proj_dim (int): Width of the unused CLIP projection
            ``vision_encoder.proj`` to add (zeros); 0 adds none. Defaults
            to 512 (the official ViT-B).

    Returns:
        dict: ``model.*`` keys as the official recognizer saves them.

    Raises:
        ValueError: A key outside ``vision_encoder``, ``perceiver`` and
            ``language_model.lm``.
    """
    out: Dict[str, Tensor] = OrderedDict()
    aliases: Dict[str, Tensor] = OrderedDict()
    width = None
    layer = re.compile(r'^' + re.escape(LAYERS) + r'(\d+)\.(' +
                       '|'.join(ALIASES.values()) + r')\.(.+)$')
    alias_of = {v: k for k, v in ALIASES.items()}
    for key, value in state.items():
        if key.startswith(OURS_VIT):
            name, value = _vit_to_official(key[len(OURS_VIT):], value)
            out[OFFICIAL_VIT + name] = value
            if name == 'class_embedding':
                width = value.numel()
        elif key.startswith(OURS_PERCEIVER):
            out[OFFICIAL_PERCEIVER + key[len(OURS_PERCEIVER):]] = value
        elif key.startswith(OURS_LM):
            name = key[len(OURS_LM):]
            out[OFFICIAL_LM + name] = value
            match = layer.match(name)
            if match:
                index, attr, rest = match.groups()
                aliases[f'{OFFICIAL_LM}{alias_of[attr]}{index}.{rest}'] = value
        else:
            raise ValueError(f'{key!r} has no official counterpart')
    if proj_dim and width is not None:
        out[OFFICIAL_VIT + 'proj'] = torch.zeros(width, proj_dim)
    out.update(aliases)
    return out
