# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Flamingo's Perceiver resampler (E2STR spec A2.2), native."""
import torch
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import nn


def feed_forward(dim: int, mult: int = 4) -> nn.Sequential:
    """LN -> Linear(dim, mult*dim) -> GELU -> Linear(mult*dim, dim), no bias.

    Indices 0, 1, 3 hold the parameters, as in the official checkpoints.
    """
    inner = int(dim * mult)
    return nn.Sequential(
        nn.LayerNorm(dim), nn.Linear(dim, inner, bias=False), nn.GELU(),
        nn.Linear(inner, dim, bias=False))


class PerceiverAttention(nn.Module):
    """Latents attend to ``concat(media, latents)``.

    Args:
        dim (int): Width of media and latents.
        dim_head (int): Width of one head.
        heads (int): Number of heads.
    """

    def __init__(self, dim: int, dim_head: int = 64, heads: int = 8) -> None:
        super().__init__()
        self.scale = dim_head**-0.5
        self.heads = heads
        inner = dim_head * heads
        self.norm_media = nn.LayerNorm(dim)
        self.norm_latents = nn.LayerNorm(dim)
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(dim, inner * 2, bias=False)
        self.to_out = nn.Linear(inner, dim, bias=False)

    def forward(self, x: torch.Tensor, latents: torch.Tensor) -> torch.Tensor:
        """
        Args:
            x (Tensor): (B, T, n, D) media tokens.
            latents (Tensor): (B, T, m, D).

        Returns:
            Tensor: (B, T, m, D).
        """
        x = self.norm_media(x)
        latents = self.norm_latents(latents)
        b, t, m, _ = latents.shape
        h = self.heads
        q = self.to_q(latents)
        k, v = self.to_kv(torch.cat((x, latents), dim=-2)).chunk(2, dim=-1)

        def split(z: torch.Tensor) -> torch.Tensor:
            return z.reshape(b, t, z.shape[2], h, -1).permute(0, 3, 1, 2, 4)

        q, k, v = split(q) * self.scale, split(k), split(v)
        sim = q @ k.transpose(-1, -2)
        sim = sim - sim.amax(dim=-1, keepdim=True).detach()
        out = sim.softmax(dim=-1) @ v  # (b, h, t, m, dh)
        out = out.permute(0, 2, 3, 1, 4).reshape(b, t, m, -1)
        return self.to_out(out)


@MODELS.register_module()
class PerceiverResampler(BaseModule):
    """Resample a variable number of visual tokens to ``num_latents``.

    No media-time or frame embeddings (the E2STR configuration).

    Args:
        dim (int): Width of the visual tokens. Defaults to 768.
        depth (int): Layers. Defaults to 6.
        dim_head (int): Defaults to 64.
        heads (int): Defaults to 8.
        num_latents (int): Defaults to 64.
        ff_mult (int): Defaults to 4.
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self,
                 dim: int = 768,
                 depth: int = 6,
                 dim_head: int = 64,
                 heads: int = 8,
                 num_latents: int = 64,
                 ff_mult: int = 4,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.dim = dim
        self.num_latents = num_latents
        self.latents = nn.Parameter(torch.randn(num_latents, dim))
        self.layers = nn.ModuleList([
            nn.ModuleList([
                PerceiverAttention(dim, dim_head=dim_head, heads=heads),
                feed_forward(dim, ff_mult)
            ]) for _ in range(depth)
        ])
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """
        Args:
            x (Tensor): (B, T, n, D) visual tokens of T images per sample.

        Returns:
            Tensor: (B, T, num_latents, D).
        """
        b, t = x.shape[:2]
        latents = self.latents.expand(b, t, -1, -1)
        for attn, ff in self.layers:
            latents = attn(x, latents) + latents
            latents = ff(latents) + latents
        return self.norm(latents)
