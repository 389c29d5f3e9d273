# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIP's ModifiedResNet image encoder with a dense attention-pool output."""
from typing import Sequence, Tuple

import torch.nn as nn
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from torch import Tensor

from .clip_modified_resnet import CLIPModifiedResNet
from .dense_attention_pool2d import DenseAttentionPool2d


@MODELS.register_module()
class CLIPResNetWithAttention(CLIPModifiedResNet):
    """CLIP's ResNet image encoder with a dense attention-pool output.

    The "ModifiedResNet" of CLIP (Radford et al., ICML 2021, Sec. 2.4) with
    the dense output of DenseCLIP (Rao et al., CVPR 2022), for dense
    prediction:

    - the trunk of :class:`CLIPModifiedResNet` (3-conv stem, four stages
      of anti-aliased bottlenecks);
    - a QKV attention pool (:class:`DenseAttentionPool2d`) over the last
      stage that returns CLIP's global embedding *and* the dense per-pixel
      embedding; its positional embedding has
      ``(input_resolution / 32) ** 2 + 1`` rows and is bilinearly resized
      at run time to the input's ``H/32 x W/32`` grid.

    Parameter names are those of OpenAI CLIP's ``visual.*`` without the
    prefix (``conv1``, ``bn1``, ``layer1.0.downsample.0``, ``attnpool.*``),
    so CLIP weights load through :func:`convert_clip_state_dict` with no
    missing or unexpected keys. BN layers are plain ``nn.BatchNorm2d``
    (trainable, not frozen); learning-rate multipliers are the model
    config's business.

    Random initialisation follows CLIP (normal attention-pool projections
    with std ``embed_dim ** -0.5``, zero ``bn3`` weights) and is done in the
    constructor; ``init_cfg`` (e.g. ``dict(type='Pretrained',
    checkpoint='clip_rn50.pth', prefix='backbone.')``) is applied on
    top by :meth:`init_weights`.

    Args:
        layers (Sequence[int]): Bottlenecks per stage (4 stages). Defaults
            to (3, 4, 6, 3) (RN50).
        width (int): Stem width; stage ``i`` has ``4 * width * 2 ** i``
            output channels. Defaults to 64.
        output_dim (int): Channels of the attention-pool outputs (CLIP's
            embedding size). Defaults to 1024.
        heads (int): Attention-pool heads. Defaults to 32.
        input_resolution (int): Training resolution that sizes the
            positional embedding (a multiple of 32). Defaults to 640.
        out_indices (Sequence[int]): Stages (0..3) whose maps are returned.
            Defaults to (0, 1, 2, 3).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 layers: Sequence[int] = (3, 4, 6, 3),
                 width: int = 64,
                 output_dim: int = 1024,
                 heads: int = 32,
                 input_resolution: int = 640,
                 out_indices: Sequence[int] = (0, 1, 2, 3),
                 init_cfg: OptMultiConfig = None) -> None:
        if input_resolution % 32 != 0:
            raise ValueError('input_resolution must be a multiple of 32, got '
                             f'{input_resolution}')
        super().__init__(
            layers=layers,
            width=width,
            out_indices=out_indices,
            init_cfg=init_cfg)
        self.input_resolution = input_resolution
        self.output_dim = output_dim

        embed_dim = width * 32  # channels of the last stage
        self.attnpool = DenseAttentionPool2d(input_resolution // 32, embed_dim,
                                             heads, output_dim)
        self._init_clip_weights()

    def _init_clip_weights(self) -> None:
        """CLIP's random init of the attention pool (trunk: the parent)."""
        std = self.attnpool.c_proj.in_features**-0.5
        for proj in (self.attnpool.q_proj, self.attnpool.k_proj,
                     self.attnpool.v_proj, self.attnpool.c_proj):
            nn.init.normal_(proj.weight, std=std)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Extract the stage maps and the attention-pool outputs.

        Args:
            x (Tensor): Images of shape (B, 3, H, W), H and W multiples of
                32.

        Returns:
            tuple: The maps of the stages in ``out_indices`` followed by
            the pair ``(global_feat, dense_feat)``. For RN50 and the
            default ``out_indices``: ``c2`` (B, 256, H/4, W/4), ``c3``
            (B, 512, H/8, W/8), ``c4`` (B, 1024, H/16, W/16), ``c5``
            (B, 2048, H/32, W/32), then ``global_feat`` (B, output_dim)
            and ``dense_feat`` (B, output_dim, H/32, W/32).
        """
        outs, x = self.forward_stages(x)
        return outs + (self.attnpool(x), )
