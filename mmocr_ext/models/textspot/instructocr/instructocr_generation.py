# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Batched greedy decoding of InstructOCR's token sequence."""
from typing import List, Optional, Tuple

import torch
from torch import Tensor


def slot_mask(dictionary, step: int, slots: int, device) -> Tensor:
    """Allowed tokens at output position ``step`` (constrained decoding).

    Each instance is ``[x, y, c1 .. c_(slots-2)]``: slot 0 takes a
    coordinate or EOS, slot 1 a coordinate, the others a character, the
    unknown-character index or the end-of-word pad (as mmocr's SPTS
    decoder masks its vocabulary).

    Returns:
        Tensor: Bool (num_classes,), True where allowed.
    """
    allowed = torch.zeros(
        dictionary.num_classes, dtype=torch.bool, device=device)
    slot = step % slots
    if slot < 2:
        allowed[:dictionary.num_bins] = True
        if slot == 0:
            allowed[dictionary.eos_idx] = True
    else:
        allowed[dictionary.char_start_idx:] = True
        allowed[dictionary.unknown_idx] = True
        allowed[dictionary.rec_pad_idx] = True
    return allowed


@torch.no_grad()
def greedy_generate(decoder,
                    memory: Tensor,
                    memory_mask: Optional[Tensor],
                    pos: Tensor,
                    max_len: Optional[int] = None,
                    use_cache: bool = True,
                    constrained: bool = False) -> Tuple[Tensor, Tensor]:
    """Greedy (top-1) decoding from SOS, every row to its own EOS.

    Rows that have emitted EOS leave the batch (their memory, masks and
    caches are dropped), so finished images stop costing compute. With
    ``use_cache`` each step runs the decoder on the new token only (cached
    self-attention keys/values, memory keys/values projected once);
    without it the whole prefix is recomputed at every step (the official
    decoder's cost), which gives the same tokens.

    Args:
        decoder (InstructOCRDecoder): Embedding, layers, norm and head.
        memory (Tensor): Encoder output (B, S, C).
        memory_mask (Tensor, optional): Bool (B, S), True at padding.
        pos (Tensor): Memory positional encoding (B, S, C).
        max_len (int, optional): Most tokens per row. Defaults to the
            decoder's ``max_seq_len`` (1621).
        use_cache (bool): Incremental decoding. Defaults to True.
        constrained (bool): Mask the vocabulary by slot
            (:func:`slot_mask`). Defaults to False (official parity).

    Returns:
        tuple[Tensor, Tensor]: Tokens (B, T) and their probabilities
        (B, T), T the longest row (EOS included); shorter rows are padded
        with the sequence-padding index and probability 0.
    """
    dic = decoder.dictionary
    max_len = min(max_len or decoder.max_seq_len, decoder.max_seq_len)
    bsz, device = memory.shape[0], memory.device
    tokens = memory.new_full((bsz, max_len), dic.seq_pad_idx, dtype=torch.long)
    probs = memory.new_zeros((bsz, max_len))
    active = torch.arange(bsz, device=device)
    mem_kv = decoder.project_memory(memory, pos)
    attn_mask = None
    if memory_mask is not None:
        attn_mask = (~memory_mask)[:, None, None, :]
    caches: List = [None] * len(decoder.layers)
    slots = decoder.slots_per_text
    allowed = [slot_mask(dic, s, slots, device)
               for s in range(slots)] if constrained else None
    # the cached path feeds the last token only; the other the whole prefix
    seq = memory.new_full((bsz, 1), dic.sos_idx, dtype=torch.long)
    length = 0
    for step in range(max_len):
        if use_cache:
            logits, caches = decoder.step(seq, step, mem_kv, attn_mask, caches)
        else:
            logits, _ = decoder.step(seq, 0, mem_kv, attn_mask, None)
        logits = logits[:, -1].float()
        if constrained:
            logits = logits.masked_fill(~allowed[step % slots], float('-inf'))
        prob, idx = logits.softmax(-1).max(-1)
        tokens[active, step] = idx
        probs[active, step] = prob
        length = step + 1
        keep = idx != dic.eos_idx
        if not bool(keep.all()):
            if not bool(keep.any()):
                break
            sel = keep.nonzero().squeeze(1)
            active, idx, seq = active[sel], idx[sel], seq[sel]
            mem_kv = [(k[sel], v[sel]) for k, v in mem_kv]
            if attn_mask is not None:
                attn_mask = attn_mask[sel]
            if use_cache:
                caches = [(k[sel], v[sel]) for k, v in caches]
        seq = idx[:,
                  None] if use_cache else torch.cat([seq, idx[:, None]], dim=1)
    return tokens[:, :length], probs[:, :length]
