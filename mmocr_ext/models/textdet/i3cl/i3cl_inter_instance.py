# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""I3CL's inter-instance module (the official code's ``InterCLBlock``)."""
from typing import Sequence

import torch
import torch.nn.functional as F
from mmdet.registry import MODELS
from torch import Tensor, nn

from .i3cl_global_context import I3CLGlobalContext


@MODELS.register_module()
class I3CLInterInstance(nn.Module):
    """Instance-based transformer over the mask RoIs of one image, fused with
    the RoI features and the global context vector (spec A2.3).

    Per image ``i`` with ``n_i`` RoIs:

    1. ``g = GC(P2..P5)``, shape (B, C, 1, 1) (:class:`I3CLGlobalContext`).
    2. Tokens: ``1x1 (C -> token_channels)`` then adaptive max-pool to
       ``pool x pool``, flattened to ``token_channels * pool**2`` (288) and
       arranged as a sequence of the ``n_i`` instances (no positional
       encoding: permutation-equivariant over instances).
    3. A post-norm ``nn.TransformerEncoder`` (3 layers, 4 heads, FFN 2048,
       dropout 0.1, ReLU) across the instances of that image only.
    4. Back to (n_i, token_channels, pool, pool), ``1x1 -> C``, bilinear
       upsampling to the RoI size with ``align_corners=True``.
    5. ``z = roi + inter + g``; output ``ReLU(BN(1x1(3x3(z))))``.

    An image without RoIs (``n_i = 0``) is skipped, so batches of any size
    and images with zero instances work at train and test time (the
    official code raises for batch > 1 at test time). Parameter names follow
    the official checkpoint (``conv1x1_reduce_channel``,
    ``transformer_encoder_instance``, ``conv1x1_return_channel``,
    ``conv3x3_out``, ``conv1x1_out``, ``bn``,
    ``global_context_extract_module``); 5,483,136 parameters at the official
    sizes.

    Args:
        channels (int): RoI feature width. Defaults to 256.
        token_channels (int): Channels of a token before flattening.
            Defaults to 32.
        pool (int): Token grid side. Defaults to 3.
        num_layers (int): Transformer layers. Defaults to 3.
        num_heads (int): Attention heads. Defaults to 4.
        ffn_channels (int): Feed-forward width. Defaults to 2048.
        dropout (float): Transformer dropout. Defaults to 0.1.
        num_context_levels (int): FPN levels of the global context.
            Defaults to 4.
    """

    def __init__(self,
                 channels: int = 256,
                 token_channels: int = 32,
                 pool: int = 3,
                 num_layers: int = 3,
                 num_heads: int = 4,
                 ffn_channels: int = 2048,
                 dropout: float = 0.1,
                 num_context_levels: int = 4) -> None:
        super().__init__()
        self.pool = pool
        self.token_channels = token_channels
        d_model = token_channels * pool * pool
        self.conv1x1_reduce_channel = nn.Conv2d(channels, token_channels, 1)
        self.token_pool = nn.AdaptiveMaxPool2d(pool)
        layer = nn.TransformerEncoderLayer(
            d_model, num_heads, ffn_channels, dropout, activation='relu')
        self.transformer_encoder_instance = nn.TransformerEncoder(
            layer, num_layers, enable_nested_tensor=False)
        self.conv1x1_return_channel = nn.Conv2d(token_channels, channels, 1)
        self.conv3x3_out = nn.Conv2d(
            channels, channels, 3, padding=1, bias=False)
        self.conv1x1_out = nn.Conv2d(channels, channels, 1)
        self.bn = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)
        self.global_context_extract_module = I3CLGlobalContext(
            channels, num_context_levels)

    def forward(self, feats: Sequence[Tensor], roi_feats: Tensor,
                num_per_img: Sequence[int]) -> Tensor:
        """Fuse instance relations and global context into RoI features.

        Args:
            feats (Sequence[Tensor]): FPN levels P2..P5, each
                (B, C, h_l, w_l).
            roi_feats (Tensor): Mask RoI features (N, C, S, S), the RoIs of
                image 0 first, then image 1, ...
            num_per_img (Sequence[int]): RoIs per image, length B, summing
                to N.

        Returns:
            Tensor: (N, C, S, S).
        """
        num_per_img = [int(n) for n in num_per_img]
        if sum(num_per_img) != roi_feats.size(0):
            raise ValueError(f'{sum(num_per_img)} RoIs counted per image '
                             f'({num_per_img}) but {roi_feats.size(0)} given')
        if roi_feats.size(0) == 0:
            return roi_feats
        context = self.global_context_extract_module(feats)  # (B, C, 1, 1)
        tokens = self.token_pool(self.conv1x1_reduce_channel(roi_feats))
        n_all = tokens.size(0)
        tokens = tokens.flatten(1)  # (N, 288)
        outputs = []
        for seq in tokens.split(num_per_img):
            if seq.size(0):
                # (n_i, 1, 288): attention across the instances of an image.
                seq = self.transformer_encoder_instance(seq[:, None])[:, 0]
            outputs.append(seq)
        inter = torch.cat(outputs).view(n_all, self.token_channels, self.pool,
                                        self.pool)
        inter = F.interpolate(
            self.conv1x1_return_channel(inter),
            size=roi_feats.shape[-2:],
            mode='bilinear',
            align_corners=True)
        img_of_roi = torch.repeat_interleave(
            torch.arange(len(num_per_img), device=roi_feats.device),
            torch.as_tensor(num_per_img, device=roi_feats.device))
        fused = roi_feats + inter + context[img_of_roi]
        return self.relu(self.bn(self.conv1x1_out(self.conv3x3_out(fused))))
