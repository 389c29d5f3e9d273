# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""A pre-norm DETR decoder layer with a key/value cache."""
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

KV = Tuple[Tensor, Tensor]


def _split_heads(x: Tensor, num_heads: int) -> Tensor:
    """(B, T, C) -> (B, heads, T, C / heads)."""
    b, t, c = x.shape
    return x.view(b, t, num_heads, c // num_heads).transpose(1, 2)


def _merge_heads(x: Tensor) -> Tensor:
    """(B, heads, T, c) -> (B, T, heads * c)."""
    b, h, t, c = x.shape
    return x.transpose(1, 2).reshape(b, t, h * c)


class InstructOCRDecoderLayer(nn.Module):
    """SPTS / InstructOCR decoder layer (DETR's ``forward_pre``), cached.

    ``x = x + SelfAttn(q=k=LN1(x)+qpos, v=LN1(x), causal)``;
    ``x = x + CrossAttn(q=LN2(x)+qpos, k=memory+pos, v=memory)``;
    ``x = x + FFN(LN3(x))`` (ReLU, dropout 0.1 everywhere).

    The attentions keep ``nn.MultiheadAttention``'s parameters (so the
    official names ``self_attn.in_proj_weight`` ... load unchanged) but run
    through ``F.scaled_dot_product_attention`` on their projections, which
    lets the self-attention keys/values of earlier positions be cached and
    the memory's keys/values be projected once per image
    (:meth:`project_memory`). Full recomputation (training) and
    incremental decoding run the same code.

    Args:
        d_model (int): Width. Defaults to 512.
        num_heads (int): Attention heads. Defaults to 8.
        ffn_dim (int): FFN hidden width. Defaults to 1024.
        dropout (float): Dropout of the attentions, FFN and residuals.
            Defaults to 0.1.
    """

    def __init__(self,
                 d_model: int = 512,
                 num_heads: int = 8,
                 ffn_dim: int = 1024,
                 dropout: float = 0.1) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.dropout = dropout
        self.self_attn = nn.MultiheadAttention(d_model, num_heads, dropout)
        self.multihead_attn = nn.MultiheadAttention(d_model, num_heads,
                                                    dropout)
        self.linear1 = nn.Linear(d_model, ffn_dim)
        self.linear2 = nn.Linear(ffn_dim, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    @staticmethod
    def _proj(attn: nn.MultiheadAttention, x: Tensor, which: int) -> Tensor:
        """Project with the q (0), k (1) or v (2) slice of ``in_proj``."""
        d = attn.embed_dim
        w = attn.in_proj_weight[which * d:(which + 1) * d]
        b = attn.in_proj_bias[which * d:(which + 1) * d]
        return F.linear(x, w, b)

    def project_memory(self, memory: Tensor, pos: Tensor) -> KV:
        """Keys and values of the cross-attention, computed once.

        Args:
            memory (Tensor): Encoder output (B, S, C).
            pos (Tensor): Its positional encoding (B, S, C).

        Returns:
            tuple[Tensor, Tensor]: Keys and values, (B, heads, S, C/heads).
        """
        k = self._proj(self.multihead_attn, memory + pos, 1)
        v = self._proj(self.multihead_attn, memory, 2)
        return _split_heads(k, self.num_heads), _split_heads(v, self.num_heads)

    def _attend(self, attn: nn.MultiheadAttention, q: Tensor, k: Tensor,
                v: Tensor, mask: Optional[Tensor], causal: bool) -> Tensor:
        p = self.dropout if self.training else 0.0
        out = F.scaled_dot_product_attention(
            _split_heads(q, self.num_heads),
            k,
            v,
            attn_mask=mask,
            dropout_p=p,
            is_causal=causal)
        return attn.out_proj(_merge_heads(out))

    def forward(self,
                x: Tensor,
                query_pos: Tensor,
                memory_kv: KV,
                memory_mask: Optional[Tensor],
                cache: Optional[KV] = None) -> Tuple[Tensor, KV]:
        """Run the layer on new positions.

        Args:
            x (Tensor): Embeddings of the new positions (B, T, C).
            query_pos (Tensor): Their positional embeddings (B or 1, T, C).
            memory_kv (tuple[Tensor, Tensor]): From :meth:`project_memory`.
            memory_mask (Tensor, optional): Bool (B, 1, 1, S), True where a
                memory position may be attended (i.e. not padding).
            cache (tuple[Tensor, Tensor], optional): Self-attention keys and
                values of the earlier positions, (B, heads, T_past, C/heads).
                None when there are none. With a cache the T new positions
                attend to all earlier ones and causally among themselves.

        Returns:
            tuple: The output (B, T, C) and the updated cache (with T more
            positions).
        """
        h = self.norm1(x)
        qk_in = h + query_pos
        q = self._proj(self.self_attn, qk_in, 0)
        k = _split_heads(self._proj(self.self_attn, qk_in, 1), self.num_heads)
        v = _split_heads(self._proj(self.self_attn, h, 2), self.num_heads)
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        t, total = x.shape[1], k.shape[2]
        mask, causal = None, t > 1
        if causal and total > t:  # new block after cached positions
            mask = torch.ones(
                t, total, dtype=torch.bool, device=x.device).tril(total - t)
            causal = False
        x = x + self.drop(self._attend(self.self_attn, q, k, v, mask, causal))

        h = self.norm2(x)
        q = self._proj(self.multihead_attn, h + query_pos, 0)
        x = x + self.drop(
            self._attend(self.multihead_attn, q, memory_kv[0], memory_kv[1],
                         memory_mask, False))

        h = self.norm3(x)
        h = self.linear2(self.drop(F.relu(self.linear1(h))))
        return x + self.drop(h), (k, v)
