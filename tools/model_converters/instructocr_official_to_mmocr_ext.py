# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Convert an official InstructOCR checkpoint for mmocr_ext.

    python tools/model_converters/instructocr_official_to_mmocr_ext.py \\
        IN OUT [--config configs/textspot/instructocr/<config>.py]

The official file is ``{'model', 'optimizer', 'lr_scheduler', 'epoch',
'args'}`` (``args`` a pickled ``argparse.Namespace``); it is read with
``weights_only=True`` (mmocr_ext's allow-list admits the Namespace, nothing
else). A bare state dict, or one whose keys all start with ``module.``
(DDP), is accepted too. Only ``model`` is converted, by renaming
(official -> ours, first matching rule; the tensors are unchanged):

================================  =====================================
official                          ours (``InstructOCR``)
================================  =====================================
``visual.<name>``                 ``backbone.<name>``
``final.<name>``                  ``encoder.input_proj.<name>``
``text_projection`` (768, 256)    ``encoder.text_encoder.text_projection``
``transformer.embedding.<name>``  ``decoder.embedding.<name>``
``transformer.encoder.<name>``    ``encoder.<name>``
``transformer.decoder.<name>``    ``decoder.<name>``
``transformer.vocab_embed.        ``decoder.vocab_embed.<name>``
layers.0.<name>``
================================  =====================================

``<name>`` is kept: the image trunk (``conv1..3``, ``bn1..3``,
``layer{1-4}.k.*`` with ``downsample.{0,1}``), the fusion blocks
(``feature_fusion_layers.i.{layer_norm_v,layer_norm_l,gamma_v,attn.{v_proj,
l_proj,values_l_proj,out_v_proj}}``), ``norm_ca``, the encoder and decoder
layers (``layers.i.{self_attn.{in_proj_weight,in_proj_bias,out_proj},
multihead_attn.*,linear1,linear2,norm1..3}``), ``norm`` and the embeddings
(``word_embeddings``, ``position_embeddings``, ``LayerNorm``) have the
official names in our modules. Nothing is dropped: BERT is in neither state
dict (frozen, loaded from its own files), and the data preprocessor's
mean/std are non-persistent buffers.

The result is checked against the model of ``--config`` (default: the
released sizes, ``_base_instructocr_clip-r50.py``, built with a one-layer
random BERT of the same width, which is all ``text_projection``'s shape
depends on): an official key no rule maps, a key the model lacks, a key
the model needs that the checkpoint lacks or a shape mismatch fails the
conversion (exit 1, nothing written, every such key named). A file that
is not an InstructOCR checkpoint is refused (exit 2). The output
(``{'state_dict', 'meta'}``, ``meta.source_epoch`` = the official
``epoch``) is written atomically.
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Optional, Tuple

import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT_CONFIG = osp.join(REPO, 'configs', 'textspot', 'instructocr',
                          '_base_instructocr_clip-r50.py')

#: (official, ours): a key ending in ``.`` is a prefix, else an exact key.
KEY_MAP: List[Tuple[str, str]] = [
    ('visual.', 'backbone.'),
    ('final.', 'encoder.input_proj.'),
    ('text_projection', 'encoder.text_encoder.text_projection'),
    ('transformer.embedding.', 'decoder.embedding.'),
    ('transformer.encoder.', 'encoder.'),
    ('transformer.decoder.', 'decoder.'),
    ('transformer.vocab_embed.layers.0.', 'decoder.vocab_embed.'),
]

#: Keys (or prefixes) by which an official InstructOCR checkpoint is known.
REQUIRED_OFFICIAL = ('visual.conv1.weight', 'final.weight', 'text_projection',
                     'transformer.embedding.', 'transformer.encoder.',
                     'transformer.decoder.',
                     'transformer.vocab_embed.layers.0.')


def _rename(key: str, rules: List[Tuple[str, str]]) -> Optional[str]:
    """Apply the rule with the longest matching source (None if none)."""
    best = None
    for src, dst in rules:
        hit = key.startswith(src) if src.endswith('.') else key == src
        if hit and (best is None or len(src) > len(best[0])):
            best = (src, dst)
    return None if best is None else best[1] + key[len(best[0]):]


def official_key_to_ours(key: str) -> Optional[str]:
    """Our name of official ``key`` (None when no rule maps it)."""
    return _rename(key, KEY_MAP)


def our_key_to_official(key: str) -> Optional[str]:
    """The official name of our ``key`` (None when no rule maps it).

    BERT (``encoder.text_encoder.*`` other than ``text_projection``) has no
    official name.
    """
    if (key.startswith('encoder.text_encoder.')
            and key != 'encoder.text_encoder.text_projection'):
        return None
    return _rename(key, [(ours, off) for off, ours in KEY_MAP])


def official_state_dict(
        ckpt: Dict) -> Tuple[Dict[str, torch.Tensor], List[str]]:
    """The weights of an official checkpoint (``model``, else the dict
    itself), without a DDP ``module.`` prefix, and what was done."""
    report = []
    state = ckpt['model'] if isinstance(ckpt.get('model'), dict) else ckpt
    if state and all(k.startswith('module.') for k in state):
        state = {k[len('module.'):]: v for k, v in state.items()}
        report.append("stripped: prefix 'module.' (DDP)")
    from mmocr_ext.models.common.checkpoint_keys import check_required_keys
    check_required_keys(state, REQUIRED_OFFICIAL,
                        'an official InstructOCR checkpoint')
    bad = [k for k, v in state.items() if not isinstance(v, torch.Tensor)]
    if bad:
        raise ValueError(f'non-tensor entries in the weights: {bad}')
    return state, report


def official_to_ours(ckpt: Dict) -> Tuple[Dict[str, torch.Tensor], List[str]]:
    """Rename an official InstructOCR checkpoint's weights to ours.

    Args:
        ckpt (dict): The official file (``{'model': ..., ...}``) or its
            ``model`` state dict.

    Returns:
        tuple(dict, list[str]): Our state dict and the report lines.

    Raises:
        ValueError: If it is not an InstructOCR checkpoint, or names the
            official keys no rule maps.
    """
    state, report = official_state_dict(ckpt)
    ours, unmapped = {}, []
    for key, value in state.items():
        new = official_key_to_ours(key)
        if new is None:
            unmapped.append(key)
        else:
            ours[new] = value
    if unmapped:
        raise ValueError(f'{len(unmapped)} official keys have no mmocr_ext '
                         f'name: {unmapped}')
    return ours, report


def ours_to_official(state_dict: Dict[str, torch.Tensor]) -> Dict:
    """Our state dict in the official layout (the inverse map; tests).

    Raises:
        ValueError: Naming our keys that have no official name.
    """
    out, unmapped = {}, []
    for key, value in state_dict.items():
        new = our_key_to_official(key)
        if new is None:
            unmapped.append(key)
        else:
            out[new] = value
    if unmapped:
        raise ValueError(f'keys without an official name: {unmapped}')
    return out


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='official InstructOCR checkpoint (.pth)')
    parser.add_argument('dst', help='output checkpoint for mmocr_ext')
    parser.add_argument(
        '--config',
        default=DEFAULT_CONFIG,
        help='check the keys and shapes against this model config '
        '(default: the released sizes)')
    return parser.parse_args(argv)


def build_model(config: str) -> torch.nn.Module:
    """Build the model of an InstructOCR config, with a random one-layer
    BERT of the configured width (BERT has no keys; only its width sets
    ``text_projection``'s shape) and no pretrained weights."""
    from mmengine.config import Config
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(config)
    text_cfg = cfg.model.encoder.get('text_encoder')
    if text_cfg is not None:
        text_cfg.pretrained = None
        bert = dict(text_cfg.get('bert_config') or {})
        bert.update(num_hidden_layers=1, intermediate_size=8)
        text_cfg.bert_config = bert
    return MODELS.build(cfg.model)


def mismatches(state_dict: Dict[str, torch.Tensor],
               model: torch.nn.Module) -> List[str]:
    """Missing, unexpected and mis-shaped keys of ``state_dict`` for
    ``model`` (empty when a strict load succeeds), with official names."""
    from mmocr_ext.models.common.checkpoint_keys import load_mismatches

    def name(key: str) -> str:
        official = our_key_to_official(key)
        return f'{key} (official {official or "name: none"})'

    return load_mismatches(state_dict, model.state_dict(), name)


def main(argv: Optional[List[str]] = None) -> int:
    """Convert, check, save. Returns the exit status."""
    args = parse_args(argv)
    from mmocr_ext.compat import load_checkpoint_safely
    from mmocr_ext.compat.atomic_save import save_converted_checkpoint

    ckpt = load_checkpoint_safely(args.src, map_location='cpu')
    if not isinstance(ckpt, dict):
        print(f'{args.src}: not a checkpoint dict', file=sys.stderr)
        return 2
    try:
        official, report = official_state_dict(ckpt)
    except ValueError as err:
        print(f'{args.src}: {err}', file=sys.stderr)
        return 2
    try:
        state_dict = official_to_ours(official)[0]
    except ValueError as err:
        print(f'{args.src}: {err}', file=sys.stderr)
        return 1
    model = build_model(args.config)
    problems = mismatches(state_dict, model)
    if problems:
        print(
            f'{args.src}: does not load into {args.config} '
            f'({len(problems)} problems):\n' + '\n'.join(problems),
            file=sys.stderr)
        return 1
    model.load_state_dict(state_dict, strict=True)
    state_dict = {k: state_dict[k] for k in model.state_dict()}
    print('\n'.join(report) or 'all keys renamed, none dropped')
    meta = dict(converter='instructocr_official_to_mmocr_ext')
    if isinstance(ckpt.get('epoch'), int):
        meta['source_epoch'] = ckpt['epoch']
    save_converted_checkpoint(state_dict, args.dst, args.src, ckpt, **meta)
    print(f'wrote {args.dst}: {len(state_dict)} tensors')
    return 0


if __name__ == '__main__':
    sys.exit(main())
