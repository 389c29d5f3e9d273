# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ONNX export of I3CL (an mmdet Mask R-CNN variant) as three graphs.

The whole detector does not export (docs/deployment.md, "I3CL"): mmdet's
proposal and detection steps call mmcv's ``RoIAlign`` and ``nms`` custom
ops and loop over images and levels in Python on data-dependent sizes. The
network parts export:

1. ``i3cl_backbone``: image -> the five FPN levels after the intra-instance
   blocks and the RPN head outputs per level.
2. ``i3cl_bbox_head``: P2-P5 + RoIs -> box classification and regression.
3. ``i3cl_mask_head``: P2-P5 + RoIs -> mask logits, inter-instance module
   and global context included.

In graphs 2 and 3 mmcv's ``RoIAlign`` is replaced by torchvision's
``roi_align`` (same sampling with ``aligned=True``; ONNX ``RoiAlign``,
``half_pixel``), the level assignment is computed for every RoI and the
per-level results are combined with masks instead of data-dependent
indexing, and the inter-instance transformer runs over all RoIs with a
block-diagonal attention mask (RoIs of different images do not attend to
each other) instead of a Python loop over images. Each graph is checked
against the unmodified PyTorch modules (mmcv ``RoIAlign``, the per-image
loop). Anchors, proposal decoding, NMS, box decoding and mask pasting stay
in Python (mmdet).
"""
import os.path as osp
from typing import List, Sequence, Tuple

import torch
from torch import Tensor, nn

from .i3cl_onnx_ops import inter_instance_export, random_rois, roi_extract
from .onnx_utils import (ExportedGraph, check_graph, export_graph,
                         input_shapes, with_second_size)

DEFAULT_I3CL_SHAPES: Tuple[Tuple[int, int], ...] = ((128, 160), (192, 128))
LEVELS = ('p2', 'p3', 'p4', 'p5', 'p6')


def _detector(model: nn.Module) -> nn.Module:
    """The mmdet detector inside an ``I3CLWrapper`` (or itself)."""
    return getattr(model, 'wrapped_model', model)


class I3CLBackboneExport(nn.Module):
    """Backbone, FPN, intra-instance blocks and RPN head.

    Args:
        detector (nn.Module): An ``I3CLMaskRCNN``.
    """

    def __init__(self, detector: nn.Module) -> None:
        super().__init__()
        self.detector = detector

    def forward(self, img: Tensor) -> Tuple[Tensor, ...]:
        """(B, 3, H, W) normalised -> 5 levels ``(B, C, H/s, W/s)``
        (s = 4..64), 5 RPN objectness maps ``(B, A, H/s, W/s)`` and 5 RPN
        deltas ``(B, 4A, H/s, W/s)``."""
        feats = self.detector.extract_feat(img)
        cls_scores, bbox_preds = self.detector.rpn_head(feats)
        return (*feats, *cls_scores, *bbox_preds)


class I3CLBBoxHeadExport(nn.Module):
    """Box branch of the RoI head on given RoIs (exportable)."""

    def __init__(self, roi_head: nn.Module) -> None:
        super().__init__()
        self.roi_head = roi_head

    def forward(self, *args: Tensor) -> Tuple[Tensor, Tensor]:
        """``(P2, ..., P5, rois)`` -> ``cls_score`` (N, num_classes + 1),
        ``bbox_pred`` (N, 4 * num_classes) or (N, 4)."""
        *feats, rois = args
        head = self.roi_head
        bbox_feats = roi_extract(head.bbox_roi_extractor, feats, rois)
        return head.bbox_head(bbox_feats)


class I3CLBBoxHeadRef(nn.Module):
    """The unmodified box branch (mmcv RoIAlign): the PyTorch reference."""

    def __init__(self, roi_head: nn.Module) -> None:
        super().__init__()
        self.roi_head = roi_head

    def forward(self, *args: Tensor) -> Tuple[Tensor, Tensor]:
        *feats, rois = args
        res = self.roi_head._bbox_forward(tuple(feats), rois)
        return res['cls_score'], res['bbox_pred']


class I3CLMaskHeadExport(nn.Module):
    """Mask branch (extractor, inter-instance module, FCN mask head)."""

    def __init__(self, roi_head: nn.Module) -> None:
        super().__init__()
        self.roi_head = roi_head

    def forward(self, *args: Tensor) -> Tensor:
        """``(P2, ..., P5, rois)`` -> mask logits (N, num_classes, 28, 28).
        """
        *feats, rois = args
        head = self.roi_head
        mask_feats = roi_extract(head.mask_roi_extractor, feats, rois)
        if getattr(head, 'intercl_on', False):
            levels = len(head.inter_cl_module.global_context_extract_module.
                         conv1x1_list)
            mask_feats = inter_instance_export(head.inter_cl_module,
                                               feats[:levels], mask_feats,
                                               rois)
        return head.mask_head(mask_feats)


class I3CLMaskHeadRef(nn.Module):
    """The unmodified mask branch: the PyTorch reference."""

    def __init__(self, roi_head: nn.Module) -> None:
        super().__init__()
        self.roi_head = roi_head

    def forward(self, *args: Tensor) -> Tensor:
        *feats, rois = args
        return self.roi_head._mask_forward(tuple(feats), rois)['mask_preds']


def _graph(name, path, inputs, outputs, axes, diff, inputs_list, notes,
           module):
    return ExportedGraph(
        name=name,
        path=path,
        input_names=inputs,
        output_names=outputs,
        dynamic_axes=axes,
        max_abs_diff=diff,
        checked_shapes=input_shapes(inputs_list),
        notes=notes,
        module=module,
        example_inputs=tuple(inputs_list[0]))


def export_i3cl(model: nn.Module,
                out_dir: str,
                img_shapes: Sequence[Tuple[int, int]] = DEFAULT_I3CL_SHAPES,
                roi_img_shapes: Sequence[Tuple[int, int]] = ((512, 640),
                                                             (384, 512)),
                num_rois: int = 6,
                atol: float = 1e-3,
                opset: int = 17,
                seed: int = 0) -> List[ExportedGraph]:
    """Export I3CL as ``i3cl_backbone``, ``i3cl_bbox_head`` and
    ``i3cl_mask_head`` in ``out_dir`` and verify each.

    Args:
        model (nn.Module): ``I3CLWrapper`` or ``I3CLMaskRCNN``.
        out_dir (str): Output folder.
        img_shapes (Sequence[tuple[int, int]]): Image sizes ``(H, W)``
            (multiples of 32) of the backbone checks: export at the first
            with batch 1, check the others with batch 2. Defaults to
            ``((128, 160), (192, 128))``.
        roi_img_shapes (Sequence[tuple[int, int]]): Image sizes whose FPN
            level shapes (random features) the RoI-head graphs are checked
            on: large enough that RoIs reach every level. Defaults to
            ``((512, 640), (384, 512))``.
        num_rois (int): RoIs per image in the RoI-head checks. Defaults
            to 6.
        atol (float): Largest allowed max abs difference. Defaults to 1e-3.
        opset (int): ONNX opset (>= 16 for ``RoiAlign`` half-pixel).
            Defaults to 17.
        seed (int): Seed of the random check inputs. Defaults to 0.

    Returns:
        list[ExportedGraph]: The three graphs.
    """
    img_shapes = with_second_size(img_shapes)
    for h, w in (*img_shapes, *roi_img_shapes):
        if h % 32 or w % 32:
            raise ValueError(
                f'I3CL needs H and W multiples of 32, got {h}x{w}')
    opset = max(opset, 16)
    det = _detector(model).eval()
    gen = torch.Generator().manual_seed(seed)
    graphs = []

    # 1. backbone + FPN + intra blocks + RPN head.
    backbone = I3CLBackboneExport(det).eval()
    img_list = [(torch.randn(1 if i == 0 else 2, 3, h, w, generator=gen), )
                for i, (h, w) in enumerate(img_shapes)]
    with torch.no_grad():
        num_levels = len(det.extract_feat(img_list[0][0]))
    levels = list(LEVELS[:num_levels])
    outs = (
        levels + [f'rpn_cls_{n}'
                  for n in levels] + [f'rpn_reg_{n}' for n in levels])
    axes = {'img': {0: 'batch', 2: 'height', 3: 'width'}}
    for o in outs:
        lvl = o.rsplit('_', 1)[-1]
        axes[o] = {0: 'batch', 2: f'height_{lvl}', 3: f'width_{lvl}'}
    path = osp.join(out_dir, 'i3cl_backbone.onnx')
    export_graph(backbone, img_list[0], path, ['img'], outs, axes, opset=opset)
    diff = check_graph(backbone, path, ['img'], outs, img_list, atol)
    graphs.append(
        _graph(
            'i3cl_backbone', path, ['img'], outs, axes, diff, img_list,
            'input: normalised image (DetDataPreprocessor, pad to 32); '
            'anchors, proposal decoding and NMS stay in Python', backbone))

    # 2./3. RoI heads on random FPN-shaped features and random RoIs.
    roi_head = det.roi_head
    channels = int(roi_head.bbox_roi_extractor.out_channels)
    n_in = roi_head.bbox_roi_extractor.num_inputs
    roi_list = []
    for i, (h, w) in enumerate(roi_img_shapes):
        batch = 1 if i == 0 else 2
        feats = [
            torch.randn(batch, channels, h // s, w // s, generator=gen)
            for s in roi_head.bbox_roi_extractor.featmap_strides[:n_in]
        ]
        rois = random_rois(num_rois + i, batch, h, w, gen)
        roi_list.append((*feats, rois))
    in_names = list(LEVELS[:n_in]) + ['rois']
    base_axes = {
        n: {
            0: 'batch',
            2: f'height_{n}',
            3: f'width_{n}'
        }
        for n in LEVELS[:n_in]
    }
    base_axes['rois'] = {0: 'num_rois'}
    heads = [('i3cl_bbox_head', I3CLBBoxHeadExport, I3CLBBoxHeadRef,
              ['cls_score', 'bbox_pred'
               ], 'rois (N, 5) [batch index, x1, y1, x2, y2] sorted by image; '
              'box decoding and NMS stay in Python')]
    if roi_head.with_mask:
        heads.append(
            ('i3cl_mask_head', I3CLMaskHeadExport, I3CLMaskHeadRef,
             ['mask_logits'], 'rois: the detections, sorted by image (N = 0 '
             'gives an empty output); sigmoid, mask paste and polygons '
             'stay in Python'))
    for name, export_cls, ref_cls, out_names, notes in heads:
        axes = dict(base_axes)
        axes.update({o: {0: 'num_rois'} for o in out_names})
        path = osp.join(out_dir, f'{name}.onnx')
        export_graph(
            export_cls(roi_head).eval(),
            roi_list[0],
            path,
            in_names,
            out_names,
            axes,
            opset=opset)
        reference = ref_cls(roi_head).eval()
        diff = check_graph(reference, path, in_names, out_names, roi_list,
                           atol)
        graphs.append(
            _graph(name, path, in_names, out_names, axes, diff, roi_list,
                   notes, reference))
    return graphs


__all__ = [
    'export_i3cl', 'I3CLBackboneExport', 'I3CLBBoxHeadExport',
    'I3CLMaskHeadExport', 'roi_extract', 'random_rois'
]
