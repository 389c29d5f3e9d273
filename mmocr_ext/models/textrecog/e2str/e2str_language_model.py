# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""A Hugging Face causal LM with Flamingo gated cross-attention."""
from operator import attrgetter
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.logging import print_log
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import nn

from .e2str_tokenizer import CHUNK_TOKEN, IMAGE_TOKEN, build_e2str_tokenizer
from .gated_cross_attention_block import GatedCrossAttentionBlock
from .xattn_decoder_layer import XAttnDecoderLayer


def _check_dir(path: str) -> None:
    import os.path as osp
    if not osp.isdir(path):
        raise FileNotFoundError(
            f'E2STRLanguageModel: LM directory {path} not found (weights '
            'are read from local paths only; see docs/e2str.md, "Weights")')


def _build_lm(pretrained: Optional[str], config: Optional[dict]) -> nn.Module:
    """A randomly initialised HF causal LM: from ``config`` when given,
    else from the ``config.json`` of the local folder ``pretrained``."""
    from transformers import AutoConfig, AutoModelForCausalLM
    if pretrained is None and config is None:
        raise ValueError('E2STRLanguageModel: give `pretrained` (a local HF '
                         'directory), `config`, or both')
    if config is not None:
        config = dict(config)
        hf_config = AutoConfig.for_model(
            config.pop('model_type', 'opt'), **config)
    else:
        _check_dir(pretrained)
        hf_config = AutoConfig.from_pretrained(
            pretrained, local_files_only=True)
    return AutoModelForCausalLM.from_config(hf_config)


@MODELS.register_module()
class E2STRLanguageModel(BaseModule):
    """Causal LM reading ``<image>TEXT<|endofchunk|>`` chunks (spec A2.3).

    A :class:`GatedCrossAttentionBlock` is put before every
    ``xattn_every``-th layer of the LM's layer list (found at
    ``layers_attr``) by wrapping it in an :class:`XAttnDecoderLayer`; the
    LM's own code is untouched, so any Hugging Face causal LM whose layers
    take the hidden states first can be used.

    Args:
        tokenizer (str): Local tokenizer directory
            (:func:`~.e2str_tokenizer.build_e2str_tokenizer`).
        pretrained (str, optional): Local HF model directory (e.g.
            OPT-125M) whose weights :meth:`init_weights` loads (mmengine
            calls it when training starts; tests and inference load
            checkpoints instead), so building needs no file when
            ``config`` is given. Defaults to None.
        config (dict, optional): HF config kwargs of the LM
            (``model_type`` defaults to 'opt'); None reads ``pretrained``'s
            ``config.json``. Defaults to None.
        dim_visual (int): Width of the visual latents. Defaults to 768.
        xattn_every (int): Cross-attention before every n-th layer.
            Defaults to 1.
        xattn_cfg (dict, optional): ``dim_head``, ``heads``, ``ff_mult`` of
            the blocks. Defaults to 64, 8, 4.
        layers_attr (str): Path of the layer list in the LM. Defaults to
            ``'model.decoder.layers'`` (OPT).
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self,
                 tokenizer: str,
                 pretrained: Optional[str] = None,
                 config: Optional[dict] = None,
                 dim_visual: int = 768,
                 xattn_every: int = 1,
                 xattn_cfg: Optional[Dict] = None,
                 layers_attr: str = 'model.decoder.layers',
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.tokenizer = build_e2str_tokenizer(tokenizer)
        tok = self.tokenizer
        if config is not None:
            config = dict(config)
            config.setdefault('vocab_size', len(tok))
            for key in ('pad', 'bos', 'eos'):
                value = getattr(tok, f'{key}_token_id')
                if value is not None:
                    config.setdefault(f'{key}_token_id', value)
        self.pretrained = pretrained
        self.lm = _build_lm(pretrained, config)
        self.lm.resize_token_embeddings(len(tok))
        self.image_token_id = tok.convert_tokens_to_ids(IMAGE_TOKEN)
        self.chunk_token_id = tok.convert_tokens_to_ids(CHUNK_TOKEN)
        self.pad_token_id = tok.pad_token_id
        self.special_ids = set(tok.all_special_ids)
        self.layers_attr = layers_attr
        layers = attrgetter(layers_attr)(self.lm)
        dim = self.lm.get_input_embeddings().embedding_dim
        xattn_cfg = dict(
            dict(dim_head=64, heads=8, ff_mult=4), **(xattn_cfg or {}))
        for i in range(len(layers)):
            block = (
                GatedCrossAttentionBlock(dim, dim_visual, **xattn_cfg) if
                (i + 1) % xattn_every == 0 else None)
            layers[i] = XAttnDecoderLayer(block, layers[i])
        self.xattn_layers: List[XAttnDecoderLayer] = list(layers)

    def init_weights(self) -> None:
        """Initialise, then load the ``pretrained`` LM's weights.

        The LM's layers live inside :class:`XAttnDecoderLayer` wrappers, so
        ``<layers_attr>.i.X`` of the pretrained model is ``<layers_attr>.i.
        decoder_layer.X`` here; the embedding table is resized to the
        tokenizer first. Every LM key must load; only the cross-attention
        blocks (new) keep their initialisation.

        Raises:
            FileNotFoundError: ``pretrained`` is not a directory.
            KeyError: The pretrained model does not fit (keys named).
        """
        super().init_weights()
        if not self.pretrained:
            return
        from transformers import AutoModelForCausalLM
        _check_dir(self.pretrained)
        hf = AutoModelForCausalLM.from_pretrained(
            self.pretrained, local_files_only=True)
        hf.resize_token_embeddings(len(self.tokenizer))
        prefix = self.layers_attr + '.'
        state = {}
        for key, value in hf.state_dict().items():
            if key.startswith(prefix):
                index, rest = key[len(prefix):].split('.', 1)
                key = f'{prefix}{index}.decoder_layer.{rest}'
            state[key] = value
        missing, unexpected = self.lm.load_state_dict(state, strict=False)
        missing = [k for k in missing if '.gated_cross_attn_layer.' not in k]
        if missing or unexpected:
            raise KeyError(
                f'{self.pretrained}: the pretrained LM does not fit: missing '
                f'{missing}, unexpected {unexpected}')
        print_log(
            f'E2STRLanguageModel: loaded {len(state)} tensors from '
            f'{self.pretrained}',
            logger='current')

    # ------------------------------------------------------------------
    def tokenize(self, texts: List[str],
                 device: torch.device) -> Dict[str, torch.Tensor]:
        """Left-padded ``input_ids`` / ``attention_mask`` (B, L), BOS
        first."""
        enc = self.tokenizer(texts, padding=True, return_tensors='pt')
        return {k: enc[k].to(device) for k in ('input_ids', 'attention_mask')}

    def text_time(self,
                  input_ids: torch.Tensor,
                  offset: Optional[torch.Tensor] = None) -> torch.Tensor:
        """(B, L) number of ``<image>`` tokens at or before each position,
        plus ``offset`` (B,) images already consumed (cached decoding)."""
        time = (input_ids == self.image_token_id).long().cumsum(dim=1)
        if offset is not None:
            time = time + offset[:, None]
        return time

    def forward(self,
                input_ids: torch.Tensor,
                attention_mask: torch.Tensor,
                media: Optional[torch.Tensor],
                text_time: Optional[torch.Tensor] = None,
                past_key_values=None,
                use_cache: bool = False) -> Tuple[torch.Tensor, object]:
        """Logits of the LM conditioned on ``media``.

        Args:
            input_ids (Tensor): (B, L) new tokens.
            attention_mask (Tensor): (B, L_past + L), 1 for real tokens.
            media (Tensor | None): (B, T, m, Dv) latents; None runs the
                plain LM.
            text_time (Tensor, optional): (B, L), see :meth:`text_time`;
                computed from ``input_ids`` when None.
            past_key_values: The LM's cache. Defaults to None.
            use_cache (bool): Return the updated cache. Defaults to False.

        Returns:
            tuple: Logits (B, L, V) and the cache (None without
            ``use_cache``).
        """
        if text_time is None:
            text_time = self.text_time(input_ids)
        for layer in self.xattn_layers:
            layer.condition(media, text_time)
        try:
            out = self.lm(
                input_ids=input_ids,
                attention_mask=attention_mask,
                past_key_values=past_key_values,
                use_cache=use_cache)
        finally:
            for layer in self.xattn_layers:
                layer.clear()
        return out.logits, (out.past_key_values if use_cache else None)

    def labels(self, input_ids: torch.Tensor,
               attention_mask: torch.Tensor) -> torch.Tensor:
        """Targets: the ids with pads, ``<image>`` and BOS/EOS set to -100.

        So the loss covers the text tokens and every ``<|endofchunk|>``.
        The official code meant to mask EOS but compared ids with a string
        (a no-op), which also made a padded row's BOS a target; we mask
        both (spec A3.1, C3).
        """
        labels = input_ids.masked_fill(attention_mask == 0, -100)
        ignored = [
            self.image_token_id, self.tokenizer.bos_token_id,
            self.tokenizer.eos_token_id
        ]
        for token in ignored:
            if token is not None:
                labels = labels.masked_fill(input_ids == token, -100)
        return labels

    def loss(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
             media: torch.Tensor) -> torch.Tensor:
        """Next-token cross-entropy averaged over the target tokens."""
        logits, _ = self(input_ids, attention_mask, media)
        labels = self.labels(input_ids, attention_mask)
        return F.cross_entropy(
            logits[:, :-1].flatten(0, 1).float(),
            labels[:, 1:].flatten(),
            ignore_index=-100)
