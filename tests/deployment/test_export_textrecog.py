# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ONNX export of E2STR (encoder + cached decoder step) on a tiny model."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmocr_ext.deployment.export_e2str_runtime import (banned_ids,
                                                       check_e2str_greedy,
                                                       e2str_greedy_onnx,
                                                       ort_session)
from mmocr_ext.deployment.export_textrecog import export_e2str
from mmocr_ext.deployment.onnx_utils import OnnxMismatchError
from mmocr_ext.models.textrecog.e2str import greedy_decode
from conftest import REPO

pytest.importorskip(
    'onnxruntime',
    reason='onnxruntime is not installed (pip install "mmocr_ext[onnx]"): '
    'the ONNX export tests need it')

TOY_CFG = osp.join(REPO, 'configs', 'textrecog', 'e2str',
                   'e2str_vit-tiny_opt-tiny_toy.py')


def _toy(seed: int = 0):
    """The toy E2STR with open gates and N(0, 0.1) LM matrices: its greedy
    tokens vary with the image and the prompt and some rows stop early."""
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules(init_default_scope=True)
    torch.manual_seed(seed)
    model = MODELS.build(Config.fromfile(TOY_CFG).model)
    model.init_weights()
    model.eval()
    with torch.no_grad():
        for name, p in model.language_model.named_parameters():
            if name.endswith(('attn_gate', 'ff_gate')):
                p.fill_(1.)
            elif p.dim() > 1:
                p.normal_(0, 0.1)
    return model


@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    model = _toy()
    out = str(tmp_path_factory.mktemp('e2str_onnx'))
    graphs = export_e2str(model, out, greedy_steps=10)
    return model, {g.name: g for g in graphs}


def _images(n: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 3, 32, 128, generator=g)


def test_graphs_signatures_and_diffs(exported):
    _, graphs = exported
    assert list(graphs) == ['e2str_encoder', 'e2str_decoder_step']
    enc, step = graphs['e2str_encoder'], graphs['e2str_decoder_step']
    assert enc.input_names == ['image'] and enc.output_names == ['latents']
    assert enc.dynamic_axes['image'] == {0: 'batch'}
    assert enc.checked_shapes == [[[1, 3, 32, 128]], [[3, 3, 32, 128]]]
    assert step.input_names == [
        'input_ids', 'attention_mask', 'media', 'media_offset', 'past_key_0',
        'past_value_0', 'past_key_1', 'past_value_1'
    ]
    assert step.output_names[0] == 'logits'
    assert step.output_names[1:] == [
        n.replace('past', 'present') for n in step.input_names[4:]
    ]
    # checked: a cache of 3 + 4 new tokens, an in-context prompt with an
    # empty cache (batch 3, 3 images), one token after 7 cached positions
    shapes = step.checked_shapes
    assert [s[0] for s in shapes] == [[2, 4], [3, 8], [1, 1]]
    assert [s[4][2] for s in shapes] == [3, 0, 7]
    assert [s[2][1] for s in shapes] == [2, 3, 1]
    for g in graphs.values():
        assert osp.isfile(g.path)
        assert 0 <= g.max_abs_diff <= 1e-3


def test_encoder_matches_pytorch_at_other_batch(exported):
    model, graphs = exported
    x = _images(5, 7)
    latents = ort_session(graphs['e2str_encoder'].path).run(
        None, dict(image=x.numpy()))[0]
    with torch.no_grad():
        ref = model.extract_feat(x)
    assert latents.shape == (5, 8, 64)
    assert np.abs(latents - ref.numpy()).max() <= 1e-3


def test_export_greedy_check_is_recorded(exported):
    _, graphs = exported
    greedy = graphs['e2str_decoder_step'].extra['greedy']
    for case in ('plain', 'icl'):
        assert greedy[case]['steps'] == 10
        assert greedy[case]['max_logit_diff'] <= 1e-3
        tokens = greedy[case]['tokens']
        # rows differ (image / prompt) and some stop at end-of-chunk early
        assert len({tuple(t) for t in tokens}) > 1
        assert min(len(t) for t in tokens) < 10
    assert greedy['icl']['prompts'][0].count('<image>') == 3


def test_ort_greedy_reproduces_pytorch_tokens_on_new_images(exported):
    model, graphs = exported
    sessions = [ort_session(graphs[n].path) for n in graphs]
    result = check_e2str_greedy(model, *sessions, _images(4, 3), 12, 1e-3,
                                ['ab', 'c', 'de1'])
    assert result['plain']['steps'] >= 1
    assert result['max_logit_diff'] <= 1e-3
    assert len(result['icl']['tokens']) == 4


def test_multi_token_prefix_equals_token_by_token(exported):
    """An in-context prompt fed at once (empty cache) or one token per step
    gives the same last logits and cache."""
    model, graphs = exported
    lm = model.language_model
    sess = ort_session(graphs['e2str_decoder_step'].path)
    prompt = '<image>ab<|endofchunk|><image>cd<|endofchunk|><image>'
    ids = lm.tokenize([prompt], 'cpu')['input_ids'].numpy()
    with torch.no_grad():
        media = model.extract_feat(_images(3, 5))[None].numpy()
    names = [i.name for i in sess.get_inputs() if i.name.startswith('past')]

    def run(tokens, past, offset):
        feeds = dict(
            input_ids=tokens,
            attention_mask=np.ones((1, past[0].shape[2] + tokens.shape[1]),
                                   np.int64),
            media=media,
            media_offset=np.array([offset], np.int64))
        feeds.update(zip(names, past))
        return sess.run(None, feeds)

    empty = [np.zeros((1, 2, 0, 32), np.float32)] * len(names)
    logits_all, *cache_all = run(ids, empty, 0)
    past, images = empty, 0
    for t in range(ids.shape[1]):
        logits, *past = run(ids[:, t:t + 1], past, images)
        images += int(ids[0, t] == lm.image_token_id)
    assert cache_all[0].shape == (1, 2, ids.shape[1], 32)
    assert np.abs(logits - logits_all).max() <= 1e-4
    for a, b in zip(past, cache_all):
        assert np.abs(a - b).max() <= 1e-4
    # and the prefix split 5 + rest (dynamic new and past lengths)
    head, *past5 = run(ids[:, :5], empty, 0)
    n_img = int((ids[0, :5] == lm.image_token_id).sum())
    logits5, *_ = run(ids[:, 5:], past5, n_img)
    assert np.abs(logits5 - logits_all).max() <= 1e-4


def test_batched_left_padded_greedy_and_early_stop(exported):
    """Rows of different prompt lengths (left padding); one row stops at
    end-of-chunk before the others."""
    model, graphs = exported
    lm = model.language_model
    sess = ort_session(graphs['e2str_decoder_step'].path)
    enc = lm.tokenize(['<image>', '<image>a<|endofchunk|><image>'], 'cpu')
    with torch.no_grad():
        lat = model.extract_feat(_images(3, 11))
    media = torch.stack([lat[:2], lat[1:]], dim=1)
    hyps_t = greedy_decode(lm, enc['input_ids'], enc['attention_mask'], media,
                           10)
    hyps_o, logits = e2str_greedy_onnx(sess, enc['input_ids'].numpy(),
                                       enc['attention_mask'].numpy(),
                                       media.numpy(), lm.image_token_id,
                                       lm.chunk_token_id, banned_ids(lm), 10)
    assert [h[0] for h in hyps_o] == [h[0] for h in hyps_t]
    for (_, s_o), (_, s_t) in zip(hyps_o, hyps_t):
        assert abs(s_o - s_t) <= 1e-4
    assert logits.shape[1:] == (2, len(lm.tokenizer))
    # a forced end-of-chunk: every row stops after one step
    eoc = lm.chunk_token_id
    banned = [i for i in range(len(lm.tokenizer)) if i != eoc]
    hyps, logits = e2str_greedy_onnx(sess, enc['input_ids'].numpy(),
                                     enc['attention_mask'].numpy(),
                                     media.numpy(), lm.image_token_id, eoc,
                                     banned, 10)
    assert [h[0] for h in hyps] == [[], []] and logits.shape[0] == 1


def test_token_mismatch_is_reported(exported, monkeypatch):
    model, graphs = exported
    from mmocr_ext.deployment import export_e2str_runtime as rt
    real = rt.e2str_greedy_onnx

    def wrong(*args, **kwargs):
        hyps, logits = real(*args, **kwargs)
        return [(ids + [1], s) for ids, s in hyps], logits

    monkeypatch.setattr(rt, 'e2str_greedy_onnx', wrong)
    sessions = [ort_session(graphs[n].path) for n in graphs]
    with pytest.raises(OnnxMismatchError, match='greedy tokens'):
        check_e2str_greedy(model, *sessions, _images(2, 0), 3)


def test_fixed_image_size_is_enforced(exported, tmp_path):
    model, _ = exported
    with pytest.raises(ValueError, match=r'fixed input size \(32, 128\)'):
        export_e2str(model, str(tmp_path), img_shapes=[(32, 256)])
    assert not list(tmp_path.iterdir())
