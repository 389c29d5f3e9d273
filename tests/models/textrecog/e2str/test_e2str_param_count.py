# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Parameter counts of the full-size E2STR parts against the official ones.

Spec C3 (official model, unique tensors): ViT 85,684,992; Perceiver
37,827,072; OPT-125M 125,235,456 + 12 gated cross-attention blocks
75,534,360; total 324,281,880. The parts are built randomly initialised
(no weights are read): ``E2STRViT()``, ``PerceiverResampler()`` and an
``E2STRLanguageModel`` from the OPT-125M config values.

The only difference is the official ViT's unused CLIP projection ``proj``
(768 x 512 = 393,216), which our timm ViT does not have. Everything else
matches tensor for tensor: the official patch conv has a bias after the
E2STR surgery, as ours (768), there is no ``ln_pre`` in either, and
``ln_post`` is our ``norm``.
"""
import os.path as osp

import pytest
from mmengine.config import Config

from mmocr_ext.models.textrecog.e2str import (E2STRLanguageModel, E2STRViT,
                                              PerceiverResampler)

REPO = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))))
OPT_TOKENIZER = osp.join(REPO, 'data', 'tokenizers', 'opt-125m')
#: facebook/opt-125m's config.json (the values that set the sizes).
OPT_125M = Config.fromfile(
    osp.join(REPO, 'configs', 'textrecog', 'e2str',
             '_base_e2str_vit-b4_opt-125m.py')).e2str_opt_125m

SPEC_VIT = 85_684_992
SPEC_PERCEIVER = 37_827_072
SPEC_OPT = 125_235_456
SPEC_XATTN = 75_534_360
SPEC_TOTAL = 324_281_880
#: open_clip's unused CLIP projection (width x embed dim), not in our ViT.
OFFICIAL_PROJ = 768 * 512


def count(module):
    """Unique parameters (``parameters()`` yields a tied tensor once)."""
    return sum(p.numel() for p in module.parameters())


@pytest.fixture(scope='module')
def vit():
    return count(E2STRViT())


@pytest.fixture(scope='module')
def perceiver():
    return count(PerceiverResampler())


@pytest.fixture(scope='module')
def language_model():
    lm = E2STRLanguageModel(tokenizer=OPT_TOKENIZER, config=OPT_125M)
    assert len(lm.tokenizer) == 50267
    assert lm.lm.lm_head.weight is lm.lm.get_input_embeddings().weight
    xattn = sum(
        count(layer.gated_cross_attn_layer) for layer in lm.xattn_layers)
    assert len(lm.xattn_layers) == 12
    return count(lm) - xattn, xattn


def test_vit_is_the_official_one_without_proj(vit):
    # per block: 2 LN (2 x 1536) + qkv (2304 x 768 + 2304) + proj
    # (768 x 768 + 768) + fc1 (3072 x 768 + 3072) + fc2 (768 x 3072 + 768)
    block = 2 * 1536 + 2304 * 769 + 768 * 769 + 3072 * 769 + 768 * 3073
    embed = 768 + 257 * 768 + 768 * 3 * 4 * 4 + 768  # cls, pos, conv+bias
    assert vit == embed + 12 * block + 1536  # + final norm
    assert vit == SPEC_VIT - OFFICIAL_PROJ == 85_291_776


def test_perceiver_matches(perceiver):
    assert perceiver == SPEC_PERCEIVER


def test_language_model_matches(language_model):
    opt, xattn = language_model
    # facebook/opt-125m has 125,239,296 parameters with 50272 token rows;
    # resizing to the tokenizer's 50267 rows removes 5 x 768.
    assert opt == 125_239_296 - 5 * 768 == SPEC_OPT
    assert xattn == SPEC_XATTN


def test_total(vit, perceiver, language_model):
    total = vit + perceiver + sum(language_model)
    assert SPEC_VIT + SPEC_PERCEIVER + SPEC_OPT + SPEC_XATTN == SPEC_TOTAL
    assert total == SPEC_TOTAL - OFFICIAL_PROJ == 323_888_664
