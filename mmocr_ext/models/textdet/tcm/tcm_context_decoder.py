# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Cross-attention context decoder of TCM (Yu et al., CVPR 2023)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from mmocr.registry import MODELS


class _Attention(nn.Module):
    """Multi-head attention with separate q/k/v projections (no bias).

    Args:
        dim (int): Token width.
        num_heads (int): Number of heads; ``dim`` must be divisible by it.
        proj_drop (float): Dropout after the output projection.
    """

    def __init__(self, dim: int, num_heads: int, proj_drop: float) -> None:
        super().__init__()
        assert dim % num_heads == 0, f'{dim} not divisible by {num_heads}'
        self.num_heads = num_heads
        self.scale = (dim // num_heads)**-0.5
        self.q_proj = nn.Linear(dim, dim, bias=False)
        self.k_proj = nn.Linear(dim, dim, bias=False)
        self.v_proj = nn.Linear(dim, dim, bias=False)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, q: torch.Tensor, k: torch.Tensor,
                v: torch.Tensor) -> torch.Tensor:
        """Attend from ``q`` (B, N, C) to ``k``, ``v`` (B, M, C): (B, N, C)."""
        B, N, C = q.shape
        M = k.shape[1]
        h = self.num_heads
        q = self.q_proj(q).reshape(B, N, h, C // h).transpose(1, 2)
        k = self.k_proj(k).reshape(B, M, h, C // h).transpose(1, 2)
        v = self.v_proj(v).reshape(B, M, h, C // h).transpose(1, 2)
        # softmax(q k^T * head_dim ** -0.5) v without materialising the
        # (B, h, N, M) weights: N = M = H/32 * W/32 in the visual prompt
        x = F.scaled_dot_product_attention(q, k, v, scale=self.scale)
        x = x.transpose(1, 2).reshape(B, N, C)
        return self.proj_drop(self.proj(x))


class _DecoderLayer(nn.Module):
    """Pre-norm transformer decoder layer: self-attn, cross-attn, MLP.

    Args:
        dim (int): Token width.
        num_heads (int): Attention heads.
        dropout (float): Dropout of attention outputs and of the MLP.
    """

    def __init__(self, dim: int, num_heads: int, dropout: float) -> None:
        super().__init__()
        self.self_attn = _Attention(dim, num_heads, dropout)
        self.cross_attn = _Attention(dim, num_heads, dropout)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.norm3 = nn.LayerNorm(dim)
        self.dropout = nn.Dropout(dropout)
        self.mlp = nn.Sequential(
            nn.Linear(dim, dim * 4), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(dim * 4, dim))

    def forward(self, x: torch.Tensor, mem: torch.Tensor) -> torch.Tensor:
        """Update queries ``x`` (B, N, C) with memory ``mem`` (B, M, C)."""
        q = k = v = self.norm1(x)
        x = x + self.self_attn(q, k, v)
        q = self.norm2(x)
        x = x + self.cross_attn(q, mem, mem)
        x = x + self.dropout(self.mlp(self.norm3(x)))
        return x


@MODELS.register_module()
class TCMContextDecoder(BaseModule):
    """Cross-attention decoder used twice in TCM (CVPR 2023, Sec. 3.2/3.3).

    TCM builds two instances with their own weights:

    - the **visual prompt generator**: queries are the dense visual tokens
      :math:`V` (B, HW, 1024), memory is the text embedding T (B, K, 1024);
      its output, scaled by a scalar gate, is added to :math:`V`;
    - the **context decoder** (text refinement): queries are T, memory is
      :math:`[g; V]` (B, 1 + HW, 1024); its output, scaled by a 1024-d gate,
      is added to T.

    Data flow (all widths for the defaults)::

        query  (B, N, 1024) -> text_proj  = LN + Linear(1024, 256)
        memory (B, M, 1024) -> memory_proj = LN + Linear(1024, 256) + LN
        num_layers x [x += SelfAttn(LN1 x); x += CrossAttn(LN2 x, memory);
                      x += Dropout(MLP(LN3 x))]
        out_proj = LN + Linear(256, 1024) -> (B, N, 1024)

    Attention uses separate q/k/v linears without bias, an output linear with
    bias, scale ``head_dim ** -0.5`` and output dropout. Module names follow
    the official checkpoints' layout as far as it is known (``text_proj``,
    ``memory_proj``, ``out_proj``, ``norm1..3``); the names inside the
    attention blocks (``q_proj``/``k_proj``/``v_proj``/``proj``) and the MLP
    are [unverified] against a real checkpoint (``docs/tcm.md``, weight
    conversion).

    Args:
        transformer_width (int): Decoder width. Defaults to 256.
        transformer_heads (int): Attention heads. Defaults to 4.
        transformer_layers (int): Decoder layers. Defaults to 3.
        visual_dim (int): Width of queries, memory and output. Defaults to
            1024.
        dropout (float): Dropout rate. Defaults to 0.1.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None, which keeps the official initialisation
            (Linear truncated-normal std 0.02 / zero bias, LayerNorm 1 / 0).
    """

    def __init__(self,
                 transformer_width: int = 256,
                 transformer_heads: int = 4,
                 transformer_layers: int = 3,
                 visual_dim: int = 1024,
                 dropout: float = 0.1,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        width = transformer_width
        self.memory_proj = nn.Sequential(
            nn.LayerNorm(visual_dim), nn.Linear(visual_dim, width),
            nn.LayerNorm(width))
        self.text_proj = nn.Sequential(
            nn.LayerNorm(visual_dim), nn.Linear(visual_dim, width))
        self.decoder = nn.ModuleList([
            _DecoderLayer(width, transformer_heads, dropout)
            for _ in range(transformer_layers)
        ])
        self.out_proj = nn.Sequential(
            nn.LayerNorm(width), nn.Linear(width, visual_dim))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, query: torch.Tensor,
                memory: torch.Tensor) -> torch.Tensor:
        """Decode.

        Args:
            query (Tensor): Query tokens :math:`(B, N, visual\\_dim)`.
            memory (Tensor): Memory tokens :math:`(B, M, visual\\_dim)`.

        Returns:
            Tensor: Residual update of the queries, :math:`(B, N,
            visual\\_dim)` (the caller scales it with its gate).
        """
        mem = self.memory_proj(memory)
        x = self.text_proj(query)
        for layer in self.decoder:
            x = layer(x, mem)
        return self.out_proj(x)
