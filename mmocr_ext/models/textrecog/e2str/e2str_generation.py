# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Batched greedy and beam-search decoding for :class:`E2STRLanguageModel`.

Prompts are left-padded, so every row's next token is at the last column;
positions come from the attention mask (the LM derives them). With
``use_cache`` the prompt is run once and each step feeds one token per row
through the KV cache; without it every step re-runs the whole sequence
(same result, for comparison). Decoding stops at ``<|endofchunk|>``;
``<image>`` and the pad token are never generated (a generated ``<image>``
would point the following tokens at an image that does not exist).
"""
from typing import List, Tuple

import torch

Hypothesis = Tuple[List[int], float]


class _Stepper:
    """Runs the LM one step at a time, with or without the KV cache."""

    def __init__(self, lm, input_ids: torch.Tensor,
                 attention_mask: torch.Tensor, media: torch.Tensor,
                 use_cache: bool) -> None:
        self.lm, self.media, self.use_cache = lm, media, use_cache
        self.ids, self.mask = input_ids, attention_mask
        time = lm.text_time(input_ids)
        self.last_time = time[:, -1]
        logits, self.cache = lm(
            input_ids, attention_mask, media, time, use_cache=use_cache)
        self.banned = [
            t for t in (lm.image_token_id, lm.pad_token_id) if t is not None
        ]
        self.logits = self._ban(logits[:, -1].float())

    def _ban(self, logits: torch.Tensor) -> torch.Tensor:
        logits[:, self.banned] = float('-inf')
        return logits

    def select(self, index: torch.Tensor) -> None:
        """Keep/reorder rows (beam search)."""
        self.ids, self.mask = self.ids[index], self.mask[index]
        self.media, self.last_time = self.media[index], self.last_time[index]
        self.logits = self.logits[index]
        if self.cache is not None:
            self.cache.reorder_cache(index)

    def advance(self, tokens: torch.Tensor) -> None:
        """Append ``tokens`` (B,) and compute the next logits."""
        ones = self.mask.new_ones(len(tokens), 1)
        self.ids = torch.cat([self.ids, tokens[:, None]], dim=1)
        self.mask = torch.cat([self.mask, ones], dim=1)
        if self.use_cache:
            logits, self.cache = self.lm(
                tokens[:, None],
                self.mask,
                self.media,
                self.last_time[:, None],
                past_key_values=self.cache,
                use_cache=True)
        else:
            logits, _ = self.lm(self.ids, self.mask, self.media)
        self.logits = self._ban(logits[:, -1].float())


@torch.no_grad()
def greedy_decode(lm,
                  input_ids: torch.Tensor,
                  attention_mask: torch.Tensor,
                  media: torch.Tensor,
                  max_new_tokens: int = 48,
                  use_cache: bool = True) -> List[Hypothesis]:
    """Greedy decoding of a batch of left-padded prompts.

    Args:
        lm (E2STRLanguageModel): The language model.
        input_ids (Tensor): (B, L) prompts, left-padded.
        attention_mask (Tensor): (B, L).
        media (Tensor): (B, T, m, Dv) latents of each prompt's images.
        max_new_tokens (int): Most tokens generated. Defaults to 48.
        use_cache (bool): Decode through the KV cache. Defaults to True.

    Returns:
        list[tuple[list[int], float]]: Per row, the generated ids (without
        the end-of-chunk token) and the mean log-probability of the
        generated tokens, end-of-chunk included.
    """
    eoc = lm.chunk_token_id
    step = _Stepper(lm, input_ids, attention_mask, media, use_cache)
    b = input_ids.shape[0]
    done = torch.zeros(b, dtype=torch.bool, device=input_ids.device)
    total = torch.zeros(b, device=input_ids.device)
    length = torch.zeros(b, device=input_ids.device)
    generated = []
    for _ in range(max_new_tokens):
        logp = step.logits.log_softmax(dim=-1)
        best, tokens = logp.max(dim=-1)
        tokens = tokens.masked_fill(done, eoc)
        total += best.masked_fill(done, 0.)
        length += (~done).float()
        generated.append(tokens)
        done = done | (tokens == eoc)
        if bool(done.all()):
            break
        step.advance(tokens)
    rows = torch.stack(generated, dim=1).tolist()
    out = []
    for i, row in enumerate(rows):
        ids = row[:row.index(eoc)] if eoc in row else row
        out.append((ids, float(total[i] / length[i].clamp(min=1))))
    return out


@torch.no_grad()
def beam_decode(lm,
                input_ids: torch.Tensor,
                attention_mask: torch.Tensor,
                media: torch.Tensor,
                num_beams: int = 3,
                max_new_tokens: int = 48,
                length_penalty: float = 1.0,
                use_cache: bool = True) -> List[Hypothesis]:
    """Beam search over a batch of left-padded prompts.

    Each prompt keeps ``num_beams`` running beams (rows ``b * num_beams +
    j``). A candidate ending in ``<|endofchunk|>`` among the top
    ``num_beams`` of its prompt becomes a finished hypothesis scored
    ``sum(log p) / length ** length_penalty`` (length = generated tokens,
    end-of-chunk included). A prompt is done once it has ``num_beams``
    finished hypotheses and its best running beam cannot beat the worst
    (Hugging Face's rule for ``early_stopping=False``).

    Args:
        lm, input_ids, attention_mask, media, max_new_tokens, use_cache:
            See :func:`greedy_decode`.
        num_beams (int): Beams per prompt. Defaults to 3.
        length_penalty (float): Defaults to 1.0.

    Returns:
        list[tuple[list[int], float]]: Per prompt, the best hypothesis'
        ids (without end-of-chunk) and its length-normalised log-prob.
    """
    if num_beams == 1:
        return greedy_decode(lm, input_ids, attention_mask, media,
                             max_new_tokens, use_cache)
    eoc, nb = lm.chunk_token_id, num_beams
    b = input_ids.shape[0]
    step = _Stepper(lm, input_ids, attention_mask, media, use_cache)
    step.select(torch.arange(b, device=input_ids.device).repeat_interleave(nb))
    scores = torch.full((b, nb), float('-inf'), device=input_ids.device)
    scores[:, 0] = 0.
    beams: List[List[int]] = [[] for _ in range(b * nb)]
    finished: List[List[Tuple[float, List[int]]]] = [[] for _ in range(b)]
    done = [False] * b

    def norm(total: float, length: int) -> float:
        return total / (max(length, 1)**length_penalty)

    for t in range(max_new_tokens):
        logp = step.logits.log_softmax(dim=-1)
        vocab = logp.shape[-1]
        cand = (scores.reshape(-1, 1) + logp).reshape(b, nb * vocab)
        top, idx = cand.topk(2 * nb, dim=1)
        top, idx = top.tolist(), idx.tolist()
        rows, tokens, new_scores = [], [], []
        for q in range(b):
            kept, first = 0, len(new_scores)
            if not done[q]:
                for rank, (s, k) in enumerate(zip(top[q], idx[q])):
                    beam, token = divmod(k, vocab)
                    prev = beams[q * nb + beam]
                    if token == eoc:
                        if rank < nb:
                            finished[q].append((norm(s, t + 1), prev))
                        continue
                    rows.append(q * nb + beam)
                    tokens.append(token)
                    new_scores.append(s)
                    kept += 1
                    if kept == nb:
                        break
                worst = min((f[0] for f in finished[q]), default=None)
                best_running = norm(max(new_scores[first:] or [-1e9]), t + 1)
                if len(finished[q]) >= nb and best_running < worst:
                    done[q] = True
            while kept < nb:  # a done prompt keeps dummy rows
                rows.append(q * nb)
                tokens.append(eoc)
                new_scores.append(float('-inf'))
                kept += 1
        if all(done) or t == max_new_tokens - 1:
            # unfinished prompts: their running beams compete as they are
            for q in range(b):
                if not done[q]:
                    for j in range(nb):
                        r = q * nb + j
                        s = new_scores[r]
                        if s != float('-inf'):
                            finished[q].append(
                                (norm(s, t + 1), beams[rows[r]] + [tokens[r]]))
            break
        beams = [beams[r] + [tok] for r, tok in zip(rows, tokens)]
        scores = torch.tensor(new_scores, device=input_ids.device).view(b, nb)
        index = torch.tensor(rows, device=input_ids.device)
        step.select(index)
        step.advance(index.new_tensor(tokens))
    out = []
    for q in range(b):
        if finished[q]:
            score, ids = max(finished[q], key=lambda f: f[0])
        else:
            score, ids = float('-inf'), []
        out.append((ids, score))
    return out
