# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The E2STR recognizer: loss, vision training switch, batched decoding."""
import logging

import pytest
import torch

from mmocr_ext.models.textrecog.e2str import beam_decode, greedy_decode
from e2str_tiny import build_toy, images, samples

TEXTS = ['hello', 'ab', 'World', 'x1']


@pytest.mark.parametrize('train_vision', [True, False])
def test_loss_finite_and_vision_gradient_only_when_trained(train_vision):
    model = build_toy(train_vision=train_vision).train()
    loss = model.loss(images(4), samples(TEXTS))['loss']
    assert torch.isfinite(loss) and loss.item() > 0
    loss.backward()
    vit_grads = [
        p.grad for p in model.vision_encoder.parameters()
        if p.grad is not None and p.grad.abs().sum() > 0
    ]
    assert bool(vit_grads) == train_vision
    assert all(p.requires_grad == train_vision
               for p in model.vision_encoder.blocks.parameters())
    # the final norm stays frozen (official ln_post); the rest trains
    assert model.vision_encoder.norm.weight.grad is None
    assert model.perceiver.latents.grad.abs().sum() > 0
    gate = model.language_model.xattn_layers[0].gated_cross_attn_layer
    assert gate.attn_gate.grad.abs().sum() > 0


def test_fresh_gates_give_vision_no_gradient_yet():
    """tanh(0) = 0: a fresh model ignores the image, so only the gates get
    a gradient from the image path (as in Flamingo)."""
    model = build_toy(gates=0.).train()
    model.loss(images(2), samples(TEXTS[:2]))['loss'].backward()
    assert model.vision_encoder.blocks[0].attn.qkv.weight.grad.abs().sum() == 0
    gate = model.language_model.xattn_layers[0].gated_cross_attn_layer
    assert gate.attn_gate.grad.abs().sum() > 0


def test_unencodable_and_empty_labels_are_skipped_and_counted(caplog):
    from mmengine.logging import MessageHub
    model = build_toy().train()
    hub = MessageHub.get_current_instance()
    before = hub.get_info('e2str/skipped_labels', 0)
    data = samples(['ok', 'caf\u00e9', '', 'fine'])
    loss = model.loss(images(4), data)['loss']
    assert torch.isfinite(loss)
    assert hub.get_info('e2str/skipped_labels') == before + 2
    # all skipped: a zero loss that still backpropagates (no DDP hang)
    zero = model.loss(images(1), samples(['\u00e9']))['loss']
    assert zero.item() == 0 and zero.requires_grad
    zero.backward()


def test_unencodable_label_warning_names_the_image(monkeypatch):
    from mmocr_ext.models.textrecog.e2str import e2str
    logged = []
    monkeypatch.setattr(e2str, 'print_log',
                        lambda msg, **kwargs: logged.append((msg, kwargs)))
    model = build_toy().train()
    model.loss(images(2), samples(['ok', 'na\u00efve']))
    (msg, kwargs), = logged
    assert 'img_1.png' in msg and "'\u00ef'" in msg
    assert kwargs['level'] == logging.WARNING


def test_icl_training_packs_views_into_one_sequence():
    model = build_toy(
        train_mode='icl', icl_train_cfg=dict(samples_per_sequence=None))
    model.train()
    data = samples(['hello', 'world', 'abc'])
    views = torch.randint(0, 255, (2, 3, 32, 128), dtype=torch.uint8)
    data[0].set_metainfo(
        dict(
            icl_imgs=views,
            icl_texts=['hello', 'ell'],
            icl_kinds=['transform', 'split']))
    seqs = model._icl_sequences(images(3), data)
    assert len(seqs) == 1
    imgs, texts = seqs[0]
    # 3 originals + min(3, 1) split + min(U{2..2}, 1) transform
    assert sorted(texts) == sorted(['hello', 'world', 'abc', 'ell', 'hello'])
    loss = model.loss(images(3), data)['loss']
    assert torch.isfinite(loss)
    loss.backward()


def test_icl_groups_of_samples_per_sequence():
    model = build_toy(
        train_mode='icl', icl_train_cfg=dict(samples_per_sequence=2))
    seqs = model._icl_sequences(images(5), samples(list('abcde')))
    assert [t for _, t in seqs] == [['a', 'b'], ['c', 'd'], ['e']] or \
        [sorted(t) for _, t in seqs] == [['a', 'b'], ['c', 'd'], ['e']]


def _prompts(model):
    lm = model.language_model
    with torch.no_grad():
        lat = model.extract_feat(images(4))
    prompts = [
        '<image>', '<image>ab<|endofchunk|><image>',
        '<image>hello<|endofchunk|><image>', '<image>'
    ]
    media = torch.stack([lat[[0, 0]], lat[[1, 2]], lat[[2, 3]], lat[[3, 3]]])
    return lm, prompts, media


@pytest.mark.parametrize('num_beams', [1, 3])
def test_batched_decode_equals_per_sample_decode(num_beams):
    model = build_toy(seed=1)
    lm, prompts, media = _prompts(model)
    enc = lm.tokenize(prompts, torch.device('cpu'))
    batched = beam_decode(
        lm,
        enc['input_ids'],
        enc['attention_mask'],
        media,
        num_beams=num_beams,
        max_new_tokens=10)
    for i, prompt in enumerate(prompts):
        one = lm.tokenize([prompt], torch.device('cpu'))
        (ids, score), = beam_decode(
            lm,
            one['input_ids'],
            one['attention_mask'],
            media[i:i + 1],
            num_beams=num_beams,
            max_new_tokens=10)
        assert batched[i][0] == ids
        assert batched[i][1] == pytest.approx(score, abs=1e-5)


@pytest.mark.parametrize('num_beams', [1, 3])
def test_kv_cache_decode_equals_full_recomputation(num_beams):
    model = build_toy(seed=2)
    lm, prompts, media = _prompts(model)
    enc = lm.tokenize(prompts, torch.device('cpu'))
    args = (lm, enc['input_ids'], enc['attention_mask'], media)
    cached = beam_decode(*args, num_beams=num_beams, max_new_tokens=10)
    full = beam_decode(
        *args, num_beams=num_beams, max_new_tokens=10, use_cache=False)
    assert [h[0] for h in cached] == [h[0] for h in full]
    for (_, a), (_, b) in zip(cached, full):
        assert a == pytest.approx(b, abs=1e-5)


def test_greedy_stops_at_end_of_chunk_and_never_emits_image_or_pad():
    model = build_toy(seed=3)
    lm, prompts, media = _prompts(model)
    eoc = lm.chunk_token_id
    # make the end-of-chunk token the certain next token: bias the LM head
    # through its (tied) embedding row would change everything; instead
    # ban check: decode long and look at the ids
    enc = lm.tokenize(prompts, torch.device('cpu'))
    hyps = greedy_decode(
        lm, enc['input_ids'], enc['attention_mask'], media, max_new_tokens=20)
    for ids, score in hyps:
        assert eoc not in ids and lm.image_token_id not in ids
        assert lm.pad_token_id not in ids
        assert len(ids) <= 20 and score <= 0


def test_predict_sets_text_and_score():
    model = build_toy(seed=4)
    out = model.predict(images(3), samples(['a', 'b', 'c']))
    for s in out:
        assert isinstance(s.pred_text.item, str)
        assert 0. <= s.pred_text.score <= 1.
    logits = model._forward(images(2), samples(['ab', 'c']))
    assert logits.shape[:2] == (2, 5)  # BOS <image> a b <eoc>
    latents = model._forward(images(2))
    assert latents.shape == (2, 8, 64)
