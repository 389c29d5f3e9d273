# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR greedy decoding on the exported ONNX graphs (onnxruntime).

:func:`instructocr_greedy_onnx` is
:func:`~mmocr_ext.models.textspot.instructocr.instructocr_generation.
greedy_generate` with each ``decoder.step`` replaced by one run of the
``instructocr_decoder_step`` graph (see :mod:`.export_textspot`).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import Tensor, nn

from .onnx_utils import OnnxMismatchError


def _run(sess, feeds: Dict[str, np.ndarray]) -> List[np.ndarray]:
    names = {i.name for i in sess.get_inputs()}
    return sess.run(None, {k: v for k, v in feeds.items() if k in names})


def instructocr_greedy_onnx(
        step_sess,
        memory_mask: np.ndarray,
        mem_kv: Sequence[np.ndarray],
        sos_idx: int,
        eos_idx: int,
        seq_pad_idx: int,
        max_len: int,
        allowed: Optional[np.ndarray] = None) -> Tuple[np.ndarray, np.ndarray]:
    """Greedy decoding from SOS, every row to its own EOS (rows leave the
    batch at EOS, as in PyTorch).

    Args:
        step_sess: onnxruntime session of ``instructocr_decoder_step``.
        memory_mask (np.ndarray): (B, S) bool, True at padding.
        mem_kv (Sequence[np.ndarray]): ``mem_key_0, mem_value_0, ...``
            from the ``instructocr_memory_proj`` graph.
        sos_idx, eos_idx, seq_pad_idx (int): Dictionary indices.
        max_len (int): Most tokens per row (at most the decoder's
            ``max_seq_len``).
        allowed (np.ndarray, optional): (slots, num_classes) bool, the
            slot constraint (``slot_mask`` of every slot); None: free.

    Returns:
        tuple[np.ndarray, np.ndarray]: Tokens (B, T) int64 and their
        probabilities (B, T), T the longest row (EOS included); shorter
        rows padded with ``seq_pad_idx`` / 0.
    """
    inputs = step_sess.get_inputs()
    mem_names = [i.name for i in inputs if i.name.startswith('mem_')]
    past = [i for i in inputs if i.name.startswith('past_')]
    past_names = [i.name for i in past]
    heads, dim = int(past[0].shape[1]), int(past[0].shape[3])
    bsz = memory_mask.shape[0]
    tokens = np.full((bsz, max_len), seq_pad_idx, np.int64)
    probs = np.zeros((bsz, max_len), np.float32)
    active = np.arange(bsz)
    mem_kv = list(mem_kv)
    caches = [np.zeros((bsz, heads, 0, dim), np.float32) for _ in past]
    seq = np.full((bsz, 1), sos_idx, np.int64)
    length = 0
    for step in range(max_len):
        feeds = dict(tokens=seq, memory_mask=memory_mask)
        feeds.update(zip(mem_names, mem_kv))
        feeds.update(zip(past_names, caches))
        logits, *caches = _run(step_sess, feeds)
        logits = logits.astype(np.float32)
        if allowed is not None:
            logits = np.where(allowed[step % len(allowed)], logits, -np.inf)
        z = np.exp(logits - logits.max(axis=-1, keepdims=True))
        p = z / z.sum(axis=-1, keepdims=True)
        idx = p.argmax(axis=-1)
        tokens[active, step] = idx
        probs[active, step] = p[np.arange(len(idx)), idx]
        length = step + 1
        keep = idx != eos_idx
        if not keep.all():
            if not keep.any():
                break
            active, idx = active[keep], idx[keep]
            memory_mask = memory_mask[keep]
            mem_kv = [t[keep] for t in mem_kv]
            caches = [t[keep] for t in caches]
        seq = idx[:, None].astype(np.int64)
    return tokens[:, :length], probs[:, :length]


def instructocr_onnx_encode(model: nn.Module, sessions: Sequence,
                            image: np.ndarray, padding_mask: np.ndarray,
                            instructions: Sequence[str]) -> List[np.ndarray]:
    """BERT -> encoder -> memory projection graphs.

    Args:
        model (InstructOCR): For the tokenizer and instruction format.
        sessions (Sequence): Sessions of ``instructocr_bert``,
            ``instructocr_encoder``, ``instructocr_memory_proj``.
        image (np.ndarray): (B, 3, H, W) float32, preprocessed.
        padding_mask (np.ndarray): (B, H, W) bool.
        instructions (Sequence[str]): B plain instructions.

    Returns:
        list[np.ndarray]: ``memory_mask`` then ``mem_key_0, mem_value_0,
        ...``.
    """
    te = model.encoder.text_encoder
    enc = te.tokenizer(
        model.encoder.format_instructions(list(instructions)),
        padding='max_length',
        truncation=True,
        max_length=te.max_length,
        return_tensors='np')
    text = _run(
        sessions[0],
        dict(
            input_ids=enc['input_ids'].astype(np.int64),
            attention_mask=enc['attention_mask'].astype(np.int64)))[0]
    memory, mask, pos = _run(
        sessions[1],
        dict(image=image, padding_mask=padding_mask, instruction=text))
    return [mask] + _run(sessions[2], dict(memory=memory, pos=pos))


def check_instructocr_greedy(model: nn.Module,
                             sessions: Sequence,
                             inputs: Tuple[Tensor, Tensor],
                             instructions: Sequence[str],
                             max_len: Optional[int] = None,
                             atol: float = 1e-3) -> Dict:
    """The ORT chain + greedy loop vs the PyTorch model's greedy decoding.

    Args:
        model (InstructOCR): On CPU, eval mode.
        sessions (Sequence): Sessions of the BERT, encoder, memory
            projection and decoder-step graphs.
        inputs (tuple[Tensor, Tensor]): ``image`` (B, 3, H, W) and
            ``padding_mask`` (B, H, W) bool.
        instructions (Sequence[str]): B plain instructions.
        max_len (int, optional): Defaults to the model's decoding length.
        atol (float): Largest probability difference. Defaults to 1e-3.

    Returns:
        dict: ``shape``, ``tokens`` (per row, up to its EOS),
        ``max_prob_diff``.

    Raises:
        OnnxMismatchError: Tokens differ or a probability beyond ``atol``.
    """
    from mmocr_ext.models.textspot.instructocr.instructocr_generation import (
        greedy_generate, slot_mask)
    dec, dic = model.decoder, model.decoder.dictionary
    cfg = dec.decode_cfg
    max_len = min(
        max_len or cfg.get('max_len') or dec.max_seq_len, dec.max_seq_len)
    image, mask = inputs
    with torch.no_grad():
        out = model.encoder(model.extract_feat(image), mask, instructions)
        tok_t, prob_t = greedy_generate(
            dec,
            out['memory'],
            out['memory_mask'],
            out['pos'],
            max_len=max_len,
            use_cache=True,
            constrained=cfg['constrained'])
    allowed = None
    if cfg['constrained']:
        allowed = torch.stack([
            slot_mask(dic, s, dec.slots_per_text, 'cpu')
            for s in range(dec.slots_per_text)
        ]).numpy()
    mem = instructocr_onnx_encode(model, sessions[:3], image.numpy(),
                                  mask.numpy(), instructions)
    tok_o, prob_o = instructocr_greedy_onnx(sessions[3], mem[0], mem[1:],
                                            dic.sos_idx, dic.eos_idx,
                                            dic.seq_pad_idx, max_len, allowed)
    shape = list(image.shape)
    if tok_o.shape != tuple(
            tok_t.shape) or not np.array_equal(tok_o, tok_t.numpy()):
        raise OnnxMismatchError(
            f'instructocr_decoder_step: ORT greedy tokens differ from '
            f'PyTorch at image shape {shape}')
    diff = float(np.abs(prob_o - prob_t.numpy()).max())
    if not diff <= atol:
        raise OnnxMismatchError(
            f'instructocr_decoder_step: greedy probabilities differ by '
            f'{diff:.3g} > atol {atol:g} at image shape {shape}')
    rows = []
    for row in tok_t.tolist():
        rows.append(row[:row.index(dic.eos_idx) +
                        1] if dic.eos_idx in row else row)
    return dict(shape=shape, tokens=rows, max_prob_diff=diff)
