# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR's encoder: 1x1 projection, instruction fusion, Transformer.

Official -> ours key map (official keys: spec B9; ``<enc>`` is wherever
the model holds this encoder, e.g. ``encoder.``):

- ``final.{weight,bias}`` -> ``<enc>input_proj.{weight,bias}``
- ``text_projection`` (768, 256) -> ``<enc>text_encoder.text_projection``
  (same layout, used as ``x @ P``)
- ``transformer.encoder.<rest>`` -> ``<enc><rest>``, same names:
  ``feature_fusion_layers.{i}.{layer_norm_v,layer_norm_l,gamma_v,
  attn.{v_proj,l_proj,values_l_proj,out_v_proj}}``, ``norm_ca``,
  ``layers.{i}.{self_attn.{in_proj_weight,in_proj_bias,out_proj},
  linear1,linear2,norm1,norm2}``, ``norm``

BERT is in neither state dict. ``visual.*`` (the image trunk) belongs to
the backbone (:class:`CLIPModifiedResNet`: ``visual.<name>`` ->
``<backbone><name>``).
"""
import copy
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.models.layers import SinePositionalEncoding
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from torch import Tensor

from .bert_instruction_encoder import BertInstructionEncoder  # noqa: F401
from .image_text_fusion_block import ImageTextFusionBlock


class _PreNormEncoderLayer(nn.Module):
    """A pre-norm Transformer encoder layer (DETR's ``forward_pre``)::

        x = x + Dropout(SelfAttn(q=k=LN1(x) + pos, v=LN1(x), key_pad))
        x = x + Dropout(W2 Dropout(ReLU(W1 LN2(x))))

    Parameter names are the official ones (``self_attn.in_proj_weight``,
    ``self_attn.in_proj_bias``, ``self_attn.out_proj``, ``linear1``,
    ``linear2``, ``norm1``, ``norm2``). Batch first.

    Args:
        d_model (int): Channels.
        num_heads (int): Attention heads.
        ffn_dim (int): FFN hidden channels.
        dropout (float): Dropout (attention, FFN, residual).
    """

    def __init__(self, d_model: int, num_heads: int, ffn_dim: int,
                 dropout: float) -> None:
        super().__init__()
        self.self_attn = nn.MultiheadAttention(
            d_model, num_heads, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(d_model, ffn_dim)
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(ffn_dim, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)

    def forward(self, x: Tensor, pos: Tensor,
                key_padding_mask: Optional[Tensor]) -> Tensor:
        """Run the layer.

        Args:
            x (Tensor): Tokens (B, N, d).
            pos (Tensor): Positional encodings (B, N, d).
            key_padding_mask (Tensor, optional): (B, N) bool, True = pad.

        Returns:
            Tensor: Tokens (B, N, d).
        """
        y = self.norm1(x)
        qk = y + pos
        y = self.self_attn(
            qk, qk, y, key_padding_mask=key_padding_mask,
            need_weights=False)[0]
        x = x + self.dropout1(y)
        y = self.linear2(self.dropout(F.relu(self.linear1(self.norm2(x)))))
        return x + self.dropout2(y)


@MODELS.register_module()
class InstructOCREncoder(BaseModule):
    """The encoder of InstructOCR (spec B1/B2), from C5 to memory.

    #. ``input_proj``: 1x1 conv ``in_channels -> d_model`` (official
       ``final``; kaiming-uniform weight, zero bias);
    #. DETR sine positional encoding (mmdet ``SinePositionalEncoding``,
       ``num_feats = d_model / 2``, normalised, scale 2 pi, eps 1e-6; equal
       to DETR's ``PositionEmbeddingSine``) from the padding mask
       nearest-resized to the C5 grid; with ``pos_fp16_round`` it is
       rounded to fp16 as the official ``pos.half()``;
    #. the instructions, formatted with ``instruction_format``, go through
       ``text_encoder`` (:class:`BertInstructionEncoder`) to
       (B, 77, text_dim) tokens;
    #. ``feature_fusion_layers``: ``num_fusion_layers`` x
       :class:`ImageTextFusionBlock` (image tokens attend to the text),
       then ``norm_ca`` (LayerNorm);
    #. ``layers``: ``num_layers`` pre-norm self-attention layers with
       positions added to queries and keys and the padding as key mask;
       then ``norm`` (LayerNorm).

    All parameters with ``dim > 1`` of steps 4-5 are xavier-uniform
    initialised in the constructor (the official reset); ``input_proj``
    and ``text_projection`` keep their own init and BERT is untouched.
    Layout: batch first. See the module docstring for the key map.

    Args:
        text_encoder (dict): Config of the instruction encoder (type
            ``BertInstructionEncoder``); its ``proj_dim`` must equal
            ``text_dim`` (set to it when absent).
        in_channels (int): C5 channels. Defaults to 2048.
        d_model (int): Channels. Defaults to 512.
        text_dim (int): Text token channels. Defaults to 256.
        num_fusion_layers (int): Fusion blocks. Defaults to 3.
        fusion_cfg (dict, optional): Extra :class:`ImageTextFusionBlock`
            arguments (``v_dim`` / ``l_dim`` are set here). Defaults to
            None (embed_dim 1024, 4 heads, drop_path 0.1, init 1e-4).
        num_layers (int): Encoder layers. Defaults to 6.
        num_heads (int): Self-attention heads. Defaults to 8.
        ffn_dim (int): FFN hidden channels. Defaults to 1024.
        dropout (float): Dropout of the encoder layers. Defaults to 0.1.
        pos_fp16_round (bool): Round the positional encoding to fp16.
            Defaults to True (official).
        instruction_format (str): Wraps every instruction. Defaults to
            ``'<{}><a photo of text>'``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 text_encoder: dict,
                 in_channels: int = 2048,
                 d_model: int = 512,
                 text_dim: int = 256,
                 num_fusion_layers: int = 3,
                 fusion_cfg: Optional[dict] = None,
                 num_layers: int = 6,
                 num_heads: int = 8,
                 ffn_dim: int = 1024,
                 dropout: float = 0.1,
                 pos_fp16_round: bool = True,
                 instruction_format: str = '<{}><a photo of text>',
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if d_model % 2 != 0:
            raise ValueError(f'd_model must be even, got {d_model}')
        self.d_model = d_model
        self.pos_fp16_round = pos_fp16_round
        self.instruction_format = instruction_format
        self.input_proj = nn.Conv2d(in_channels, d_model, kernel_size=1)
        nn.init.kaiming_uniform_(self.input_proj.weight)
        nn.init.zeros_(self.input_proj.bias)
        self.positional_encoding = SinePositionalEncoding(
            num_feats=d_model // 2, normalize=True)
        text_encoder = copy.deepcopy(text_encoder)
        text_encoder.setdefault('proj_dim', text_dim)
        if text_encoder['proj_dim'] != text_dim:
            raise ValueError(f'text_encoder proj_dim '
                             f'{text_encoder["proj_dim"]} != {text_dim}')
        self.text_encoder = MODELS.build(text_encoder)
        fusion = dict(fusion_cfg or {}, v_dim=d_model, l_dim=text_dim)
        self.feature_fusion_layers = nn.ModuleList(
            ImageTextFusionBlock(**fusion) for _ in range(num_fusion_layers))
        self.norm_ca = nn.LayerNorm(d_model)
        self.layers = nn.ModuleList(
            _PreNormEncoderLayer(d_model, num_heads, ffn_dim, dropout)
            for _ in range(num_layers))
        self.norm = nn.LayerNorm(d_model)
        for module in (self.feature_fusion_layers, self.norm_ca, self.layers,
                       self.norm):
            for param in module.parameters():
                if param.dim() > 1:
                    nn.init.xavier_uniform_(param)

    def format_instructions(self, instructions: Sequence[str]) -> List[str]:
        """Wrap plain instructions with ``instruction_format``.

        Args:
            instructions (Sequence[str]): E.g. ``['all text']``.

        Returns:
            list[str]: E.g. ``['<all text><a photo of text>']``.
        """
        return [self.instruction_format.format(t) for t in instructions]

    def forward(self, feat: Tensor, mask: Optional[Tensor],
                instructions: Sequence[str]) -> Dict[str, Tensor]:
        """Encode the image features conditioned on the instructions.

        Args:
            feat (Tensor): C5 map (B, in_channels, h, w).
            mask (Tensor, optional): Padding mask (B, H_pad, W_pad) bool,
                True = padding, at input-image resolution (any size; it is
                nearest-resized to (h, w)). None = no padding.
            instructions (Sequence[str]): B plain instructions (e.g.
                'all text'), formatted with ``instruction_format`` here.

        Returns:
            dict[str, Tensor]:

            - ``memory`` (B, h * w, d_model), row-major over (h, w);
            - ``memory_mask`` (B, h * w) bool, True = padding;
            - ``pos`` (B, h * w, d_model): the positional encoding added in
              the encoder (fp16-rounded if ``pos_fp16_round``), for the
              decoder's cross-attention keys;
            - ``text`` (B, max_length, text_dim): the projected
              instruction tokens.
        """
        b, _, h, w = feat.shape
        if isinstance(instructions, str) or len(instructions) != b:
            raise ValueError(f'expected {b} instructions (a list), got '
                             f'{instructions!r}')
        if mask is None:
            mask = feat.new_zeros((b, h, w), dtype=torch.bool)
        else:
            mask = F.interpolate(
                mask[:, None].float(), size=(h, w)).to(torch.bool)[:, 0]
        src = self.input_proj(feat)
        pos = self.positional_encoding(mask).to(src.dtype)
        if self.pos_fp16_round:
            pos = pos.half().to(src.dtype)
        src = src.flatten(2).transpose(1, 2)  # (B, hw, d)
        pos = pos.flatten(2).transpose(1, 2)
        memory_mask = mask.flatten(1)
        text = self.text_encoder(
            self.format_instructions(instructions), device=src.device)
        for fusion in self.feature_fusion_layers:
            src = fusion(src, text.to(src.dtype))
        src = self.norm_ca(src)
        for layer in self.layers:
            src = layer(src, pos, memory_mask)
        return dict(
            memory=self.norm(src), memory_mask=memory_mask, pos=pos, text=text)
