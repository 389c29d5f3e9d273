# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's encoder: the SwinV2 trunk under the official name ``backbone``."""
from typing import List, Sequence

from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from torch import Tensor

from .upocr_swinv2_backbone import UPOCRSwinV2Backbone


@MODELS.register_module()
class UPOCRSwinV2Encoder(BaseModule):
    """SwinV2 encoder of UPOCR (spec §1.3), SwinV2-S by default.

    Wraps :class:`UPOCRSwinV2Backbone` as ``backbone`` so the state-dict
    keys are the official ``encoder.backbone.*`` ones (spec §7.3).

    Args:
        embed_dim (int): Stage-1 channels. Defaults to 96.
        depths (Sequence[int]): Blocks per stage. Defaults to (2, 2, 18, 2).
        num_heads (Sequence[int]): Heads per stage. Defaults to
            (3, 6, 12, 24).
        window_size (int): Window side. Defaults to 16.
        pretrained_window_size (int): CPB scaling window. Defaults to 16.
        drop_path_rate (float): Maximum stochastic depth. Defaults to 0.3.
        frozen (bool): ``requires_grad=False`` on every parameter (the
            official ``lr_encoder_ratio == 0``). Defaults to False.
        with_cp (bool): Gradient checkpointing. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialization config
            (e.g. ``Pretrained``); without it the official random init of
            :func:`init_swinv2_weights` is kept. Defaults to None.
    """

    def __init__(self,
                 embed_dim: int = 96,
                 depths: Sequence[int] = (2, 2, 18, 2),
                 num_heads: Sequence[int] = (3, 6, 12, 24),
                 window_size: int = 16,
                 pretrained_window_size: int = 16,
                 drop_path_rate: float = 0.3,
                 frozen: bool = False,
                 with_cp: bool = False,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.backbone = UPOCRSwinV2Backbone(
            embed_dim=embed_dim,
            depths=depths,
            num_heads=num_heads,
            window_size=window_size,
            pretrained_window_size=pretrained_window_size,
            drop_path_rate=drop_path_rate,
            with_cp=with_cp)
        #: Channels of the last tap (``8 * embed_dim`` for 4 stages).
        self.num_channels = self.backbone.embed_dims[-1]
        self.frozen = frozen
        if frozen:
            self.requires_grad_(False)

    def forward(self, x: Tensor) -> List[Tensor]:
        """Encode.

        Args:
            x (Tensor): (B, 3, H, W), H and W multiples of 32.

        Returns:
            list[Tensor]: 4 taps (B, C_i, H / 2**(i + 2), W / 2**(i + 2)).
        """
        return self.backbone(x)
