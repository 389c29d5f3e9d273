# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR's autoregressive decoder (embeddings, 6 layers, head)."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS, TASK_UTILS
from mmocr.utils.typing_utils import OptMultiConfig
from torch import Tensor

from .instructocr_decoder_layer import KV, InstructOCRDecoderLayer
from .instructocr_generation import greedy_generate


class _DecoderEmbeddings(nn.Module):
    """Word + learned position embeddings, LayerNorm, dropout."""

    def __init__(self, num_classes: int, d_model: int, max_seq_len: int,
                 pad_idx: int, dropout: float) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(
            num_classes, d_model, padding_idx=pad_idx)
        self.position_embeddings = nn.Embedding(max_seq_len, d_model)
        self.LayerNorm = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, tokens: Tensor, start: int) -> Tuple[Tensor, Tensor]:
        pos = self.position_embeddings.weight[start:start +
                                              tokens.shape[1]][None]
        x = self.dropout(self.LayerNorm(self.word_embeddings(tokens) + pos))
        return x, pos


@MODELS.register_module()
class InstructOCRDecoder(BaseModule):
    """The sequence decoder of InstructOCR (SPTS's, with a KV cache).

    mmocr's ``BaseDecoder`` is not subclassed: it only accepts mmocr's
    ``Dictionary``, and the loss needs the targets before the forward.

    Tokens (spec: ``[SOS]`` then ``[x, y, c1..c25]`` per instance) are
    embedded (word + learned position, LayerNorm, dropout), run through
    ``num_layers`` pre-norm :class:`InstructOCRDecoderLayer` (the position
    table is also every layer's ``query_pos``), a final LayerNorm and one
    linear head (official ``vocab_embed.layers.0``).

    Training is teacher forcing over the whole sequence (targets built by
    :class:`InstructOCRModuleLoss`); prediction is
    :func:`greedy_generate`, batched, each row to its own EOS, with the
    cache on by default, and optionally slot-constrained.

    Args:
        dictionary (dict or InstructOCRDictionary): The vocabulary.
        module_loss (dict, optional): Loss config.
        postprocessor (dict, optional): Postprocessor config.
        d_model (int): Width. Defaults to 512.
        num_heads (int): Attention heads. Defaults to 8.
        ffn_dim (int): FFN width. Defaults to 1024.
        num_layers (int): Decoder layers. Defaults to 6.
        dropout (float): Dropout. Defaults to 0.1.
        max_num_text (int): Most instances per image. Defaults to 60.
        max_text_len (int): Character slots per instance. Defaults to 25.
        decode_cfg (dict, optional): ``use_cache`` (default True),
            ``constrained`` (default False: the official greedy decode),
            ``max_len`` (default: the whole sequence).
        init_cfg (dict or list[dict], optional): Initialization config.
    """

    def __init__(self,
                 dictionary,
                 module_loss: Optional[Dict] = None,
                 postprocessor: Optional[Dict] = None,
                 d_model: int = 512,
                 num_heads: int = 8,
                 ffn_dim: int = 1024,
                 num_layers: int = 6,
                 dropout: float = 0.1,
                 max_num_text: int = 60,
                 max_text_len: int = 25,
                 decode_cfg: Optional[Dict] = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if isinstance(dictionary, dict):
            dictionary = TASK_UTILS.build(dictionary)
        self.dictionary = dictionary
        self.module_loss = (
            MODELS.build(module_loss) if module_loss is not None else None)
        self.postprocessor = (
            MODELS.build(postprocessor) if postprocessor is not None else None)
        self.slots_per_text = 2 + max_text_len
        self.max_seq_len = self.slots_per_text * max_num_text + 1
        max_seq_len = self.max_seq_len
        self.max_num_text = max_num_text
        self.max_text_len = max_text_len
        self.decode_cfg = dict(use_cache=True, constrained=False, max_len=None)
        unknown = set(decode_cfg or {}) - set(self.decode_cfg)
        if unknown:
            raise ValueError(f'unknown decode_cfg keys: {sorted(unknown)}')
        self.decode_cfg.update(decode_cfg or {})
        num_classes = self.dictionary.num_classes
        self.embedding = _DecoderEmbeddings(num_classes, d_model, max_seq_len,
                                            self.dictionary.seq_pad_idx,
                                            dropout)
        self.layers = nn.ModuleList([
            InstructOCRDecoderLayer(d_model, num_heads, ffn_dim, dropout)
            for _ in range(num_layers)
        ])
        self.norm = nn.LayerNorm(d_model)
        # The official model xavier-initialises every transformer matrix
        # (embeddings included) and creates the head afterwards, so the
        # head keeps PyTorch's default initialisation.
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)
        self.vocab_embed = nn.Linear(d_model, num_classes)

    def project_memory(self, memory: Tensor, pos: Tensor) -> List[KV]:
        """Per-layer cross-attention keys/values (B, heads, S, C/heads)."""
        return [layer.project_memory(memory, pos) for layer in self.layers]

    def step(
            self, tokens: Tensor, start: int, memory_kv: Sequence[KV],
            attn_mask: Optional[Tensor],
            caches: Optional[Sequence[Optional[KV]]]
    ) -> Tuple[Tensor, List[KV]]:
        """Logits of ``tokens`` placed at positions ``start, start+1, ..``.

        Args:
            tokens (Tensor): Token indices (B, T).
            start (int): Position of ``tokens[:, 0]`` in the sequence.
            memory_kv (list[tuple]): From :meth:`project_memory`.
            attn_mask (Tensor, optional): Bool (B, 1, 1, S), True where the
                memory may be attended.
            caches (list, optional): Per-layer caches of the ``start``
                earlier positions (None: no earlier positions).

        Returns:
            tuple: Logits (B, T, num_classes) and the per-layer caches
            extended by T positions.
        """
        if start + tokens.shape[1] > self.max_seq_len:
            raise ValueError(
                f'positions up to {start + tokens.shape[1]} exceed '
                f'max_seq_len={self.max_seq_len}')
        x, query_pos = self.embedding(tokens, start)
        caches = caches if caches is not None else [None] * len(self.layers)
        new_caches = []
        for layer, kv, cache in zip(self.layers, memory_kv, caches):
            x, cache = layer(x, query_pos, kv, attn_mask, cache)
            new_caches.append(cache)
        return self.vocab_embed(self.norm(x)), new_caches

    def forward(self, out_enc: Dict) -> Tensor:
        """Teacher-forced logits of ``out_enc['input_seq']``.

        Args:
            out_enc (dict): ``memory`` (B, S, C), ``memory_mask`` (B, S)
                bool True at padding, ``pos`` (B, S, C) and ``input_seq``
                (B, L) token indices.

        Returns:
            Tensor: Logits (B, L, num_classes).
        """
        mask = out_enc.get('memory_mask')
        attn_mask = None if mask is None else (~mask)[:, None, None, :]
        mem_kv = self.project_memory(out_enc['memory'], out_enc['pos'])
        logits, _ = self.step(out_enc['input_seq'], 0, mem_kv, attn_mask, None)
        return logits

    def generate(self, out_enc: Dict) -> Tuple[Tensor, Tensor]:
        """Greedy decoding of ``out_enc`` (see :func:`greedy_generate`).

        Returns:
            tuple[Tensor, Tensor]: Tokens (B, T) and probabilities (B, T).
        """
        cfg = self.decode_cfg
        return greedy_generate(
            self,
            out_enc['memory'],
            out_enc.get('memory_mask'),
            out_enc['pos'],
            max_len=cfg['max_len'],
            use_cache=cfg['use_cache'],
            constrained=cfg['constrained'])

    def loss(self, out_enc: Dict, data_samples: Sequence) -> Dict:
        """Build the targets, run teacher forcing and return the loss."""
        input_seq, target_seq = self.module_loss.get_targets(
            data_samples, self.dictionary, self.max_num_text,
            self.max_text_len, out_enc['memory'].device)
        logits = self(dict(out_enc, input_seq=input_seq))
        return self.module_loss(logits, target_seq, self.dictionary)

    def predict(self, out_enc: Dict, data_samples: Sequence) -> Sequence:
        """Decode and attach ``pred_instances`` to ``data_samples``."""
        tokens, probs = self.generate(out_enc)
        return self.postprocessor(tokens, probs, data_samples, self.dictionary,
                                  self.slots_per_text)
