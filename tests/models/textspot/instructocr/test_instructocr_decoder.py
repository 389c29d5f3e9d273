# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR's vocabulary, targets, loss, cached decoder and parser."""
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample

from mmocr_ext.models.textspot.instructocr.instructocr_decoder import \
    InstructOCRDecoder
from mmocr_ext.models.textspot.instructocr.instructocr_dictionary import \
    InstructOCRDictionary
from mmocr_ext.models.textspot.instructocr.instructocr_generation import (
    greedy_generate, slot_mask)
from mmocr_ext.models.textspot.instructocr.instructocr_module_loss import (
    InstructOCRModuleLoss, instance_center)
from mmocr_ext.models.textspot.instructocr.instructocr_postprocessor import \
    InstructOCRPostprocessor


def tiny_decoder(max_num_text=3, num_bins=100, **kwargs):
    torch.manual_seed(0)
    dec = InstructOCRDecoder(
        dictionary=dict(type='InstructOCRDictionary', num_bins=num_bins),
        module_loss=dict(type='InstructOCRModuleLoss'),
        postprocessor=dict(type='InstructOCRPostprocessor'),
        d_model=32,
        num_heads=4,
        ffn_dim=64,
        num_layers=2,
        max_num_text=max_num_text,
        **kwargs)
    return dec.eval()


def memory(bsz=3, s=12, d=32, seed=1):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(bsz, s, d,
                        generator=g), torch.randn(bsz, s, d, generator=g))


def test_dictionary_official_layout():
    d = InstructOCRDictionary()
    assert (d.unknown_idx, d.rec_pad_idx, d.eos_idx, d.sos_idx, d.noise_idx,
            d.seq_pad_idx, d.char_start_idx) == (1095, 1096, 1097, 1098, 1099,
                                                 1100, 1101)
    assert d.num_classes == 1196
    assert d.encode_text(' A~', 5) == [1101, 1101 + 33, 1195, 1096, 1096]
    assert d.decode_text([1101 + 33, 1095, 1101 + 66, 1096, 1101]) == 'Ab'
    before = d.num_unknown_chars
    assert d.encode_text('é1', 3) == [1095, 1101 + 17, 1096]
    assert d.num_unknown_chars == before + 1
    assert len(d.encode_text('x' * 30, 25)) == 25


def test_dictionary_file(tmp_path):
    f = tmp_path / 'chars.txt'
    f.write_text(' \na\nb\n')
    d = InstructOCRDictionary(num_bins=10, dict_file=str(f))
    assert d.charset == ' ab' and d.num_classes == 10 + 2 * 3 + 6
    f.write_text('ab\n')
    with pytest.raises(ValueError, match='chars.txt'):
        InstructOCRDictionary(dict_file=str(f))


def test_instance_center():
    quad = np.array([0, 0, 10, 0, 10, 4, 0, 4], np.float32)
    assert np.allclose(instance_center(quad), [5, 2])
    # official rule on a non-rectangular quad: mean of p1p2 and p3p4 mids
    quad = np.array([0, 0, 8, 0, 12, 6, 2, 6], np.float32)
    assert np.allclose(instance_center(quad), [(4 + 7) / 2, 3])
    poly = np.array([0, 0, 5, 0, 10, 0, 10, 4, 5, 4, 0, 4], np.float32)
    assert np.allclose(instance_center(poly), [5, 2], atol=1e-4)


def sample(polygons, texts, ignored=None, img_shape=(100, 200)):
    s = TextDetDataSample(metainfo=dict(img_shape=img_shape))
    gt = InstanceData()
    gt.polygons = [np.asarray(p, np.float32) for p in polygons]
    gt.texts = texts
    if ignored is not None:
        gt.ignored = torch.tensor(ignored)
    s.gt_instances = gt
    return s


def test_targets_and_noise():
    d = InstructOCRDictionary(num_bins=100)
    loss = InstructOCRModuleLoss()
    np.random.seed(0)
    s = sample(
        [[0, 0, 20, 0, 20, 10, 0, 10], [100, 50, 120, 50, 120, 60, 100, 60],
         [0, 0, 1, 0, 1, 1, 0, 1]], ['Hi', 'b', '###'])
    inp, tgt = loss.get_targets([s], d, 3, 25, 'cpu')
    assert inp.shape == tgt.shape == (1, 27 * 3 + 1)
    inp, tgt = inp[0].tolist(), tgt[0].tolist()
    assert inp[0] == d.sos_idx
    real = {tuple(inp[1:28]), tuple(inp[28:55])}
    hi = (5, 5) + tuple(d.encode_text('Hi', 25))  # centre (10, 5) -> bins
    b = (55, 55) + tuple(d.encode_text('b', 25))  # centre (110, 55)
    assert real == {hi, b}
    assert tgt[:54] == inp[1:55] and tgt[54] == d.eos_idx
    # one noise instance: input random, target ignore x25, noise, EOS
    assert tgt[55:] == [d.seq_pad_idx] * 25 + [d.noise_idx, d.eos_idx]
    assert all(0 <= t <= 98 for t in inp[55:57])
    assert all(t == d.rec_pad_idx or d.is_char(t) for t in inp[57:])


def test_targets_empty_and_degenerate_and_overflow():
    d = InstructOCRDictionary(num_bins=100)
    loss = InstructOCRModuleLoss()
    empty = sample([], [])
    bad = sample([[0, 0, 5, 5]], ['x'])
    many = sample([[0, 0, 4, 0, 4, 4, 0, 4]] * 5, list('abcde'))
    inp, tgt = loss.get_targets([empty, bad, many], d, 3, 25, 'cpu')
    assert loss.num_degenerate == 1
    for row in (0, 1):  # no real instance: EOS first, then 3 noise blocks
        assert tgt[row, 0] == d.eos_idx
        assert (tgt[row] == d.noise_idx).sum() == 3
    assert tgt[2, 81] == d.eos_idx and (tgt[2] == d.noise_idx).sum() == 0


def test_loss_is_weighted_cross_entropy():
    d = InstructOCRDictionary(num_bins=100)
    loss = InstructOCRModuleLoss()
    torch.manual_seed(0)
    logits = torch.randn(2, 5, d.num_classes)
    tgt = torch.tensor([[3, d.eos_idx, d.seq_pad_idx, d.noise_idx, 7],
                        [d.char_start_idx, 1, 2, d.seq_pad_idx, 9]])
    out = loss(logits, tgt, d)['loss_seq']
    logp = logits.log_softmax(-1)
    num, den = 0.0, 0.0
    for b in range(2):
        for t in range(5):
            c = int(tgt[b, t])
            if c == d.seq_pad_idx:
                continue
            w = 0.01 if c in (d.eos_idx, d.noise_idx) else 1.0
            num -= w * float(logp[b, t, c])
            den += w
    assert out.item() == pytest.approx(num / den, rel=1e-5)


def test_cached_steps_equal_full_forward():
    dec = tiny_decoder()
    mem, pos = memory()
    mask = torch.zeros(3, 12, dtype=torch.bool)
    mask[1, 8:] = True
    tokens = torch.randint(0, dec.dictionary.num_classes, (3, 20))
    full = dec(dict(memory=mem, pos=pos, memory_mask=mask, input_seq=tokens))
    kv = dec.project_memory(mem, pos)
    attn = (~mask)[:, None, None, :]
    caches, steps = None, []
    for t in range(0, 20, 5):  # blocks of 5 new positions, then singles
        logits, caches = dec.step(tokens[:, t:t + 5], t, kv, attn, caches)
        steps.append(logits)
    assert torch.allclose(torch.cat(steps, 1), full, atol=1e-5)


def test_padding_is_ignored():
    dec = tiny_decoder()
    mem, pos = memory(bsz=1)
    pad_mem = torch.cat([mem, torch.randn(1, 4, 32) * 50], 1)
    pad_pos = torch.cat([pos, torch.randn(1, 4, 32)], 1)
    mask = torch.zeros(1, 16, dtype=torch.bool)
    mask[0, 12:] = True
    tokens = torch.randint(0, 100, (1, 7))
    a = dec(dict(memory=mem, pos=pos, memory_mask=None, input_seq=tokens))
    b = dec(
        dict(memory=pad_mem, pos=pad_pos, memory_mask=mask, input_seq=tokens))
    assert torch.allclose(a, b, atol=1e-5)


def eos_biased(dec, bias):
    with torch.no_grad():
        dec.vocab_embed.bias[dec.dictionary.eos_idx] = bias
    return dec


@pytest.mark.parametrize('constrained', [False, True])
def test_generate_cache_equals_recompute(constrained):
    dec = eos_biased(tiny_decoder(max_num_text=2), -1e4)  # all 55 steps
    mem, pos = memory()
    a_tok, a_p = greedy_generate(dec, mem, None, pos, constrained=constrained)
    b_tok, b_p = greedy_generate(
        dec, mem, None, pos, use_cache=False, constrained=constrained)
    assert a_tok.shape == (3, dec.max_seq_len) == (3, 55)
    assert torch.equal(a_tok, b_tok)
    assert torch.allclose(a_p, b_p, atol=1e-5)
    if constrained:
        for step in range(a_tok.shape[1]):
            allowed = slot_mask(dec.dictionary, step, 27, 'cpu')
            assert allowed[a_tok[:, step]].all()


def test_batched_generate_equals_single_rows():
    dec = tiny_decoder(max_num_text=4)
    mem, pos = memory(bsz=4, seed=4)
    mem = mem * torch.tensor([0.5, 1, 2, 4])[:, None, None]
    # an EOS bias that ends the rows at different steps (checked below)
    dec = eos_biased(dec, 0.5)
    tok, prob = greedy_generate(dec, mem, None, pos)
    lengths = []
    for i in range(4):
        t1, p1 = greedy_generate(dec, mem[i:i + 1], None, pos[i:i + 1])
        n = t1.shape[1]
        lengths.append(n)
        assert torch.equal(tok[i, :n], t1[0])
        assert torch.allclose(prob[i, :n], p1[0], atol=1e-5)
        assert (tok[i, n:] == dec.dictionary.seq_pad_idx).all()
    assert len(set(lengths)) == 4, lengths  # rows really stopped apart


def test_postprocessor_parses_blocks():
    d = InstructOCRDictionary(num_bins=100)
    post = InstructOCRPostprocessor(point_box_size=4)
    blk1 = [50, 20] + d.encode_text('Ab', 25)
    blk2 = [d.noise_idx, 3] + d.encode_text('x', 25)  # invalid point
    blk3 = [10, 90] + d.encode_text('c', 25)
    row = blk1 + blk2 + blk3 + [d.eos_idx, 5, 5]
    probs = torch.ones(len(row)) * 0.5
    probs[:27] = 1.0
    s = TextDetDataSample(metainfo=dict(ori_shape=(200, 400)))
    out = post(torch.tensor([row]), probs[None], [s], d, 27)[0]
    pred = out.pred_instances
    assert pred.texts == ['Ab', 'c']
    assert torch.allclose(pred.points, torch.tensor([[200., 40.], [40.,
                                                                   180.]]))
    assert torch.allclose(pred.scores, torch.tensor([1.0, 0.5]))
    assert np.allclose(pred.polygons[0], [198, 38, 202, 38, 202, 42, 198, 42])
    assert post.num_invalid == 1


def test_decoder_loss_runs_and_backprops():
    dec = tiny_decoder().train()
    mem, pos = memory(bsz=2)
    mem.requires_grad_(True)
    samples = [sample([[0, 0, 20, 0, 20, 10, 0, 10]], ['Hi']), sample([], [])]
    out = dec.loss(dict(memory=mem, pos=pos, memory_mask=None), samples)
    assert torch.isfinite(out['loss_seq'])
    out['loss_seq'].backward()
    assert mem.grad.abs().sum() > 0
    # untrained: about log(num_classes) for the char/coord targets
    assert out['loss_seq'].item() > 1.0
