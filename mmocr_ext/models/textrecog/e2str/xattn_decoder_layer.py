# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""A language-model layer with a gated cross-attention block before it."""
from typing import Any, Optional

import torch
from torch import nn

from .gated_cross_attention_block import GatedCrossAttentionBlock


class XAttnDecoderLayer(nn.Module):
    """Run ``gated_cross_attn_layer`` on the incoming hidden states, then
    delegate to the wrapped ``decoder_layer`` with every argument it was
    called with, returning whatever it returns.

    This only replaces an entry of the LM's public layer list, so any
    Hugging Face decoder whose layers take the hidden states first works,
    whatever its other arguments are in the installed version. The visual
    condition is set with :meth:`condition` before each LM call (the LM
    does not know about images) and cleared with :meth:`clear`. Attribute
    names match the official checkpoints
    (``layers.i.{gated_cross_attn_layer,decoder_layer}``).

    Args:
        gated_cross_attn_layer (GatedCrossAttentionBlock | None): None
            leaves this layer without cross-attention.
        decoder_layer (nn.Module): The LM's layer.
    """

    def __init__(self,
                 gated_cross_attn_layer: Optional[GatedCrossAttentionBlock],
                 decoder_layer: nn.Module) -> None:
        super().__init__()
        self.gated_cross_attn_layer = gated_cross_attn_layer
        self.decoder_layer = decoder_layer
        self._media: Optional[torch.Tensor] = None
        self._text_time: Optional[torch.Tensor] = None

    def condition(self, media: Optional[torch.Tensor],
                  text_time: Optional[torch.Tensor]) -> None:
        """Set the latents (B, T, m, Dv) and per-token image index (B, L)
        for the next call; None for either runs the layer text-only."""
        self._media, self._text_time = media, text_time

    def clear(self) -> None:
        """Drop the condition (no tensor kept between calls)."""
        self._media = self._text_time = None

    def forward(self, hidden_states: torch.Tensor, *args: Any,
                **kwargs: Any) -> Any:
        if (self.gated_cross_attn_layer is not None
                and self._media is not None):
            if self._text_time.shape != hidden_states.shape[:2]:
                raise ValueError(
                    'XAttnDecoderLayer: condition for '
                    f'{tuple(self._text_time.shape)} tokens, got hidden '
                    f'states {tuple(hidden_states.shape)}')
            hidden_states = self.gated_cross_attn_layer(
                hidden_states, self._media, self._text_time)
        return self.decoder_layer(hidden_states, *args, **kwargs)
