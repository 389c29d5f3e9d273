# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The released InstructOCR has the official parameter counts.

SOURCE: spec-e2str-instructocr.md Part C errata ("InstructOCR parameter
counts (official)", counted by running the official code): image encoder
23,527,264; transformer 38,338,732 (embeddings 1,443,328; encoder
17,354,240 of which fusion 4,735,488; decoder 18,927,616; head 613,548);
1x1 projection 1,049,088; text projection 196,608; total 63,111,692, BERT
excluded (it is not in the checkpoint).

The full-size config is built with a one-layer random BERT of the real
width (768): BERT is no parameter of the model, but ``text_projection`` is
(768, 256).
"""
import os.path as osp

import pytest
from mmengine.config import Config
from mmocr.registry import MODELS

from mmocr_ext import register_all_modules
from conftest import REPO

BASE_CFG = osp.join(REPO, 'configs', 'textspot', 'instructocr',
                    '_base_instructocr_clip-r50.py')


def _count(*modules):
    return sum(p.numel() for m in modules for p in m.parameters())


@pytest.fixture(scope='module')
def model():
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(BASE_CFG).model
    text = cfg.encoder.text_encoder
    text.bert_config.update(num_hidden_layers=1, intermediate_size=8)
    text.pretrained = None
    return MODELS.build(cfg)


def test_parts_have_the_official_counts(model):
    enc, dec = model.encoder, model.decoder
    text_projection = enc.text_encoder.text_projection
    assert text_projection.shape == (768, 256)
    # official ``visual`` (ModifiedResNet-50 without attnpool)
    assert _count(model.backbone) == 23_527_264
    # official ``final`` (1x1, 2048 -> 512)
    assert _count(enc.input_proj) == 2048 * 512 + 512 == 1_049_088
    assert text_projection.numel() == 768 * 256 == 196_608
    # official ``transformer``: embedding, encoder, decoder, vocab_embed
    embeddings = _count(dec.embedding)
    assert embeddings == (1196 + 1621) * 512 + 2 * 512 == 1_443_328
    # per fusion block: LN_v, LN_l, gamma_v, v/l/values_l/out_v proj
    fusion_block = (2 * 512 + 2 * 256 + 512 + (512 * 1024 + 1024) + 2 *
                    (256 * 1024 + 1024) + (1024 * 512 + 512))
    fusion = _count(enc.feature_fusion_layers)
    assert fusion == 3 * fusion_block == 4_735_488
    # pre-norm layer: self-attention, FFN 1024, 2 LayerNorms
    attn = 4 * 512 * 512 + 4 * 512
    ffn = 512 * 1024 + 1024 + 1024 * 512 + 512
    assert _count(enc.layers) == 6 * (attn + ffn + 2 * 1024)
    transformer_encoder = _count(enc) - _count(enc.input_proj) - 196_608
    assert transformer_encoder == _count(enc.feature_fusion_layers,
                                         enc.norm_ca, enc.layers, enc.norm)
    assert transformer_encoder == 17_354_240
    transformer_decoder = _count(dec.layers, dec.norm)
    assert transformer_decoder == 6 * (2 * attn + ffn + 3 * 1024) + 1024
    assert transformer_decoder == 18_927_616
    head = _count(dec.vocab_embed)
    assert head == 512 * 1196 + 1196 == 613_548
    assert _count(dec) == embeddings + transformer_decoder + head
    assert (embeddings + transformer_encoder + transformer_decoder +
            head) == 38_338_732


def test_total_excludes_bert(model):
    assert _count(model) == 63_111_692
    assert not any('bert' in k for k in model.state_dict())
    bert = model.encoder.text_encoder.bert
    assert _count(bert) > 0
    ids = {id(p) for p in model.parameters()}
    assert not any(id(p) in ids for p in bert.parameters())
