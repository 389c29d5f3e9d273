# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Flamingo's gated cross-attention block (E2STR spec A2.3), native."""
import torch
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import nn

from .perceiver_resampler import feed_forward


class MaskedCrossAttention(nn.Module):
    """Text tokens attend to the latents of their own (most recent) image.

    Args:
        dim (int): Text width.
        dim_visual (int): Latent width.
        dim_head (int): Width of one head.
        heads (int): Number of heads.
    """

    def __init__(self,
                 dim: int,
                 dim_visual: int,
                 dim_head: int = 64,
                 heads: int = 8) -> None:
        super().__init__()
        self.scale = dim_head**-0.5
        self.heads = heads
        inner = dim_head * heads
        self.norm = nn.LayerNorm(dim)
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(dim_visual, inner * 2, bias=False)
        self.to_out = nn.Linear(inner, dim, bias=False)

    def forward(self, x: torch.Tensor, media: torch.Tensor,
                text_time: torch.Tensor) -> torch.Tensor:
        """
        Args:
            x (Tensor): (B, L, D) text hidden states.
            media (Tensor): (B, T, m, Dv) latents of T images.
            text_time (Tensor): (B, L) long, the number of ``<image>``
                tokens at or before each position: a token attends only to
                image ``text_time`` (1-based); 0 means no image yet and
                gives a zero output.

        Returns:
            Tensor: (B, L, D).
        """
        b, t, m, _ = media.shape
        h = self.heads
        q = self.to_q(self.norm(x))
        k, v = self.to_kv(media.reshape(b, t * m, -1)).chunk(2, dim=-1)
        q = q.reshape(b, q.shape[1], h, -1).transpose(1, 2) * self.scale
        k = k.reshape(b, t * m, h, -1).transpose(1, 2)
        v = v.reshape(b, t * m, h, -1).transpose(1, 2)
        sim = q @ k.transpose(-1, -2)  # (b, h, L, t*m)
        media_time = torch.arange(
            1, t + 1, device=x.device).repeat_interleave(m)
        allowed = text_time[:, None, :, None] == media_time
        sim = sim.masked_fill(~allowed, -torch.finfo(sim.dtype).max)
        sim = sim - sim.amax(dim=-1, keepdim=True).detach()
        attn = sim.softmax(dim=-1)
        attn = attn.masked_fill((text_time == 0)[:, None, :, None], 0.)
        out = (attn @ v).transpose(1, 2).reshape(b, x.shape[1], -1)
        return self.to_out(out)


@MODELS.register_module()
class GatedCrossAttentionBlock(BaseModule):
    """``x + tanh(g_a) * XAttn(x)`` then ``x + tanh(g_f) * FF(x)``.

    Both gates start at 0, so a fresh block is the identity and the LM it
    is inserted into behaves exactly as before.

    Args:
        dim (int): Text width.
        dim_visual (int): Latent width.
        dim_head (int): Defaults to 64.
        heads (int): Defaults to 8.
        ff_mult (int): Defaults to 4.
        gate_init (float): Initial value of both gates. Defaults to 0 (the
            official value, which keeps a pretrained LM intact at the start;
            a model trained from scratch has nothing to keep and may start
            the gates open).
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self,
                 dim: int,
                 dim_visual: int,
                 dim_head: int = 64,
                 heads: int = 8,
                 ff_mult: int = 4,
                 gate_init: float = 0.,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.attn = MaskedCrossAttention(dim, dim_visual, dim_head, heads)
        self.attn_gate = nn.Parameter(torch.tensor([float(gate_init)]))
        self.ff = feed_forward(dim, ff_mult)
        self.ff_gate = nn.Parameter(torch.tensor([float(gate_init)]))

    def forward(self, x: torch.Tensor, media: torch.Tensor,
                text_time: torch.Tensor) -> torch.Tensor:
        """See :meth:`MaskedCrossAttention.forward`; returns (B, L, D)."""
        x = self.attn(x, media, text_time) * self.attn_gate.tanh() + x
        return self.ff(x) * self.ff_gate.tanh() + x
