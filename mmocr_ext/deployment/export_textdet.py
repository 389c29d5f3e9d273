# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ONNX export of the text detectors: TCM / FastTCM and I3CL.

TCM and FastTCM export as one graph ``tcm`` / ``fasttcm``: the whole network
from the normalised image to DBNet's probability, threshold and binary maps
(and TCM's score map), text branch included. ``DBPostprocessor`` (contours,
unclip, scores) stays in Python. I3CL: see :mod:`.export_i3cl`.
"""
import contextlib
import math
import os.path as osp
from typing import Iterator, List, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .export_i3cl import export_i3cl
from .onnx_utils import (ExportedGraph, check_graph, export_graph,
                         input_shapes, with_second_size)

#: Default export / check sizes (H, W): the graph is exported at the first,
#: verified at all of them; batch 1 then 2.
DEFAULT_TCM_SHAPES: Tuple[Tuple[int, int], ...] = ((64, 64), (96, 128))


class TCMExportWrapper(nn.Module):
    """TCM / FastTCM network as a tensor-in, tensors-out module.

    Args:
        model (nn.Module): A :class:`~mmocr_ext.models.textdet.TCM` or
            :class:`~mmocr_ext.models.textdet.FastTCM` (eval mode).
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, img: Tensor) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        """Run the detector up to the DB maps.

        Args:
            img (Tensor): Normalised images :math:`(B, 3, H, W)`, H and W
                multiples of 32 (the output of ``TextDetDataPreprocessor``).

        Returns:
            tuple[Tensor]: ``prob_map`` :math:`(B, H, W)` (sigmoid),
            ``thr_map`` :math:`(B, H, W)`, ``binary_map`` :math:`(B, H, W)`
            (DB's differentiable binarisation, k = 50) and ``score_map``
            :math:`(B, K, H/32, W/32)` (TCM's text-image cosine map).
        """
        feats, score_map = self.model.extract_feat(img)
        _, thr_map, binary_map, prob_map = self.model.det_head(
            feats, mode='both')
        return prob_map, thr_map, binary_map, score_map


def _attnpool_forward_export(pool: nn.Module,
                             x: Tensor) -> Tuple[Tensor, Tensor]:
    """``DenseAttentionPool2d.forward`` with a traceable grid resize.

    The model's forward returns the positional embedding untouched when the
    grid is the native one and otherwise resizes it to ``int(H), int(W)``:
    both freeze the input size into a traced graph. Here the grid is always
    resized to the traced ``(H, W)`` (bilinear, ``align_corners=False``, an
    exact identity at the native grid), so the graph stays dynamic. The
    exported graph is checked against the unmodified model.

    Args:
        pool (nn.Module): A ``DenseAttentionPool2d``.
        x (Tensor): Features of shape (B, embed_dim, H, W).

    Returns:
        tuple[Tensor, Tensor]: ``global_feat`` (B, output_dim) and
        ``dense_feat`` (B, output_dim, H, W).
    """
    height, width = x.shape[-2:]
    pos = pool.positional_embedding
    side = int(round(math.sqrt(pos.shape[0] - 1)))
    grid = pos[1:].float().reshape(1, side, side, -1).permute(0, 3, 1, 2)
    grid = F.interpolate(
        grid, size=(height, width), mode='bilinear', align_corners=False)
    grid = grid.flatten(2).transpose(1, 2)[0].to(pos.dtype)  # (HW, C)
    return pool.attend(x, torch.cat([pos[:1], grid], dim=0))


@contextlib.contextmanager
def traceable_attnpool(model: nn.Module) -> Iterator[None]:
    """Swap every ``DenseAttentionPool2d`` forward of ``model`` for
    :func:`_attnpool_forward_export` while the context is active."""
    pools = [
        m for m in model.modules()
        if type(m).__name__ == 'DenseAttentionPool2d'
    ]
    for pool in pools:
        pool.forward = _attnpool_forward_export.__get__(pool)
    try:
        yield
    finally:
        for pool in pools:
            del pool.forward


class _PromptEmbedding(nn.Module):
    """Stands in for CLIP's token embedding during export: the embeddings
    of the model's fixed prompt ids, looked up once (the exporter would
    otherwise store the whole 49,408-row table, 25-100 MB)."""

    def __init__(self, embedding: nn.Embedding, ids: Tensor) -> None:
        super().__init__()
        self.ids = ids
        with torch.no_grad():
            self.register_buffer('table', embedding(ids).detach().clone())

    def forward(self, text: Tensor) -> Tensor:
        if text is not self.ids:
            raise RuntimeError('export: token ids other than the prompts')
        return self.table


@contextlib.contextmanager
def prompt_embedding_only(model: nn.Module) -> Iterator[None]:
    """Swap the text encoder's token embedding for
    :class:`_PromptEmbedding` while the context is active."""
    encoder = model.text_encoder
    original = encoder.token_embedding
    encoder.token_embedding = _PromptEmbedding(original, model.text_ids)
    try:
        yield
    finally:
        encoder.token_embedding = original


@contextlib.contextmanager
def constant_meta_text(model: nn.Module) -> Iterator[None]:
    """FastTCM: compute the image-independent text embedding once and let
    ``meta_text`` return it while the context is active, so that it enters
    the traced graph as a constant (``train()``, which the exporter calls,
    would drop the model's own cache). No-op for TCM."""
    if not hasattr(model, 'meta_text'):
        yield
        return
    with torch.no_grad():
        text = model.compute_text()
    model.meta_text = lambda: text
    try:
        yield
    finally:
        del model.meta_text


def _tcm_dynamic_axes() -> dict:
    maps = {0: 'batch', 1: 'height', 2: 'width'}
    return {
        'img': {
            0: 'batch',
            2: 'height',
            3: 'width'
        },
        'prob_map': maps,
        'thr_map': maps,
        'binary_map': maps,
        'score_map': {
            0: 'batch',
            2: 'height_32',
            3: 'width_32'
        },
    }


def export_tcm(model: nn.Module,
               out_dir: str,
               img_shapes: Sequence[Tuple[int, int]] = DEFAULT_TCM_SHAPES,
               atol: float = 1e-3,
               opset: int = 17,
               seed: int = 0) -> List[ExportedGraph]:
    """Export TCM or FastTCM to ``<out_dir>/{tcm,fasttcm}.onnx`` and verify.

    One graph, input ``img`` :math:`(B, 3, H, W)` (normalised, H and W
    multiples of 32), outputs ``prob_map``, ``thr_map``, ``binary_map``
    :math:`(B, H, W)` and ``score_map`` :math:`(B, K, H/32, W/32)`; batch,
    H and W are dynamic. TCM's text branch (prompt generator, CLIP text
    encoder, context decoders) is in the graph; FastTCM's image-independent
    text embedding is folded into a constant (its BSM re-weighting by the
    global image feature stays in the graph).

    Args:
        model (nn.Module): TCM or FastTCM.
        out_dir (str): Output folder.
        img_shapes (Sequence[tuple[int, int]]): ``(H, W)`` sizes: export at
            the first (batch 1), check at each (batch 1 for the first,
            batch 2 for the others). Defaults to ``((64, 64), (96, 128))``.
        atol (float): Largest allowed max abs difference. Defaults to 1e-3.
        opset (int): ONNX opset. Defaults to 17.
        seed (int): Seed of the random check inputs. Defaults to 0.

    Returns:
        list[ExportedGraph]: One graph.
    """
    img_shapes = with_second_size(img_shapes)
    for h, w in img_shapes:
        if h % 32 or w % 32:
            raise ValueError(f'TCM needs H and W multiples of 32, got {h}x{w}')
    is_fast = any(c.__name__ == 'FastTCM' for c in type(model).__mro__)
    name = 'fasttcm' if is_fast else 'tcm'
    model = model.eval()
    wrapper = TCMExportWrapper(model).eval()
    gen = torch.Generator().manual_seed(seed)
    inputs_list = [(torch.randn(1 if i == 0 else 2, 3, h, w, generator=gen), )
                   for i, (h, w) in enumerate(img_shapes)]
    input_names = ['img']
    output_names = ['prob_map', 'thr_map', 'binary_map', 'score_map']
    dynamic_axes = _tcm_dynamic_axes()
    path = osp.join(out_dir, f'{name}.onnx')
    with traceable_attnpool(model), constant_meta_text(model), \
            prompt_embedding_only(model):
        export_graph(
            wrapper,
            inputs_list[0],
            path,
            input_names,
            output_names,
            dynamic_axes=dynamic_axes,
            opset=opset)
    # Reference: the unmodified PyTorch model.
    diff = check_graph(wrapper, path, input_names, output_names, inputs_list,
                       atol)
    notes = ('input: normalised image (TextDetDataPreprocessor: mean/std, '
             'BGR->RGB, pad to 32); DBPostprocessor stays in Python')
    if name == 'fasttcm':
        notes += '; the meta-query text embedding is a constant of the graph'
    return [
        ExportedGraph(
            name=name,
            path=path,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic_axes,
            max_abs_diff=diff,
            checked_shapes=input_shapes(inputs_list),
            notes=notes,
            module=wrapper,
            example_inputs=tuple(inputs_list[0]))
    ]


__all__ = ['export_tcm', 'export_i3cl', 'TCMExportWrapper']
