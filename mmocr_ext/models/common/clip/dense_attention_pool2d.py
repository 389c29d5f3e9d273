# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIP's QKV attention pool with a dense output and a resizable grid."""
import math
from typing import Tuple

import torch
import torch.nn.functional as F
from open_clip.modified_resnet import AttentionPool2d
from torch import Tensor


def resize_attnpool_pos_embed(pos_embed: Tensor,
                              out_size: Tuple[int, int]) -> Tensor:
    """Resize an attention-pool positional embedding to another grid.

    The embedding holds one class row followed by a square ``S x S`` grid in
    row-major (``h``, ``w``) order, as CLIP's ``AttentionPool2d`` flattens
    ``(B, C, H, W)`` features. The class row is kept, the grid is resized
    with bilinear interpolation (``align_corners=False``; that DenseCLIP's
    release uses exactly this flag is [unverified]) in float32 and cast
    back.

    Args:
        pos_embed (Tensor): Embedding of shape (1 + S * S, C).
        out_size (tuple[int, int]): Target grid ``(h, w)``.

    Returns:
        Tensor: Embedding of shape (1 + h * w, C). The input itself when the
        grid is already ``(h, w)``.
    """
    num_rows, channels = pos_embed.shape
    side = int(round(math.sqrt(num_rows - 1)))
    if side * side != num_rows - 1:
        raise ValueError('expected 1 + S*S positional-embedding rows, got '
                         f'{num_rows}')
    out_h, out_w = int(out_size[0]), int(out_size[1])
    if (side, side) == (out_h, out_w):
        return pos_embed
    cls_row, grid = pos_embed[:1], pos_embed[1:]
    grid = grid.float().reshape(1, side, side, channels).permute(0, 3, 1, 2)
    grid = F.interpolate(
        grid, size=(out_h, out_w), mode='bilinear', align_corners=False)
    grid = grid.permute(0, 2, 3, 1).reshape(out_h * out_w, channels)
    return torch.cat([cls_row, grid.to(pos_embed.dtype)], dim=0)


class DenseAttentionPool2d(AttentionPool2d):
    """CLIP's attention pool returning the global and the dense output.

    A subclass of open_clip's ``AttentionPool2d`` (same parameters, so the
    same state-dict keys as OpenAI CLIP: ``positional_embedding``,
    ``{q,k,v,c}_proj.{weight,bias}``). Two changes, as in DenseCLIP (Rao et
    al., CVPR 2022):

    1. Every token is a query, so besides ``out[0]`` (exactly CLIP's
       image embedding) the per-pixel outputs ``out[1:]`` come back as a
       dense map.
    2. The positional embedding, trained for a ``S x S`` grid, is
       bilinearly resized at run time to the input's ``H x W`` grid
       (:func:`resize_attnpool_pos_embed`); at the native grid it is used
       as is.

    Args:
        spacial_dim (int): Native grid side ``S`` (input resolution / 32).
        embed_dim (int): Channels of the input map (2048 for RN50).
        num_heads (int): Attention heads (32 for RN50).
        output_dim (int): Channels of both outputs (1024 for RN50).
    """

    def __init__(self, spacial_dim: int, embed_dim: int, num_heads: int,
                 output_dim: int) -> None:
        super().__init__(spacial_dim, embed_dim, num_heads, output_dim)
        self.spacial_dim = spacial_dim
        self.output_dim = output_dim

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """Pool a feature map.

        Args:
            x (Tensor): Features of shape (B, embed_dim, H, W).

        Returns:
            tuple[Tensor, Tensor]: ``global_feat`` (B, output_dim) and
            ``dense_feat`` (B, output_dim, H, W).
        """
        pos_embed = resize_attnpool_pos_embed(self.positional_embedding,
                                              x.shape[-2:])
        return self.attend(x, pos_embed)

    def attend(self, x: Tensor, pos_embed: Tensor) -> Tuple[Tensor, Tensor]:
        """Attention pooling with a given positional embedding.

        Args:
            x (Tensor): Features of shape (B, embed_dim, H, W).
            pos_embed (Tensor): Embedding of shape (1 + H * W, embed_dim)
                (class row first), e.g. :func:`resize_attnpool_pos_embed`
                of ``self.positional_embedding``.

        Returns:
            tuple[Tensor, Tensor]: ``global_feat`` (B, output_dim) and
            ``dense_feat`` (B, output_dim, H, W).
        """
        batch, _, height, width = x.shape
        x = x.flatten(2).permute(2, 0, 1)  # (HW, B, C)
        x = torch.cat([x.mean(dim=0, keepdim=True), x], dim=0)
        x = x + pos_embed[:, None, :].to(x.dtype)  # (1 + HW, B, C)
        x, _ = F.multi_head_attention_forward(
            query=x,
            key=x,
            value=x,
            embed_dim_to_check=x.shape[-1],
            num_heads=self.num_heads,
            q_proj_weight=self.q_proj.weight,
            k_proj_weight=self.k_proj.weight,
            v_proj_weight=self.v_proj.weight,
            in_proj_weight=None,
            in_proj_bias=torch.cat(
                [self.q_proj.bias, self.k_proj.bias, self.v_proj.bias]),
            bias_k=None,
            bias_v=None,
            add_zero_attn=False,
            dropout_p=0.,
            out_proj_weight=self.c_proj.weight,
            out_proj_bias=self.c_proj.bias,
            use_separate_proj_weight=True,
            training=self.training,
            need_weights=False)  # (1 + HW, B, output_dim)
        global_feat = x[0]
        dense_feat = x[1:].permute(1, 2, 0).reshape(batch, -1, height, width)
        return global_feat, dense_feat
