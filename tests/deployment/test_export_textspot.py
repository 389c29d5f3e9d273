# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ONNX export of InstructOCR (BERT, encoder, memory projection, cached
decoder step) on the tiny random model of the toy config."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmocr_ext.deployment.export_e2str_runtime import ort_session
from mmocr_ext.deployment.export_instructocr_runtime import (
    check_instructocr_greedy, instructocr_greedy_onnx, instructocr_onnx_encode)
from mmocr_ext.deployment.export_textspot import (_enc_inputs,
                                                  export_instructocr)
from mmocr_ext.deployment.onnx_utils import OnnxMismatchError
from mmocr_ext.models.textspot.instructocr.instructocr_generation import \
    greedy_generate
from conftest import REPO

pytest.importorskip(
    'onnxruntime',
    reason='onnxruntime is not installed (pip install "mmocr_ext[onnx]"): '
    'the ONNX export tests need it')

TOY_CFG = osp.join(REPO, 'configs', 'textspot', 'instructocr',
                   'instructocr_clip-r50-tiny_toy.py')
NAMES = ('instructocr_bert', 'instructocr_encoder', 'instructocr_memory_proj',
         'instructocr_decoder_step')


def _toy(eos_bias: float = 1.0):
    """The toy InstructOCR, random; ``eos_bias`` is added to the EOS logit
    so that rows end after a few tokens, at different steps."""
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules(init_default_scope=True)
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(TOY_CFG).model).eval()
    with torch.no_grad():
        model.decoder.vocab_embed.bias[
            model.decoder.dictionary.eos_idx] += eos_bias
    return model


@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    model = _toy()
    out = str(tmp_path_factory.mktemp('instructocr_onnx'))
    graphs = export_instructocr(model, out)
    sessions = [ort_session(g.path) for g in graphs]
    return model, {g.name: g for g in graphs}, sessions


def test_graphs_signatures_and_diffs(exported):
    _, graphs, _ = exported
    assert tuple(graphs) == NAMES
    bert, enc, proj, step = (graphs[n] for n in NAMES)
    assert bert.input_names == ['input_ids']  # use_attention_mask=False
    assert bert.checked_shapes == [[[1, 77]], [[3, 16]]]
    assert enc.input_names == ['image', 'padding_mask', 'instruction']
    assert enc.output_names == ['memory', 'memory_mask', 'pos']
    assert enc.dynamic_axes['image'] == {0: 'batch', 2: 'height', 3: 'width'}
    # two image sizes (and batch sizes), a shorter instruction
    assert [s[0] for s in enc.checked_shapes] == [[1, 3, 64, 96],
                                                  [3, 3, 96, 128],
                                                  [1, 3, 96, 96]]
    assert enc.checked_shapes[2][2] == [1, 16, 32]
    kv = ['mem_key_0', 'mem_value_0']
    assert proj.output_names == kv
    assert [s[0] for s in proj.checked_shapes] == [[1, 6, 64], [3, 12, 64]]
    assert step.input_names == (['tokens', 'memory_mask'] + kv +
                                ['past_key_0', 'past_value_0'])
    assert step.output_names == ['logits', 'present_key_0', 'present_value_0']
    # new tokens x past length: 1 x 0 (first step), 1 x 5, 3 x 0, 2 x 4
    assert [(s[0][1], s[4][2])
            for s in step.checked_shapes] == [(1, 0), (1, 5), (3, 0), (2, 4)]
    for g in graphs.values():
        assert osp.isfile(g.path)
        assert 0 <= g.max_abs_diff <= 1e-3


def test_greedy_tokens_recorded_at_two_sizes(exported):
    _, graphs, _ = exported
    greedy = graphs['instructocr_decoder_step'].extra['greedy']
    assert [g['shape'] for g in greedy] == [[1, 3, 64, 96], [3, 3, 96, 128]]
    for g in greedy:
        assert g['max_prob_diff'] <= 1e-3
        assert all(len(t) >= 1 for t in g['tokens'])


def test_chain_matches_pytorch_at_a_third_size(exported):
    """ORT BERT -> encoder -> memory projection vs the PyTorch encoder run
    on the instruction strings, then the greedy tokens."""
    model, _, sessions = exported
    instr = ['all text', 'words beginning with the letter a']
    image, mask, _ = _enc_inputs(model, (128, 64), [(128, 64), (60, 20)],
                                 instr, 5)
    mem = instructocr_onnx_encode(model, sessions[:3], image.numpy(),
                                  mask.numpy(), instr)
    with torch.no_grad():
        out = model.encoder(model.extract_feat(image), mask, instr)
        kv = model.decoder.project_memory(out['memory'], out['pos'])
    assert np.array_equal(mem[0], out['memory_mask'].numpy())
    assert mem[0][1].sum() > 0  # the second image is padded
    for o, t in zip(mem[1:], [t for pair in kv for t in pair]):
        assert o.shape == t.shape == (2, 4, 8, 16)
        assert np.abs(o - t.numpy()).max() <= 1e-3
    result = check_instructocr_greedy(model, sessions, (image, mask), instr)
    assert result['shape'] == [2, 3, 128, 64]


def test_rows_leave_the_batch_at_their_own_eos(exported):
    """Memories that make rows end at different steps: ORT loop ==
    PyTorch ``greedy_generate`` (tokens, probabilities, padding)."""
    model, _, sessions = exported
    dec, dic = model.decoder, model.decoder.dictionary
    g = torch.Generator().manual_seed(0)
    memory = torch.randn(4, 12, 64, generator=g) * 5
    pos = torch.randn(4, 12, 64, generator=g)
    mask = torch.zeros(4, 12, dtype=torch.bool)
    mask[1, 8:] = True
    tok_t, prob_t = greedy_generate(dec, memory, mask, pos, max_len=43)
    kv = sessions[2].run(None, dict(memory=memory.numpy(), pos=pos.numpy()))
    tok_o, prob_o = instructocr_greedy_onnx(sessions[3], mask.numpy(), kv,
                                            dic.sos_idx, dic.eos_idx,
                                            dic.seq_pad_idx, 43)
    assert np.array_equal(tok_o, tok_t.numpy())
    assert np.abs(prob_o - prob_t.numpy()).max() <= 1e-4
    lengths = [
        r.index(dic.eos_idx) + 1 if dic.eos_idx in r else len(r)
        for r in tok_o.tolist()
    ]
    assert len(set(lengths)) > 2  # rows ended at different steps
    assert (tok_o == dic.seq_pad_idx).any()


def test_constrained_decoding(exported):
    model, _, sessions = exported
    image, mask, _ = _enc_inputs(model, (64, 96), [(64, 96), (64, 64)],
                                 ['all text'] * 2, 6)
    model.decoder.decode_cfg['constrained'] = True
    try:
        result = check_instructocr_greedy(model, sessions, (image, mask),
                                          ['all text'] * 2, 30)
    finally:
        model.decoder.decode_cfg['constrained'] = False
    dic = model.decoder.dictionary
    for row in result['tokens']:
        # slot 0 of every instance: a coordinate bin or EOS
        assert row[0] < dic.num_bins or row[0] == dic.eos_idx


def test_multi_token_block_equals_single_steps(exported):
    model, _, sessions = exported
    step = sessions[3]
    dic = model.decoder.dictionary
    g = torch.Generator().manual_seed(1)
    memory, pos = torch.randn(2, 6, 64, generator=g), torch.randn(2, 6, 64)
    kv = sessions[2].run(None, dict(memory=memory.numpy(), pos=pos.numpy()))
    mask = np.zeros((2, 6), bool)
    seq = np.array([[dic.sos_idx, 3, 7, 50], [dic.sos_idx, 9, 1, 2]])
    names = ['mem_key_0', 'mem_value_0', 'past_key_0', 'past_value_0']

    def run(tokens, past):
        return step.run(
            None, dict(zip(names, kv + past), tokens=tokens, memory_mask=mask))

    empty = [np.zeros((2, 4, 0, 16), np.float32)] * 2
    logits_all, *cache_all = run(seq, empty)
    past = empty
    for t in range(seq.shape[1]):
        logits, *past = run(seq[:, t:t + 1], past)
    assert np.abs(logits - logits_all).max() <= 1e-4
    assert past[0].shape == (2, 4, 4, 16)
    assert np.abs(past[0] - cache_all[0]).max() <= 1e-4
    # PyTorch teacher forcing of the same block
    with torch.no_grad():
        ref = model.decoder(
            dict(
                memory=memory,
                pos=pos,
                memory_mask=torch.from_numpy(mask),
                input_seq=torch.from_numpy(seq)))[:, -1]
    assert np.abs(logits_all - ref.numpy()).max() <= 1e-3


def test_token_mismatch_is_reported(exported, monkeypatch):
    model, _, sessions = exported
    from mmocr_ext.deployment import export_instructocr_runtime as rt
    real = rt.instructocr_greedy_onnx

    def wrong(*args, **kwargs):
        tokens, probs = real(*args, **kwargs)
        return tokens + 1, probs

    monkeypatch.setattr(rt, 'instructocr_greedy_onnx', wrong)
    image, mask, _ = _enc_inputs(model, (64, 64), [(64, 64)], ['all text'], 7)
    with pytest.raises(OnnxMismatchError, match='greedy tokens differ'):
        check_instructocr_greedy(model, sessions, (image, mask), ['all text'],
                                 5)
