# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Greedy E2STR decoding on the exported ONNX graphs (onnxruntime, CPU).

The Python loop of :func:`e2str_greedy_onnx` is
:func:`~mmocr_ext.models.textrecog.e2str.e2str_generation.greedy_decode`
with every LM call replaced by one run of the ``e2str_decoder_step`` graph
(see :mod:`.export_textrecog` for its inputs and outputs).
"""
import os
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import Tensor, nn

from .onnx_utils import ORT_MISSING_MSG, OnnxMismatchError


def ort_session(path: str):
    """An onnxruntime CPU session for ``path`` (``OMP_NUM_THREADS`` intra-op
    threads when set).

    Raises:
        ImportError: onnxruntime is missing (the message says how to
            install it).
    """
    try:
        import onnxruntime as ort
    except ImportError as e:
        raise ImportError(ORT_MISSING_MSG) from e
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    threads = os.environ.get('OMP_NUM_THREADS', '')
    if threads.isdigit():
        opts.intra_op_num_threads = int(threads)
    return ort.InferenceSession(
        path, sess_options=opts, providers=['CPUExecutionProvider'])


def _run(sess, feeds: Dict[str, np.ndarray]) -> List[np.ndarray]:
    names = {i.name for i in sess.get_inputs()}
    return sess.run(None, {k: v for k, v in feeds.items() if k in names})


def _cache_spec(sess) -> Tuple[List[str], int, int]:
    """Past input names, kv heads and head dim read from the step graph."""
    past = [i for i in sess.get_inputs() if i.name.startswith('past_')]
    return [i.name for i in past], int(past[0].shape[1]), int(past[0].shape[3])


def e2str_greedy_onnx(
    step_sess,
    input_ids: np.ndarray,
    attention_mask: np.ndarray,
    media: np.ndarray,
    image_token_id: int,
    chunk_token_id: int,
    banned: Sequence[int],
    max_new_tokens: int = 48
) -> Tuple[List[Tuple[List[int], float]], np.ndarray]:
    """Greedy decoding of left-padded prompts with the decoder-step graph.

    Args:
        step_sess: onnxruntime session of ``e2str_decoder_step``.
        input_ids (np.ndarray): (B, L) int64 prompts (in-context
            demonstrations included), left-padded.
        attention_mask (np.ndarray): (B, L) int64.
        media (np.ndarray): (B, T, m, D) float32 latents of each prompt's
            T images (the ``e2str_encoder`` graph's output).
        image_token_id (int): ``<image>``.
        chunk_token_id (int): ``<|endofchunk|>`` (stops a row).
        banned (Sequence[int]): Never generated (``<image>``, pad).
        max_new_tokens (int): Most tokens generated. Defaults to 48.

    Returns:
        tuple: Per row ``(ids without end-of-chunk, mean log-prob)`` (as
        ``greedy_decode``) and the raw logits of every step (S, B, V).
    """
    past_names, heads, dim = _cache_spec(step_sess)
    b = input_ids.shape[0]
    mask = attention_mask.astype(np.int64)
    feeds = dict(
        input_ids=input_ids.astype(np.int64),
        attention_mask=mask,
        media=media.astype(np.float32),
        media_offset=np.zeros(b, np.int64))
    feeds.update(
        {n: np.zeros((b, heads, 0, dim), np.float32)
         for n in past_names})
    last_time = (input_ids == image_token_id).sum(axis=1).astype(np.int64)
    logits, *present = _run(step_sess, feeds)
    done = np.zeros(b, bool)
    total = np.zeros(b, np.float64)
    length = np.zeros(b, np.float64)
    generated, all_logits = [], []
    for _ in range(max_new_tokens):
        all_logits.append(logits)
        z = logits.astype(np.float32).copy()
        z[:, list(banned)] = -np.inf
        z = z - z.max(axis=-1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
        tokens = logp.argmax(axis=-1)
        best = logp[np.arange(b), tokens]
        tokens = np.where(done, chunk_token_id, tokens)
        total += np.where(done, 0., best)
        length += ~done
        generated.append(tokens)
        done = done | (tokens == chunk_token_id)
        if done.all():
            break
        mask = np.concatenate([mask, np.ones((b, 1), np.int64)], axis=1)
        feeds = dict(
            input_ids=tokens[:, None].astype(np.int64),
            attention_mask=mask,
            media=feeds['media'],
            media_offset=last_time)
        feeds.update(zip(past_names, present))
        logits, *present = _run(step_sess, feeds)
    rows = np.stack(generated, axis=1).tolist()
    out = []
    for i, row in enumerate(rows):
        ids = row[:row.index(chunk_token_id)] if chunk_token_id in row \
            else row
        out.append((ids, float(total[i] / max(length[i], 1.))))
    return out, np.stack(all_logits)


def banned_ids(lm: nn.Module) -> List[int]:
    """Tokens greedy decoding never emits (``<image>``, pad)."""
    return [t for t in (lm.image_token_id, lm.pad_token_id) if t is not None]


def _compare_prompts(model: nn.Module, step_sess, prompts: List[str],
                     media_t: Tensor, media_o: np.ndarray, max_new_tokens: int,
                     atol: float) -> Dict:
    """Torch greedy vs ORT greedy on ``prompts``; raises on a mismatch."""
    from mmocr_ext.models.textrecog.e2str.e2str_generation import greedy_decode
    lm = model.language_model
    enc = lm.tokenize(prompts, torch.device('cpu'))
    ids, mask = enc['input_ids'], enc['attention_mask']
    torch_hyps = greedy_decode(
        lm, ids, mask, media_t, max_new_tokens, use_cache=True)
    ort_hyps, ort_logits = e2str_greedy_onnx(step_sess, ids.numpy(),
                                             mask.numpy(), media_o,
                                             lm.image_token_id,
                                             lm.chunk_token_id, banned_ids(lm),
                                             max_new_tokens)
    torch_tokens = [h[0] for h in torch_hyps]
    ort_tokens = [h[0] for h in ort_hyps]
    if torch_tokens != ort_tokens:
        raise OnnxMismatchError(
            f'e2str_decoder_step: ORT greedy tokens {ort_tokens} != PyTorch '
            f'{torch_tokens} for prompts {prompts}')
    # PyTorch logits of every step: the whole generated sequence at once.
    steps = ort_logits.shape[0]
    gen = torch.tensor(
        [h[0] + [lm.chunk_token_id] * (steps - len(h[0])) for h in ort_hyps],
        dtype=torch.long)[:, :steps - 1]
    full = torch.cat([ids, gen], dim=1)
    full_mask = torch.cat([mask, torch.ones_like(gen)], dim=1)
    with torch.no_grad():
        logits, _ = lm(full, full_mask, media_t)
    ref = logits[:, ids.shape[1] - 1:].transpose(0, 1).numpy()
    logit_diff = float(np.abs(ref - ort_logits).max())
    score_diff = max(
        abs(a[1] - b[1]) for a, b in zip(torch_hyps, ort_hyps)
        if np.isfinite(a[1]))
    worst = max(logit_diff, score_diff)
    if not worst <= atol:
        raise OnnxMismatchError(
            f'e2str_decoder_step: greedy logits/scores differ by {worst:.3g} '
            f'> atol {atol:g} for prompts {prompts}')
    return dict(
        prompts=prompts,
        tokens=torch_tokens,
        steps=int(steps),
        max_logit_diff=logit_diff,
        max_score_diff=score_diff)


def check_e2str_greedy(model: nn.Module,
                       enc_sess,
                       step_sess,
                       images: Tensor,
                       max_new_tokens: int = 8,
                       atol: float = 1e-3,
                       demo_texts: Optional[Sequence[str]] = None) -> Dict:
    """Greedy decoding on ORT (encoder graph + step loop) vs PyTorch.

    Two cases: plain ``<image>`` prompts of every image, and in-context
    prompts (each image after two demonstrations made of the other images
    with ``demo_texts``). Tokens must be equal; per-step logits and the
    hypothesis scores within ``atol``.

    Args:
        model (E2STR): The recognizer, on CPU, eval mode.
        enc_sess, step_sess: onnxruntime sessions of the two graphs.
        images (Tensor): (N >= 2, 3, H, W) normalised crops.
        max_new_tokens (int): Defaults to 8.
        atol (float): Defaults to 1e-3.
        demo_texts (Sequence[str], optional): Demonstration labels.
            Defaults to the first printable characters of the tokenizer.

    Returns:
        dict: ``plain`` and ``icl`` results (prompts, tokens, steps,
        max_logit_diff, max_score_diff), ``max_logit_diff`` overall.

    Raises:
        OnnxMismatchError: Tokens differ, or a logit / score beyond
            ``atol``.
    """
    from mmocr_ext.models.textrecog.e2str.e2str_tokenizer import (
        CHUNK_TOKEN, IMAGE_TOKEN, unencodable_chars)
    lm = model.language_model
    with torch.no_grad():
        lat_t = model.extract_feat(images)
    lat_o = _run(enc_sess, dict(image=images.numpy()))[0]
    n = len(images)
    plain = _compare_prompts(model, step_sess, [IMAGE_TOKEN] * n,
                             lat_t[:, None], lat_o[:,
                                                   None], max_new_tokens, atol)
    if demo_texts is None:
        chars = [
            c for c in 'abcdefgh12' if not unencodable_chars(lm.tokenizer, c)
        ]
        demo_texts = [''.join(chars[i:i + 2]) for i in range(0, 6, 2)]
    demos = [[(i + 1) % n, (i + 2) % n] for i in range(n)]
    prompts = [
        ''.join(f'{IMAGE_TOKEN}{demo_texts[(i + j) % len(demo_texts)]}'
                f'{CHUNK_TOKEN}' for j, _ in enumerate(row)) + IMAGE_TOKEN
        for i, row in enumerate(demos)
    ]
    order = [row + [i] for i, row in enumerate(demos)]
    icl = _compare_prompts(model, step_sess, prompts,
                           lat_t[torch.tensor(order)], lat_o[np.array(order)],
                           max_new_tokens, atol)
    return dict(
        plain=plain,
        icl=icl,
        max_logit_diff=max(plain['max_logit_diff'], icl['max_logit_diff']))
