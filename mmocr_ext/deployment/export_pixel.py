# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ONNX export of UPOCR: one graph for all tasks, the task as an input.

The graph ``upocr`` is :meth:`UPOCR.run` (pad to ``pad_size_divisor``,
SwinV2 encoder, ``proj`` + task prompt, SwinV2 decoder, crop) with the
task given as a row index of ``task_prompt.task_embedding`` (``task_id``,
int64 ``(B,)``; ``model.task_list[i]`` is task ``i``) instead of a list of
names, so a batch may mix tasks as in PyTorch. What ``predict`` does after
the network (clamp, bicubic resize to the original size, uint8,
segmentation threshold / tamper argmax) stays in Python.
"""
import os.path as osp
from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .onnx_utils import (ExportedGraph, check_graph, export_graph,
                         input_shapes, with_second_size)

DEFAULT_UPOCR_SHAPES: Tuple[Tuple[int, int], ...] = ((64, 64), (96, 128))


class UPOCRExportWrapper(nn.Module):
    """:meth:`UPOCR.run` with tensor task ids (exportable).

    Args:
        model (nn.Module): A :class:`~mmocr_ext.models.pixel.UPOCR`.
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, img: Tensor,
                task_id: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """Encode, prompt, decode.

        Args:
            img (Tensor): RGB in [0, 1], :math:`(B, 3, H, W)`.
            task_id (Tensor): int64 :math:`(B,)`, rows of ``task_list``.

        Returns:
            tuple[Tensor]: Outputs at 1/4, 1/2 and 1/1:
            :math:`(B, 3, \\lceil H/r \\rceil, \\lceil W/r \\rceil)`.
        """
        m = self.model
        H, W = img.shape[-2:]
        d = m.pad_size_divisor
        x = F.pad(img, (0, (-W) % d, 0, (-H) % d))
        skips = m.encoder(x)
        bottleneck = m.proj(skips[-1].permute(0, 2, 3, 1))
        bottleneck = bottleneck.permute(0, 3, 1, 2)
        prompt = m.task_prompt.task_embedding(task_id)[:, :, None, None]
        bottleneck = bottleneck + prompt.expand_as(bottleneck)
        outs = m.decoder(bottleneck, skips)
        cropped = []
        for out in outs:
            ratio = x.shape[-2] // out.shape[-2]
            # ceil(H / r) with non-negative operands: ONNX integer Div
            # truncates, so PyTorch's -(-H // r) would floor in the graph.
            cropped.append(out[..., :(H + ratio - 1) //
                               ratio, :(W + ratio - 1) // ratio])
        return tuple(cropped)


class UPOCRRef(nn.Module):
    """The unmodified :meth:`UPOCR.run` (the PyTorch reference)."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, img: Tensor, task_id: Tensor) -> List[Tensor]:
        return self.model.run(img, [int(t) for t in task_id])


def export_upocr(model: nn.Module,
                 out_dir: str,
                 img_shapes: Sequence[Tuple[int, int]] = DEFAULT_UPOCR_SHAPES,
                 atol: float = 1e-3,
                 opset: int = 17,
                 seed: int = 0) -> List[ExportedGraph]:
    """Export UPOCR to ``<out_dir>/upocr.onnx`` and verify it.

    Args:
        model (nn.Module): UPOCR.
        out_dir (str): Output folder.
        img_shapes (Sequence[tuple[int, int]]): ``(H, W)`` sizes: export
            at the first (batch 1), check at each (batch 1 for the first,
            batch 2 with two tasks for the others). Defaults to
            ``((64, 64), (96, 128))``.
        atol (float): Largest allowed max abs difference. Defaults to 1e-3.
        opset (int): ONNX opset. Defaults to 17.
        seed (int): Seed of the random check inputs. Defaults to 0.

    Returns:
        list[ExportedGraph]: One graph.
    """
    img_shapes = with_second_size(img_shapes)
    model = model.eval()
    num_tasks = len(model.task_list)
    gen = torch.Generator().manual_seed(seed)
    inputs_list = []
    for i, (h, w) in enumerate(img_shapes):
        batch = 1 if i == 0 else 2
        img = torch.rand(batch, 3, h, w, generator=gen)
        task_id = torch.arange(i, i + batch) % num_tasks
        inputs_list.append((img, task_id))
    input_names = ['img', 'task_id']
    output_names = ['out_4', 'out_2', 'out_1']
    axes = {'img': {0: 'batch', 2: 'height', 3: 'width'}}
    axes['task_id'] = {0: 'batch'}
    for name, r in zip(output_names, ('4', '2', '1')):
        axes[name] = {0: 'batch', 2: f'height_{r}', 3: f'width_{r}'}
    path = osp.join(out_dir, 'upocr.onnx')
    export_graph(
        UPOCRExportWrapper(model).eval(),
        inputs_list[0],
        path,
        input_names,
        output_names,
        axes,
        opset=opset)
    reference = UPOCRRef(model).eval()
    diff = check_graph(reference, path, input_names, output_names, inputs_list,
                       atol)
    return [
        ExportedGraph(
            name='upocr',
            path=path,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=axes,
            max_abs_diff=diff,
            checked_shapes=input_shapes(inputs_list),
            notes=('img: RGB in [0, 1]; task_id: rows of task_list ' +
                   str(list(model.task_list)) + '; clamp, resize to the '
                   'original size, thresholds stay in Python'),
            extra=dict(task_list=list(model.task_list)),
            module=reference,
            example_inputs=tuple(inputs_list[0]))
    ]


__all__ = ['export_upocr', 'UPOCRExportWrapper']
