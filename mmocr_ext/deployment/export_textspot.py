# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ONNX export of InstructOCR: BERT, encoder, memory projection, decoder step.

Graphs (``<out_dir>/<name>.onnx``):

``instructocr_bert``
    The frozen instruction BERT: ``input_ids`` (B, Lt) int64 (and
    ``attention_mask`` (B, Lt) int64 only when the model's text encoder uses
    one) -> ``last_hidden_state`` (B, Lt, hidden). The WordPiece tokenizer
    (``'<{instruction}><a photo of text>'``, padded to ``max_length``) stays
    in Python. Dynamic: B, Lt.

``instructocr_encoder``
    ``image`` (B, 3, H, W) float (the data preprocessor's output: RGB in
    [0, 1], padded), ``padding_mask`` (B, H, W) bool (True on batch
    padding), ``instruction`` (B, Lt, hidden) float (BERT's output) ->
    ``memory`` (B, S, C), ``memory_mask`` (B, S) bool, ``pos`` (B, S, C) with
    ``S = ceil(H / 32) * ceil(W / 32)``. Dynamic: B, H, W, Lt.

``instructocr_memory_proj``
    ``memory``, ``pos`` -> ``mem_key_<i>`` / ``mem_value_<i>`` (B, heads, S,
    C / heads) for every decoder layer ``i``: the cross-attention keys and
    values, projected once per image. Dynamic: B, S.

``instructocr_decoder_step``
    ``tokens`` (B, T) int64 at positions ``P .. P + T - 1``,
    ``memory_mask`` (B, S) bool, ``mem_key_<i>`` / ``mem_value_<i>``,
    ``past_key_<i>`` / ``past_value_<i>`` (B, heads, P, C / heads; P = 0 at
    the first step) -> ``logits`` (B, num_classes) of the last position,
    ``present_key_<i>`` / ``present_value_<i>`` (B, heads, P + T, C /
    heads). The position is the cache length. Dynamic: B, T, P, S.

The greedy loop (rows leaving the batch at EOS, optional slot constraint),
the tokenizers and the post-processing (tokens -> points and texts,
instruction filtering) stay in Python
(:func:`~.export_instructocr_runtime.instructocr_greedy_onnx`).
"""
import copy
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import torch
from torch import Tensor, nn

from .export_e2str_runtime import ort_session
from .export_instructocr_runtime import check_instructocr_greedy
from .onnx_utils import (ExportedGraph, OnnxMismatchError, check_graph,
                         compare_outputs, export_graph, input_shapes)


class _Bert(nn.Module):
    """``input_ids`` [``attention_mask``] -> BERT's last hidden state."""

    def __init__(self, bert: nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self,
                input_ids: Tensor,
                attention_mask: Optional[Tensor] = None) -> Tensor:
        return self.bert(
            input_ids=input_ids,
            attention_mask=attention_mask).last_hidden_state


class _Encoder(nn.Module):
    """The model's own backbone + encoder with BERT's output as input."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, image: Tensor, padding_mask: Tensor,
                instruction: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        text_encoder = self.model.encoder.text_encoder
        # the text encoder's own projection, applied to the given features
        text_encoder.encode_text = lambda _: instruction
        try:
            out = self.model.encoder(
                self.model.extract_feat(image), padding_mask,
                [''] * image.shape[0])
        finally:
            del text_encoder.encode_text
        return out['memory'], out['memory_mask'], out['pos']


class _MemoryProj(nn.Module):
    """``memory``, ``pos`` -> per-layer cross-attention keys, values."""

    def __init__(self, decoder: nn.Module) -> None:
        super().__init__()
        self.decoder = decoder

    def forward(self, memory: Tensor, pos: Tensor) -> Tuple[Tensor, ...]:
        kv = self.decoder.project_memory(memory, pos)
        return tuple(t for pair in kv for t in pair)


class _DecoderStep(nn.Module):
    """``decoder.step`` at position ``P`` = the cache length."""

    def __init__(self, decoder: nn.Module) -> None:
        super().__init__()
        self.decoder = decoder

    def forward(self, tokens: Tensor, memory_mask: Tensor, *kv:
                Tensor) -> Tuple[Tensor, ...]:
        n = len(self.decoder.layers)
        mem = [(kv[2 * i], kv[2 * i + 1]) for i in range(n)]
        past = [(kv[2 * n + 2 * i], kv[2 * n + 2 * i + 1]) for i in range(n)]
        logits, caches = self.decoder.step(tokens, past[0][0].shape[2], mem,
                                           (~memory_mask)[:, None,
                                                          None, :], past)
        return (logits[:, -1], *[t for pair in caches for t in pair])


def _axes(names: Sequence[str], spec: str) -> dict:
    """``{name: {axis: axis_name}}``; ``spec`` lists the axis names of each
    tensor, ``-`` for a static axis."""
    return {
        n: {
            i: a
            for i, a in enumerate(spec.split()) if a != '-'
        }
        for n in names
    }


def _kv_names(prefix: str, n: int) -> List[str]:
    return [f'{prefix}_{kv}_{i}' for i in range(n) for kv in ('key', 'value')]


def _bert_inputs(model: nn.Module,
                 instructions: Sequence[str],
                 max_length: Optional[int] = None) -> tuple:
    te = model.encoder.text_encoder
    enc = te.tokenizer(
        model.encoder.format_instructions(instructions),
        padding='max_length',
        truncation=True,
        max_length=max_length or te.max_length,
        return_tensors='pt')
    if te.use_attention_mask:
        return enc['input_ids'], enc['attention_mask']
    return (enc['input_ids'], )


def _enc_inputs(model,
                shape,
                valid,
                instructions,
                seed,
                max_length=None) -> tuple:
    """Encoder inputs: random images of ``shape`` whose row ``i`` is valid
    on ``valid[i]`` (H, W) (zero elsewhere, as batch padding), BERT
    features of ``instructions`` (tokenized to ``max_length``)."""
    g = torch.Generator().manual_seed(seed)
    b = len(valid)
    image = torch.rand(b, 3, *shape, generator=g)
    mask = torch.ones(b, *shape, dtype=torch.bool)
    for i, (h, w) in enumerate(valid):
        mask[i, :h, :w] = False
        image[i, :, h:] = 0
        image[i, :, :, w:] = 0
    with torch.no_grad():
        text = _Bert(model.encoder.text_encoder.bert)(
            *_bert_inputs(model, instructions, max_length))
    return image, mask, text


def export_instructocr(model: nn.Module,
                       out_dir: str,
                       img_shapes: Optional[Sequence[Sequence[int]]] = None,
                       atol: float = 1e-3,
                       greedy_max_len: Optional[int] = None,
                       **kwargs) -> List[ExportedGraph]:
    """Export and verify InstructOCR's four graphs.

    Each graph is checked against its PyTorch wrapper at two batch sizes
    and, for image-shaped axes, at every ``img_shapes`` entry (plus
    padding); the encoder wrapper is first checked against
    ``model.encode``. Then the whole chain (ORT BERT -> encoder -> memory
    projection -> a Python greedy loop over decoder steps) must give the
    tokens of the PyTorch model's greedy decoding exactly (probabilities
    within ``atol``), at two image sizes.

    Args:
        model (InstructOCR): The spotter (exported on a CPU copy).
        out_dir (str): Output folder.
        img_shapes (Sequence, optional): (H, W) sizes (multiples of 32, as
            the data preprocessor pads) to check; the first is the export
            size. Defaults to ((64, 96), (96, 128)).
        atol (float): Largest allowed max abs difference. Defaults to 1e-3.
        greedy_max_len (int, optional): Decoding length of the greedy
            check. Defaults to the model's ``decode_cfg['max_len']`` or its
            whole sequence.
        **kwargs: Ignored (options of other families).

    Returns:
        list[ExportedGraph]: ``instructocr_bert``, ``instructocr_encoder``,
        ``instructocr_memory_proj``, ``instructocr_decoder_step``.

    Raises:
        OnnxExportError: A graph does not export.
        OnnxMismatchError: ORT and PyTorch disagree beyond ``atol`` or in
            the greedy tokens.
    """
    shapes = [
        tuple(int(v) for v in s[-2:])
        for s in (img_shapes or ((64, 96), (96, 128)))
    ]
    if len(shapes) == 1:
        shapes.append((shapes[0][0] + 32, shapes[0][1] + 32))
    model = copy.deepcopy(model).cpu().eval()
    te, dec = model.encoder.text_encoder, model.decoder
    te.encode_text(['all text'])  # loads BERT's weights if not yet
    n_layers = len(dec.layers)
    graphs = []

    def add(name, module, trace, checks, inputs, outputs, dynamic, notes=''):
        path = osp.join(out_dir, f'{name}.onnx')
        export_graph(module, trace, path, inputs, outputs, dynamic)
        diff = check_graph(module, path, inputs, outputs, checks, atol)
        graphs.append(
            ExportedGraph(
                name,
                path,
                inputs,
                outputs,
                dynamic,
                diff,
                input_shapes(checks),
                notes,
                module=module,
                example_inputs=tuple(trace)))

    # ------------------------------------------------------------------ BERT
    instr = ['all text', 'text of number', 'words containing the letter e']
    bert_in = ['input_ids'] + ['attention_mask'] * te.use_attention_mask
    add('instructocr_bert', _Bert(te.bert), _bert_inputs(model, instr[:2]),
        [_bert_inputs(model, instr[:1]),
         _bert_inputs(model, instr, 16)], bert_in, ['last_hidden_state'],
        _axes(bert_in + ['last_hidden_state'], 'batch text_len'),
        'WordPiece tokenizer and instruction formatting in Python')

    # --------------------------------------------------------------- encoder
    enc = _Encoder(model).eval()
    (h0, w0), (h1, w1) = shapes[0], shapes[1]
    trace = _enc_inputs(model, (h0, w0), [(h0, w0), (h0 - 16, w0 - 24)],
                        instr[:2], 0)
    checks = [
        _enc_inputs(model, (h0, w0), [(h0, w0)], instr[:1], 1),
        _enc_inputs(model, (h1, w1), [(h1, w1), (h1 // 2, w1),
                                      (h1, w1 - 8)], instr, 2)
    ] + [
        _enc_inputs(model, s, [s, (s[0] - 8, s[1] - 8)], instr[1:], 3 + i)
        for i, s in enumerate(shapes[2:])
    ] + [_enc_inputs(model, (h1, w0), [(h1, w0 - 8)], instr[1:2], 9, 16)]
    _check_encoder_wrapper(model, enc, checks[1], instr, atol)
    enc_checks = checks
    enc_in = ['image', 'padding_mask', 'instruction']
    enc_out = ['memory', 'memory_mask', 'pos']
    add(
        'instructocr_encoder', enc, trace, checks, enc_in, enc_out, {
            **_axes(['image'], 'batch - height width'),
            **_axes(['padding_mask'], 'batch height width'),
            **_axes(['instruction'], 'batch text_len'),
            **_axes(enc_out, 'batch mem_len')
        }, 'image normalisation/padding (data preprocessor) in Python')

    # ----------------------------------------------------- memory projection
    with torch.no_grad():
        mems = [enc(*x) for x in [trace] + checks[:2]]
    mem_names = _kv_names('mem', n_layers)
    add(
        'instructocr_memory_proj', _MemoryProj(dec), (mems[0][0], mems[0][2]),
        [(m[0], m[2]) for m in mems[1:]], ['memory', 'pos'], mem_names, {
            **_axes(['memory', 'pos'], 'batch mem_len'),
            **_axes(mem_names, 'batch - mem_len')
        })

    # ----------------------------------------------------------- decoder step
    step = _DecoderStep(dec).eval()
    heads = dec.layers[0].num_heads
    dim = dec.layers[0].self_attn.embed_dim // heads

    def step_inputs(mem, tokens, past_len, seed):
        g = torch.Generator().manual_seed(seed)
        b = mem[0].shape[0]
        tok = torch.randint(
            0, dec.dictionary.num_classes, (b, tokens), generator=g)
        with torch.no_grad():
            kv = _MemoryProj(dec)(mem[0], mem[2])
        past = [
            torch.randn(b, heads, past_len, dim, generator=g)
            for _ in range(2 * n_layers)
        ]
        return (tok, mem[1], *kv, *past)

    past_names = _kv_names('past', n_layers)
    step_in = ['tokens', 'memory_mask'] + mem_names + past_names
    step_out = ['logits'] + _kv_names('present', n_layers)
    checks = [
        step_inputs(mems[1], 1, 0, 1),
        step_inputs(mems[2], 1, 5, 2),
        step_inputs(mems[2], 3, 0, 3),
        step_inputs(mems[0], 2, 4, 4)
    ]
    add(
        'instructocr_decoder_step', step, step_inputs(mems[0], 2, 3, 0),
        checks, step_in, step_out, {
            **_axes(['tokens'], 'batch new_len'),
            **_axes(['memory_mask'], 'batch mem_len'),
            **_axes(['logits'], 'batch'),
            **_axes(mem_names, 'batch - mem_len'),
            **_axes(past_names, 'batch - past_len'),
            **_axes(step_out[1:], 'batch - total_len')
        }, 'greedy loop, slot constraint and post-processing in Python')

    # ------------------------------------------------------- greedy decoding
    sessions = [ort_session(g.path) for g in graphs]
    greedy = [
        check_instructocr_greedy(model, sessions, (image, mask),
                                 instr[:len(image)], greedy_max_len, atol)
        for image, mask, _ in enc_checks[:2]
    ]
    step_graph = graphs[-1]
    step_graph.extra['greedy'] = greedy
    step_graph.max_abs_diff = max([step_graph.max_abs_diff] +
                                  [g['max_prob_diff'] for g in greedy])
    return graphs


def _check_encoder_wrapper(model: nn.Module, enc: nn.Module, inputs: tuple,
                           instructions: List[str], atol: float) -> None:
    """The wrapper (BERT features as input) equals ``model.encoder`` run on
    the instruction strings."""
    image, mask, text = inputs
    with torch.no_grad():
        ref = model.encoder(model.extract_feat(image), mask, instructions)
        out = enc(image, mask, text)
    diff = compare_outputs([ref['memory'], ref['memory_mask'], ref['pos']],
                           list(out))
    if not diff <= atol:
        raise OnnxMismatchError(
            f'instructocr_encoder: the export wrapper differs from the model '
            f'by {diff:.3g}')
