# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ViTAEv2 backbone with non-shifted window attention (I3CL's ViTAEv2-S)."""
from typing import List, Optional, Sequence, Tuple

import torch
from mmdet.registry import MODELS
from mmengine.model import BaseModule
from timm.layers import trunc_normal_
from torch import Tensor, nn
from torch.nn.modules.batchnorm import _BatchNorm

from .vitae_basic_layer import ViTAEBasicLayer

TOKEN_TYPES = ('swin', 'transformer')


@MODELS.register_module()
class ViTAEv2WindowNoShift(BaseModule):
    """ViTAEv2 (Zhang et al., IJCV 2023) as used by I3CL (spec A2.4).

    The official ``ViTAE_Window_NoShift`` detection backbone; the defaults
    are the ViTAEv2-S settings of I3CL (18,844,040 parameters). Four stages
    (``layers.{0..3}``), each a :class:`ViTAEBasicLayer`: a reduction cell
    ``RC`` (stride ``downsample_ratios[i]``) and ``nc_depths[i]`` normal
    cells ``NC.{j}``. ``'swin'`` stages use non-shifted 7x7 window attention
    (centred zero padding, relative-position table present but unused, spec
    section D), ``'transformer'`` stages global attention. There is no
    classifier head, final norm or per-output norm: stage ``i``'s tokens are
    returned as a ``(B, token_dims[i], H / s_i, W / s_i)`` map,
    ``s = 4, 8, 16, 32`` (sizes rounded up).

    Stochastic depth follows the official slicing (spec A2.4 caveat): with
    ``dpr = linspace(0, drop_path_rate, sum(nc_depths))`` stage ``i`` takes
    ``dpr[start:start + nc_depths[i]]`` with ``start = nc_depths[i - 1]``
    (0 for the first stage), not a cumulative offset.

    Args:
        in_channels (int): Image channels. Defaults to 3.
        token_dims (Sequence[int]): Output channels per stage.
        embed_dims (Sequence[int]): PRM/PCM width of each reduction cell.
        downsample_ratios (Sequence[int]): Stride of each stage.
        kernel_sizes (Sequence[int]): PRM kernel of each stage.
        dilations (Sequence[Sequence[int]]): PRM dilations of each stage.
        rc_heads (Sequence[int]): Reduction-cell heads.
        nc_heads (Sequence[int]): Normal-cell heads.
        rc_groups (Sequence[int]): Reduction-cell PCM groups.
        nc_groups (Sequence[int]): Normal-cell PCM groups.
        nc_depths (Sequence[int]): Normal cells per stage.
        tokens_types (Sequence[str]): ``'swin'`` (window) or
            ``'transformer'`` (global) attention per stage.
        window_size (int): Window side. Defaults to 7.
        mlp_ratio (float): Normal-cell MLP ratio. Defaults to 4.
        rc_mlp_ratio (float): Reduction-cell MLP ratio. Defaults to 1.
        qkv_bias (bool): Normal-cell qkv bias. Defaults to True.
        qk_scale (float, optional): Overrides the attention scales.
        drop_rate (float): Dropout. Defaults to 0.
        attn_drop_rate (float): Attention dropout. Defaults to 0.
        drop_path_rate (float): Stochastic depth (I3CL's config: 0.3).
        out_indices (Sequence[int]): Stages to return. Defaults to all.
        frozen_stages (int): Stages ``0..frozen_stages`` are frozen
            (eval mode, no gradient); -1 freezes nothing. Defaults to -1.
        init_cfg (dict or list[dict], optional): E.g.
            ``dict(type='Pretrained', checkpoint=...)`` with a checkpoint
            converted by ``tools/model_converters/vitae_to_mmocr_ext.py``.
            Without it the official initialisation is used (truncated
            normal ``std=0.02`` Linear weights, zero biases, unit LayerNorm).
    """

    def __init__(self,
                 in_channels: int = 3,
                 token_dims: Sequence[int] = (64, 128, 256, 512),
                 embed_dims: Sequence[int] = (64, 64, 128, 256),
                 downsample_ratios: Sequence[int] = (4, 2, 2, 2),
                 kernel_sizes: Sequence[int] = (7, 3, 3, 3),
                 dilations: Sequence[Sequence[int]] = ((1, 2, 3, 4), (1, 2, 3),
                                                       (1, 2), (1, 2)),
                 rc_heads: Sequence[int] = (1, 1, 2, 4),
                 nc_heads: Sequence[int] = (1, 2, 4, 8),
                 rc_groups: Sequence[int] = (1, 16, 32, 64),
                 nc_groups: Sequence[int] = (1, 32, 64, 128),
                 nc_depths: Sequence[int] = (2, 2, 8, 2),
                 tokens_types: Sequence[str] = ('swin', 'swin', 'transformer',
                                                'transformer'),
                 window_size: int = 7,
                 mlp_ratio: float = 4.,
                 rc_mlp_ratio: float = 1.,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.3,
                 out_indices: Sequence[int] = (0, 1, 2, 3),
                 frozen_stages: int = -1,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        per_stage = (token_dims, embed_dims, downsample_ratios, kernel_sizes,
                     dilations, rc_heads, nc_heads, rc_groups, nc_groups,
                     nc_depths, tokens_types)
        num_stages = len(token_dims)
        if any(len(v) != num_stages for v in per_stage):
            raise ValueError('all per-stage settings need '
                             f'{num_stages} entries')
        if any(t not in TOKEN_TYPES for t in tokens_types):
            raise ValueError(f'tokens_types must be in {TOKEN_TYPES}: '
                             f'{tokens_types}')
        if any(not 0 <= i < num_stages for i in out_indices):
            raise ValueError(f'out_indices {out_indices} out of range')
        self.out_indices = tuple(out_indices)
        self.frozen_stages = frozen_stages
        dpr = torch.linspace(0, drop_path_rate, sum(nc_depths)).tolist()
        self.layers = nn.ModuleList()
        for i in range(num_stages):
            start = 0 if i == 0 else nc_depths[i - 1]  # official slicing
            self.layers.append(
                ViTAEBasicLayer(
                    in_channels,
                    embed_dims[i],
                    token_dims[i],
                    downsample_ratios[i],
                    kernel_sizes[i],
                    dilations[i],
                    rc_heads=rc_heads[i],
                    nc_heads=nc_heads[i],
                    rc_group=rc_groups[i],
                    nc_group=nc_groups[i],
                    drop_paths=dpr[start:start + nc_depths[i]],
                    window_size=window_size
                    if tokens_types[i] == 'swin' else None,
                    mlp_ratio=mlp_ratio,
                    rc_mlp_ratio=rc_mlp_ratio,
                    qkv_bias=qkv_bias,
                    # the official Token_transformer has no qkv bias
                    rc_qkv_bias=tokens_types[i] == 'swin',
                    qk_scale=qk_scale,
                    drop=drop_rate,
                    attn_drop=attn_drop_rate))
            in_channels = token_dims[i]
        self.apply(self._official_init)
        self._freeze_stages()

    @staticmethod
    def _official_init(m: nn.Module) -> None:
        """ViTAE's ``_init_weights`` for Linear and LayerNorm layers."""
        if isinstance(m, nn.Linear):
            trunc_normal_(m.weight, std=.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)

    def _freeze_stages(self) -> None:
        """Freeze ``layers[0..frozen_stages]``."""
        for layer in self.layers[:self.frozen_stages + 1]:
            layer.eval()
            for param in layer.parameters():
                param.requires_grad = False

    def train(self, mode: bool = True) -> 'ViTAEv2WindowNoShift':
        """Set the mode, keeping frozen stages (and their BN) in eval."""
        super().train(mode)
        self._freeze_stages()
        return self

    @property
    def frozen_batch_norms(self) -> List[_BatchNorm]:
        """BatchNorm layers of the frozen stages (always in eval mode)."""
        return [
            m for layer in self.layers[:self.frozen_stages + 1]
            for m in layer.modules() if isinstance(m, _BatchNorm)
        ]

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Extract the stage outputs.

        Args:
            x (Tensor): ``(B, C_in, H, W)`` images, any ``H, W``.

        Returns:
            tuple[Tensor]: For each index in ``out_indices``
            ``(B, token_dims[i], h_i, w_i)``, ``h_i = ceil(H / s_i)``,
            ``s_i`` the product of the first ``i + 1`` downsample ratios.
        """
        outs = []
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i in self.out_indices:
                outs.append(x)
            if i >= max(self.out_indices):
                break
        return tuple(outs)
