# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Exportable re-writes of I3CL's RoI-stage operations (see
:mod:`.export_i3cl`): each computes what the model's own module computes,
without mmcv custom ops or data-dependent Python control flow, and is
checked against it."""
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def roi_extract(extractor: nn.Module, feats: Sequence[Tensor],
                rois: Tensor) -> Tensor:
    """``SingleRoIExtractor`` without data-dependent indexing.

    Every RoI is pooled on every level with torchvision's ``roi_align`` and
    the result of its assigned level (mmdet's ``map_roi_levels``) is kept.

    Args:
        extractor (nn.Module): mmdet ``SingleRoIExtractor`` (mmcv
            ``RoIAlign`` layers, ``pool_mode='avg'``).
        feats (Sequence[Tensor]): Levels ``(B, C, h_l, w_l)``.
        rois (Tensor): ``(N, 5)``: batch index, x1, y1, x2, y2.

    Returns:
        Tensor: ``(N, C, S, S)``.
    """
    from torchvision.ops import roi_align
    num_levels = extractor.num_inputs
    levels = extractor.map_roi_levels(rois, num_levels)
    out = None
    for i, layer in enumerate(extractor.roi_layers[:num_levels]):
        if getattr(layer, 'pool_mode', 'avg') != 'avg':
            raise ValueError('only avg RoIAlign exports')
        pooled = roi_align(
            feats[i],
            rois,
            output_size=tuple(layer.output_size),
            spatial_scale=float(layer.spatial_scale),
            sampling_ratio=int(layer.sampling_ratio),
            aligned=bool(layer.aligned))
        pooled = pooled * (levels == i).to(pooled.dtype)[:, None, None, None]
        out = pooled if out is None else out + pooled
    return out


def _adaptive_max_pool(x: Tensor, size: int) -> Tensor:
    """``AdaptiveMaxPool2d(size)`` on a static spatial size, by slices
    (ONNX has no adaptive pooling for non-divisible sizes)."""
    h, w = int(x.shape[-2]), int(x.shape[-1])
    rows = []
    for i in range(size):
        h0, h1 = (i * h) // size, -(-(i + 1) * h // size)
        cols = []
        for j in range(size):
            w0, w1 = (j * w) // size, -(-(j + 1) * w // size)
            cols.append(x[:, :, h0:h1, w0:w1].amax(dim=(2, 3)))
        rows.append(torch.stack(cols, dim=-1))
    return torch.stack(rows, dim=-2)


def _encoder_export(encoder: nn.TransformerEncoder, x: Tensor,
                    block: Tensor) -> Tensor:
    """Post-norm ``nn.TransformerEncoder`` (eval) on one sequence, written
    out so that the traced graph keeps the sequence length dynamic.

    Args:
        encoder (nn.TransformerEncoder): Post-norm layers (ReLU FFN).
        x (Tensor): Tokens ``(N, D)``.
        block (Tensor): ``(N, N)`` bool, True where attention is forbidden.

    Returns:
        Tensor: ``(N, D)``.
    """
    for layer in encoder.layers:
        if layer.norm_first:
            raise ValueError('only post-norm encoder layers export')
        attn = layer.self_attn
        heads, head_dim = attn.num_heads, attn.head_dim
        q, k, v = F.linear(x, attn.in_proj_weight, attn.in_proj_bias).chunk(
            3, dim=-1)
        q, k, v = (
            t.reshape(-1, heads, head_dim).transpose(0, 1) for t in (q, k, v))
        scores = q @ k.transpose(1, 2) * head_dim**-0.5
        scores = scores.masked_fill(block[None], float('-inf'))
        out = (scores.softmax(dim=-1) @ v).transpose(0, 1).reshape(
            -1, heads * head_dim)
        x = layer.norm1(x + attn.out_proj(out))
        x = layer.norm2(x + layer.linear2(layer.activation(layer.linear1(x))))
    if encoder.norm is not None:
        x = encoder.norm(x)
    return x


def inter_instance_export(inter: nn.Module, feats: Sequence[Tensor],
                          roi_feats: Tensor, rois: Tensor) -> Tensor:
    """``I3CLInterInstance.forward`` for all images at once.

    The per-image transformer loop becomes one sequence over all RoIs with
    a mask forbidding attention between RoIs of different images: the same
    attention weights (masked keys get zero weight).

    Args:
        inter (nn.Module): ``I3CLInterInstance``.
        feats (Sequence[Tensor]): Context levels ``(B, C, h_l, w_l)``.
        roi_feats (Tensor): ``(N, C, S, S)``.
        rois (Tensor): ``(N, 5)``, column 0 the image index.

    Returns:
        Tensor: ``(N, C, S, S)``.
    """
    context = inter.global_context_extract_module(feats)  # (B, C, 1, 1)
    tokens = _adaptive_max_pool(
        inter.conv1x1_reduce_channel(roi_feats), inter.pool)
    n_all = tokens.size(0)
    img_idx = rois[:, 0].long()
    block = img_idx[:, None] != img_idx[None, :]  # True: not attended
    seq = _encoder_export(inter.transformer_encoder_instance,
                          tokens.flatten(1), block)
    seq = seq.reshape(n_all, inter.token_channels, inter.pool, inter.pool)
    up = F.interpolate(
        inter.conv1x1_return_channel(seq),
        size=roi_feats.shape[-2:],
        mode='bilinear',
        align_corners=True)
    fused = roi_feats + up + context[img_idx]
    return inter.relu(inter.bn(inter.conv1x1_out(inter.conv3x3_out(fused))))


def random_rois(num: int, batch: int, height: int, width: int,
                gen: torch.Generator) -> Tensor:
    """``num`` RoIs per image (sorted by image, as mmdet's ``bbox2roi``):
    the whole image first, then sides from 4 px to the image size, so that
    every FPN level is used."""
    rois = []
    for b in range(batch):
        side = torch.exp(
            torch.empty(num, 2).uniform_(
                1.4,
                float(torch.log(torch.tensor([height, width]).min())),
                generator=gen))
        x1 = torch.rand(num, generator=gen) * (width - side[:, 0])
        y1 = torch.rand(num, generator=gen) * (height - side[:, 1])
        rois.append(
            torch.stack([
                torch.full((num, ), float(b)), x1, y1, x1 + side[:, 0],
                y1 + side[:, 1]
            ],
                        dim=1))
        rois[-1][0, 1:] = torch.tensor([0., 0., width, height])
    return torch.cat(rois)


__all__ = ['roi_extract', 'inter_instance_export', 'random_rois']
