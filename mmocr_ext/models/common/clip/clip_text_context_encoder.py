# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIP's text transformer with learnable context tokens (as in CoOp)."""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from open_clip.transformer import LayerNorm, QuickGELU, Transformer
from torch import Tensor


@MODELS.register_module()
class CLIPTextContextEncoder(BaseModule):
    """CLIP's text encoder with learnable context vectors and a prompt.

    CLIP's causal pre-LN text transformer (Radford et al., ICML 2021,
    Sec. 2.4; QuickGELU; open_clip's ``Transformer``) whose input sequence
    is assembled from token ids and externally owned context vectors, the
    prompt learning of CoOp (Zhou et al., IJCV 2022). For each image ``b``
    and text ``k``::

        [e(SOT), ctx_1 .. ctx_N2, e(w_1) .. e(EOT), e(pad) ..]  (+ p_b)
          + positional_embedding[:L]  -> transformer -> x[EOT] -> ln_final
          -> @ text_projection  -> T[b, k]  (embed_dim)

    where ``e`` is the token embedding, ``ctx`` the context vectors,
    ``p_b`` the optional language prompt (added to every position) and
    ``L = L_t + N2 <= context_length``. The EOT index is
    ``argmax(token ids) + N2`` (EOT has the largest id). Because the mask
    is causal, padding after EOT never changes the output, and a shorter
    sequence uses the first ``L`` rows of the positional embedding.

    Parameter names are those of OpenAI CLIP's text tower
    (``transformer.resblocks.*``, ``token_embedding.weight``,
    ``positional_embedding``, ``ln_final.*``, ``text_projection``) with the
    positional embedding truncated to ``context_length`` rows (see
    :func:`convert_clip_state_dict`). The causal mask is a non-persistent
    buffer. Nothing runs under ``no_grad``: a model that freezes this
    module (``lr_mult=0`` or ``requires_grad_(False)``) still gets
    gradients through it to the context vectors and the prompt.

    Also supported: learnable context alone (no token ids at all): pass
    ``text=None``; the sequence is then the ``N2`` context vectors alone and
    the output is read at index ``N2 - 1``.

    Args:
        context_length (int): Maximum sequence length ``L`` (rows of the
            positional embedding). Defaults to 18 (14 prompt tokens and 4
            context vectors).
        vocab_size (int): Token vocabulary size. Defaults to 49408.
        transformer_width (int): Width of the transformer. Defaults to 512.
        transformer_heads (int): Attention heads. Defaults to 8.
        transformer_layers (int): Residual attention blocks. Defaults to 12.
        embed_dim (int): Output size (CLIP's joint embedding; 1024 for
            RN50). Defaults to 1024.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 context_length: int = 18,
                 vocab_size: int = 49408,
                 transformer_width: int = 512,
                 transformer_heads: int = 8,
                 transformer_layers: int = 12,
                 embed_dim: int = 1024,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.context_length = context_length
        self.embed_dim = embed_dim
        self.transformer = Transformer(
            width=transformer_width,
            layers=transformer_layers,
            heads=transformer_heads,
            act_layer=QuickGELU,
            batch_first=True)
        self.token_embedding = nn.Embedding(vocab_size, transformer_width)
        self.positional_embedding = nn.Parameter(
            torch.empty(context_length, transformer_width))
        self.ln_final = LayerNorm(transformer_width)
        self.text_projection = nn.Parameter(
            torch.empty(transformer_width, embed_dim))
        mask = torch.full((context_length, context_length), float('-inf'))
        self.register_buffer('attn_mask', mask.triu(1), persistent=False)
        self._init_clip_weights()

    def _init_clip_weights(self) -> None:
        """CLIP's random initialisation of the text tower."""
        width = self.transformer.width
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        nn.init.normal_(self.positional_embedding, std=0.01)
        proj_std = width**-0.5 * (2 * self.transformer.layers)**-0.5
        for block in self.transformer.resblocks:
            nn.init.normal_(block.attn.in_proj_weight, std=width**-0.5)
            nn.init.normal_(block.attn.out_proj.weight, std=proj_std)
            nn.init.normal_(block.mlp.c_fc.weight, std=(2 * width)**-0.5)
            nn.init.normal_(block.mlp.c_proj.weight, std=proj_std)
        nn.init.normal_(self.text_projection, std=width**-0.5)

    def forward(self,
                text: Optional[Tensor],
                context: Tensor,
                prompt: Optional[Tensor] = None) -> Tensor:
        """Encode ``K`` texts with per-image context and prompt.

        Args:
            text (Tensor, optional): Token ids (SOT ... EOT, zero-padded) of
                shape (K, L_t), e.g. from :class:`CLIPTokenizer` with
                ``context_length - N2``. None for the learnable-only case
                (then K = 1).
            context (Tensor): Context vectors of shape (B, N2, width),
                inserted right after SOT. N2 may be 0.
            prompt (Tensor, optional): Language prompt of shape (B, width),
                added to the token embeddings at every position. The batch
                dims of ``context`` and ``prompt`` broadcast (one may be 1).
                Defaults to None.

        Returns:
            Tensor: Text embeddings of shape (B, K, embed_dim).
        """
        num_ctx = context.shape[1]
        if text is None:
            if num_ctx == 0:
                raise ValueError('text=None needs at least one context vector')
            x = context.unsqueeze(1)  # (B, 1, N2, C)
            eot_index = torch.full((1, ), num_ctx - 1, device=context.device)
        else:
            num_texts, text_len = text.shape
            tokens = self.token_embedding(text).to(context.dtype)
            batch = context.shape[0]
            tokens = tokens.unsqueeze(0).expand(batch, -1, -1, -1)
            ctx = context.unsqueeze(1).expand(-1, num_texts, -1, -1)
            x = torch.cat([tokens[:, :, :1], ctx, tokens[:, :, 1:]], dim=2)
            eot_index = text.argmax(dim=-1) + num_ctx  # (K, )
        seq_len = x.shape[2]
        if seq_len > self.context_length:
            raise ValueError(f'sequence of {seq_len} tokens (text + context) '
                             f'exceeds context_length={self.context_length}')
        if prompt is not None:
            x = x + prompt[:, None, None, :]  # broadcasts the batch dims
        x = x + self.positional_embedding[:seq_len].to(x.dtype)

        batch, num_texts = x.shape[:2]
        x = x.reshape(batch * num_texts, seq_len, -1)
        attn_mask = self.attn_mask[:seq_len, :seq_len]
        x = self.transformer(x, attn_mask=attn_mask)
        x = x.reshape(batch, num_texts, seq_len, -1)

        x = x[:, torch.arange(num_texts, device=x.device), eot_index]
        x = self.ln_final(x)  # (B, K, width)
        return x @ self.text_projection.to(x.dtype)
