# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ONNX export of E2STR: an encoder graph and a cached decoder-step graph.

Graphs (``<out_dir>/<name>.onnx``):

``e2str_encoder``
    ``image`` (N, 3, H, W) float, normalised crops (the data preprocessor's
    output) -> ``latents`` (N, m, D): the Perceiver latents the LM
    cross-attends to. Dynamic: N. H, W are fixed by the ViT's learned
    position embedding (32 x 128 for E2STR).

``e2str_decoder_step``
    One call of the LM with gated cross-attention on new tokens after
    ``P`` cached positions (``P`` may be 0: the whole prompt, in-context
    demonstrations included, is one call):

    - ``input_ids`` (B, L) int64, the new tokens (left-padded prompts);
    - ``attention_mask`` (B, P + L) int64, 1 for real tokens (past + new);
    - ``media`` (B, T, m, D) float, latents of the T images of each prompt
      (T = k demonstrations + 1 query with an in-context pool, else 1);
    - ``media_offset`` (B,) int64, number of ``<image>`` tokens before
      ``input_ids`` (0 for the prompt; afterwards the prompt's count);
    - ``past_key_<i>`` / ``past_value_<i>`` (B, heads, P, head_dim), every
      layer ``i``;

    -> ``logits`` (B, V) of the last position, ``present_key_<i>`` /
    ``present_value_<i>`` (B, heads, P + L, head_dim). Dynamic: B, L, P,
    T. The cross-attention keys/values of ``media`` are recomputed inside
    every step (one small matmul per layer).

Greedy and beam search, the tokenizer, the in-context pool retrieval and
the post-processing stay in Python (:mod:`.export_e2str_runtime` runs the
greedy loop on these graphs).
"""
import copy
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import torch
from torch import Tensor, nn

from .export_e2str_runtime import check_e2str_greedy, ort_session
from .onnx_utils import ExportedGraph, check_graph, export_graph, input_shapes


class _E2STREncoder(nn.Module):
    """``image`` (N, 3, H, W) -> Perceiver ``latents`` (N, m, D)."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, image: Tensor) -> Tensor:
        return self.model.extract_feat(image)


class _E2STRDecoderStep(nn.Module):
    """One cached LM call; see the module docstring for the signature."""

    def __init__(self, lm: nn.Module) -> None:
        super().__init__()
        self.lm = lm

    def forward(self, input_ids: Tensor, attention_mask: Tensor, media: Tensor,
                media_offset: Tensor, *past: Tensor) -> Tuple[Tensor, ...]:
        from transformers import DynamicCache
        cache = DynamicCache(config=self.lm.lm.config)
        for i in range(len(past) // 2):
            cache.update(past[2 * i], past[2 * i + 1], i)
        text_time = self.lm.text_time(input_ids, media_offset)
        logits, cache = self.lm(
            input_ids,
            attention_mask,
            media,
            text_time,
            past_key_values=cache,
            use_cache=True)
        out = [logits[:, -1]]
        for layer in cache.layers:
            out += [layer.keys, layer.values]
        return tuple(out)


def _cache_shape(lm: nn.Module) -> Tuple[int, int, int]:
    """(num_layers, kv_heads, head_dim) of the LM's KV cache, measured by
    running it on one token."""
    ids = torch.tensor([[lm.image_token_id]])
    with torch.no_grad():
        _, cache = lm(ids, torch.ones_like(ids), None, use_cache=True)
    keys = [layer.keys for layer in cache.layers]
    return len(keys), keys[0].shape[1], keys[0].shape[3]


def _step_inputs(lm: nn.Module, prompts: Sequence[Sequence[int]],
                 past_len: int, media: Tensor, offset: Sequence[int],
                 cache_shape: Tuple[int, int,
                                    int], seed: int) -> Tuple[Tensor, ...]:
    """Decoder-step inputs: left-padded ``prompts`` after ``past_len``
    random cached positions (all real)."""
    pad = lm.pad_token_id if lm.pad_token_id is not None else 0
    b, length = len(prompts), max(len(p) for p in prompts)
    ids = torch.full((b, length), pad, dtype=torch.long)
    mask = torch.zeros(b, past_len + length, dtype=torch.long)
    mask[:, :past_len] = 1
    for i, p in enumerate(prompts):
        ids[i, length - len(p):] = torch.tensor(p)
        mask[i, past_len + length - len(p):] = 1
    layers, heads, dim = cache_shape
    g = torch.Generator().manual_seed(seed)
    past = [
        torch.randn(b, heads, past_len, dim, generator=g)
        for _ in range(2 * layers)
    ]
    return (ids, mask, media, torch.tensor(offset, dtype=torch.long), *past)


def _names(num_layers: int) -> Tuple[List[str], List[str], dict]:
    kv = [(i, n) for i in range(num_layers) for n in ('key', 'value')]
    past = [f'past_{n}_{i}' for i, n in kv]
    present = [f'present_{n}_{i}' for i, n in kv]
    inputs = ['input_ids', 'attention_mask', 'media', 'media_offset'] + past
    outputs = ['logits'] + present
    dynamic = {
        'input_ids': {
            0: 'batch',
            1: 'new_len'
        },
        'attention_mask': {
            0: 'batch',
            1: 'total_len'
        },
        'media': {
            0: 'batch',
            1: 'num_images'
        },
        'media_offset': {
            0: 'batch'
        },
        'logits': {
            0: 'batch'
        },
    }
    dynamic.update({n: {0: 'batch', 2: 'past_len'} for n in past})
    dynamic.update({n: {0: 'batch', 2: 'total_len'} for n in present})
    return inputs, outputs, dynamic


def export_e2str(model: nn.Module,
                 out_dir: str,
                 img_shapes: Optional[Sequence[Sequence[int]]] = None,
                 atol: float = 1e-3,
                 greedy_steps: int = 8,
                 **kwargs) -> List[ExportedGraph]:
    """Export and verify E2STR's encoder and decoder-step graphs.

    Checks (each raises :class:`~.onnx_utils.OnnxMismatchError` past
    ``atol`` or on a shape / token mismatch):

    - encoder at batch 1 and 3;
    - decoder step (a) after a cache of 3 positions with 4 new tokens, 2
      images and left padding, (b) on an in-context prompt (2
      demonstrations + query, 3 images, empty cache, batch 3), (c) one new
      token after 7 cached positions;
    - greedy decoding: the ORT encoder + a Python loop over ORT decoder
      steps gives the tokens of :func:`~mmocr_ext.models.textrecog.e2str.
      e2str_generation.greedy_decode` on the PyTorch model, and logits
      within ``atol`` at every step, for plain prompts (batch 2) and an
      in-context prompt (recorded in the decoder graph's ``extra``).

    Args:
        model (E2STR): The recognizer (any device; exported on a CPU copy).
        out_dir (str): Output folder.
        img_shapes (Sequence, optional): Must be None or the ViT's fixed
            (H, W): its learned position embedding fixes the input size.
        atol (float): Largest allowed max abs difference. Defaults to 1e-3.
        greedy_steps (int): Tokens generated in the greedy check.
            Defaults to 8.
        **kwargs: Ignored (options of other families).

    Returns:
        list[ExportedGraph]: ``e2str_encoder``, ``e2str_decoder_step``.

    Raises:
        ValueError: ``img_shapes`` differs from the ViT's input size.
    """
    vit = model.vision_encoder
    fixed = tuple(int(s) for s in vit.patch_embed.img_size)
    for shape in img_shapes or ():
        if tuple(int(s) for s in shape[-2:]) != fixed:
            raise ValueError(
                f'E2STR: the ViT has a fixed input size {fixed} (its '
                f'learned position embedding); got img_shapes {img_shapes}')
    model = copy.deepcopy(model).cpu().eval()
    lm = model.language_model
    graphs = []

    # -------------------------------------------------------------- encoder
    enc = _E2STREncoder(model).eval()
    g = torch.Generator().manual_seed(0)
    imgs = [torch.randn(n, 3, *fixed, generator=g) for n in (2, 1, 3)]
    path = osp.join(out_dir, 'e2str_encoder.onnx')
    enc_in, enc_out = ['image'], ['latents']
    enc_dyn = {'image': {0: 'batch'}, 'latents': {0: 'batch'}}
    export_graph(enc, (imgs[0], ), path, enc_in, enc_out, enc_dyn)
    checks = [(x, ) for x in imgs[1:]]
    diff = check_graph(enc, path, enc_in, enc_out, checks, atol)
    graphs.append(
        ExportedGraph(
            'e2str_encoder',
            path,
            enc_in,
            enc_out,
            enc_dyn,
            diff,
            input_shapes(checks),
            notes=(f'image size fixed to {fixed} by the ViT position '
                   'embedding; normalisation (data preprocessor) in Python'),
            module=enc,
            example_inputs=(imgs[0], )))

    # --------------------------------------------------------- decoder step
    step = _E2STRDecoderStep(lm).eval()
    cache_shape = _cache_shape(lm)
    names, outs, dyn = _names(cache_shape[0])
    with torch.no_grad():
        lat = model.extract_feat(imgs[2])  # (3, m, D)
    img_id, eoc = lm.image_token_id, lm.chunk_token_id
    a, b_, c, d, e, f = [
        i for i in range(len(lm.tokenizer))
        if i not in lm.special_ids and i not in (img_id, eoc)
    ][:6]
    media2 = torch.stack([lat[:2], lat[1:]], dim=1)  # (2, 2, m, D)
    trace = _step_inputs(lm, [[a, b_, img_id, c], [d, img_id]], 3, media2,
                         [1, 1], cache_shape, 1)
    icl = [[img_id, a, b_, eoc, img_id, c, eoc, img_id],
           [img_id, d, eoc, img_id, e, f, eoc, img_id],
           [img_id, a, eoc, img_id, b_, eoc, img_id]]
    media3 = torch.stack([lat, lat.roll(1, 0), lat.roll(2, 0)], dim=1)
    checks = [
        trace,
        _step_inputs(lm, icl, 0, media3, [0, 0, 0], cache_shape, 2),
        _step_inputs(lm, [[e]], 7, lat[:1, None], [1], cache_shape, 3),
    ]
    path = osp.join(out_dir, 'e2str_decoder_step.onnx')
    export_graph(step, trace, path, names, outs, dyn)
    diff = check_graph(step, path, names, outs, checks, atol)
    greedy = check_e2str_greedy(model, ort_session(graphs[0].path),
                                ort_session(path), imgs[2], greedy_steps, atol)
    graphs.append(
        ExportedGraph(
            'e2str_decoder_step',
            path,
            names,
            outs,
            dyn,
            max(diff, greedy['max_logit_diff']),
            input_shapes(checks),
            notes=('greedy/beam search, tokenizer, in-context pool '
                   'retrieval and post-processing stay in Python; '
                   'cross-attention keys/values of media recomputed '
                   'per step'),
            extra=dict(greedy=greedy, cache_shape=list(cache_shape)),
            module=step,
            example_inputs=tuple(trace)))
    return graphs
