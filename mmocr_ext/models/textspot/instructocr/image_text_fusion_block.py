# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR's image -> text cross-attention fusion block."""
import torch
import torch.nn as nn
from mmcv.cnn.bricks import DropPath
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from torch import Tensor


class _ImageToTextAttention(nn.Module):
    """Multi-head attention from image tokens (queries) to text tokens.

    The image-side half of GroundingDINO's ``BiMultiHeadAttention``
    (parameter names kept: ``v_proj``, ``l_proj``, ``values_l_proj``,
    ``out_v_proj``).

    Args:
        v_dim (int): Image token channels.
        l_dim (int): Text token channels.
        embed_dim (int): Inner channels (all heads together).
        num_heads (int): Heads.
        clamp (float): Logits are clamped to ``[-clamp, clamp]`` after the
            max subtraction.
    """

    def __init__(self, v_dim: int, l_dim: int, embed_dim: int, num_heads: int,
                 clamp: float) -> None:
        super().__init__()
        if embed_dim % num_heads != 0:
            raise ValueError(f'embed_dim={embed_dim} is not divisible by '
                             f'num_heads={num_heads}')
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scale = self.head_dim**-0.5
        self.clamp = clamp
        self.v_proj = nn.Linear(v_dim, embed_dim)
        self.l_proj = nn.Linear(l_dim, embed_dim)
        self.values_l_proj = nn.Linear(l_dim, embed_dim)
        self.out_v_proj = nn.Linear(embed_dim, v_dim)
        for proj in (self.v_proj, self.l_proj, self.values_l_proj,
                     self.out_v_proj):
            nn.init.xavier_uniform_(proj.weight)
            nn.init.zeros_(proj.bias)

    def _heads(self, x: Tensor) -> Tensor:
        """(B, N, heads * d) -> (B * heads, N, d)."""
        b, n, _ = x.shape
        return x.reshape(b, n, self.num_heads,
                         self.head_dim).transpose(1, 2).reshape(
                             b * self.num_heads, n, self.head_dim)

    def forward(self, v: Tensor, text: Tensor) -> Tensor:
        """Attend from the image tokens to the text tokens.

        Args:
            v (Tensor): Image tokens (B, HW, v_dim).
            text (Tensor): Text tokens (B, L, l_dim).

        Returns:
            Tensor: The image update (B, HW, v_dim).
        """
        b, hw, _ = v.shape
        q = self._heads(self.v_proj(v) * self.scale)
        k = self._heads(self.l_proj(text))
        val = self._heads(self.values_l_proj(text))
        logits = torch.bmm(q, k.transpose(1, 2))  # (B * heads, HW, L)
        # The official block subtracts the max over the whole batch tensor
        # (a no-op for the softmax but for the clamp).
        logits = (logits - logits.max()).clamp(-self.clamp, self.clamp)
        out = torch.bmm(logits.softmax(dim=-1), val)  # (B * heads, HW, d)
        out = out.reshape(b, self.num_heads, hw,
                          self.head_dim).transpose(1, 2).reshape(b, hw, -1)
        return self.out_v_proj(out)


@MODELS.register_module()
class ImageTextFusionBlock(BaseModule):
    """One-direction (image <- text) GroundingDINO-style fusion block.

    InstructOCR's fusion block (spec B2): GroundingDINO's
    ``BiAttentionBlock`` with only the image side updated::

        v, l = LN_v(v), LN_l(l)
        q = W_v v * head_dim**-0.5;  k = W_l l;  val = W_l' l
        a = softmax_L(clamp(q k^T - max(q k^T), -5e4, 5e4))   # no mask
        v = v + DropPath(gamma_v * W_out (a val))

    The residual is added to the *normalised* ``v`` and the text tokens are
    not updated. No attention mask is used (padded text tokens are
    attended, as in the official model), and the max subtracted is the max
    over the whole (B * heads, HW, L) logit tensor. Layout: batch first.

    Parameter names are the official ones (``layer_norm_v``,
    ``layer_norm_l``, ``gamma_v``, ``attn.v_proj``, ``attn.l_proj``,
    ``attn.values_l_proj``, ``attn.out_v_proj``). Initialisation:
    xavier-uniform projection weights with zero biases (GroundingDINO),
    ``gamma_v`` = ``init_values`` per channel.

    Args:
        v_dim (int): Image token channels. Defaults to 512.
        l_dim (int): Text token channels. Defaults to 256.
        embed_dim (int): Inner attention channels. Defaults to 1024.
        num_heads (int): Heads. Defaults to 4.
        drop_path (float): DropPath (stochastic depth) rate on the update,
            per sample. Defaults to 0.1.
        init_values (float): Initial LayerScale ``gamma_v``. Defaults to
            1e-4.
        clamp (float): Logit clamp after the max subtraction. Defaults to
            5e4.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 v_dim: int = 512,
                 l_dim: int = 256,
                 embed_dim: int = 1024,
                 num_heads: int = 4,
                 drop_path: float = 0.1,
                 init_values: float = 1e-4,
                 clamp: float = 5e4,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.layer_norm_v = nn.LayerNorm(v_dim)
        self.layer_norm_l = nn.LayerNorm(l_dim)
        self.attn = _ImageToTextAttention(v_dim, l_dim, embed_dim, num_heads,
                                          clamp)
        self.drop_path = DropPath(drop_path) if drop_path > 0 \
            else nn.Identity()
        self.gamma_v = nn.Parameter(torch.full((v_dim, ), float(init_values)))

    def forward(self, v: Tensor, text: Tensor) -> Tensor:
        """Update the image tokens from the text tokens.

        Args:
            v (Tensor): Image tokens (B, HW, v_dim).
            text (Tensor): Text tokens (B, L, l_dim).

        Returns:
            Tensor: The updated image tokens (B, HW, v_dim).
        """
        v = self.layer_norm_v(v)
        delta = self.attn(v, self.layer_norm_l(text))
        return v + self.drop_path(self.gamma_v * delta)
