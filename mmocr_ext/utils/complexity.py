# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Multiply-accumulate counts of a model forward (device independent).

mmengine's ``FlopAnalyzer`` traces the model with ``torch.jit`` and counts
multiply-accumulates (MACs; it calls them flops) of convolutions, linear
layers, matmuls and einsums. Two op kinds that matter for the detectors of
this package are not counted by it and get handles here:

- ``aten::scaled_dot_product_attention`` (``nn.MultiheadAttention`` and
  ``F.multi_head_attention_forward`` dispatch to it): ``Q K^T`` plus
  ``A V``, i.e. ``prod(batch dims) * Lq * Lk * (E + Ev)``;
- mmcv's (modulated) deformable convolution (DBNet-R50-DCNv2): the MACs of
  the equivalent dense convolution, ``numel(out) * Cin/groups * kh * kw``
  (the bilinear sampling is not counted).

Element-wise ops, softmax, normalisations and pooling are not counted (as
in mmengine and fvcore); :func:`count_macs` returns them as ``uncounted``.
"""
from collections import Counter
from math import prod
from typing import Any, Dict, List

import torch
from mmengine.analysis import FlopAnalyzer
from mmengine.analysis.jit_handles import get_shape
from torch import nn

_DEFORM_OPS = ('prim::PythonOp.ModulatedDeformConv2dFunction',
               'prim::PythonOp.DeformConv2dFunction')


def sdpa_macs(inputs: List[Any], outputs: List[Any]) -> int:
    """MACs of ``scaled_dot_product_attention(q, k, v, ...)``.

    Args:
        inputs (list): jit values; the first three are q (..., Lq, E),
            k (..., Lk, E) and v (..., Lk, Ev).
        outputs (list): jit values (unused).

    Returns:
        int: ``prod(q.shape[:-1]) * Lk * (E + Ev)``.
    """
    q, k, v = (get_shape(val) for val in inputs[:3])
    return prod(q[:-1]) * k[-2] * (q[-1] + v[-1])


def deform_conv_macs(inputs: List[Any], outputs: List[Any]) -> int:
    """MACs of an mmcv (modulated) deformable convolution.

    Args:
        inputs (list): jit values ``input, offset, mask, weight, ...``
            (modulated) or ``input, offset, weight, ...``; the weight is the
            last 4-d tensor of the first four.
        outputs (list): jit values; the first is the output map
            (N, Cout, H, W).

    Returns:
        int: ``numel(out) * Cin/groups * kh * kw``.
    """
    out = get_shape(outputs[0])
    weight = [s for s in map(get_shape, inputs[:4]) if s and len(s) == 4][-1]
    return prod(out) * prod(weight[1:])


class _TensorMode(nn.Module):
    """``model(x, mode='tensor')`` as a plain ``forward(x)`` for tracing."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, inputs: torch.Tensor) -> Any:
        return self.model(inputs, mode='tensor')


def count_macs(model: nn.Module, inputs: torch.Tensor) -> Dict:
    """Count the MACs of ``model(inputs, mode='tensor')``.

    Args:
        model (nn.Module): An mmengine ``BaseModel`` (detector) in eval mode.
        inputs (Tensor): Images (B, 3, H, W) after the data preprocessor.

    Returns:
        dict: ``total`` (int), ``by_module`` (MACs of the model's direct
        children and of ``backbone.attnpool`` when present) and
        ``uncounted`` (op name -> number of calls not counted).
    """
    analyzer = FlopAnalyzer(_TensorMode(model), (inputs, ))
    analyzer.set_op_handle('aten::scaled_dot_product_attention', sdpa_macs,
                           **{op: deform_conv_macs
                              for op in _DEFORM_OPS})
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    analyzer.tracer_warnings('none')
    with torch.no_grad():
        total = analyzer.total()
        per_module = analyzer.by_module()
    names = [name for name, _ in model.named_children()]
    if hasattr(getattr(model, 'backbone', None), 'attnpool'):
        names.append('backbone.attnpool')
    by_module = {
        name: int(per_module.get('model.' + name, 0))
        for name in names if per_module.get('model.' + name, 0)
    }
    return dict(
        total=int(total),
        by_module=by_module,
        uncounted=dict(Counter(analyzer.unsupported_ops())))
