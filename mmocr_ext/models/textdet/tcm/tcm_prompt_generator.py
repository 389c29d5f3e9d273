# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Language prompt generator of TCM (Yu et al., CVPR 2023)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from mmocr.registry import MODELS


@MODELS.register_module()
class TCMPromptGenerator(BaseModule):
    """Image-conditioned language prompt of TCM (CVPR 2023, Sec. 3.2).

    Maps the global CLIP image embedding ``g`` to a bias ``p`` that the text
    encoder adds to every token embedding of the prompt::

        g (B, visual_dim) -> LN -> Linear(visual_dim, visual_dim) -> ReLU
            -> LN -> Linear(visual_dim, text_dim) -> p (B, text_dim)

    FastTCM feeds a learned, image-independent meta query instead of ``g``
    (:class:`FastTCM`). The layers live in ``prompt_proj`` (indices 0, 1, 3,
    4 hold parameters), the key layout of the official checkpoints.

    Args:
        visual_dim (int): Channels of the global image embedding. Defaults
            to 1024 (CLIP RN50).
        text_dim (int): Width of the text transformer. Defaults to 512.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None, which keeps the official initialisation:
            Linear weights truncated-normal with std 0.02 and zero bias,
            LayerNorm weight 1 and bias 0.
    """

    def __init__(self,
                 visual_dim: int = 1024,
                 text_dim: int = 512,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.visual_dim = visual_dim
        self.text_dim = text_dim
        self.prompt_proj = nn.Sequential(
            nn.LayerNorm(visual_dim), nn.Linear(visual_dim, visual_dim),
            nn.ReLU(inplace=True), nn.LayerNorm(visual_dim),
            nn.Linear(visual_dim, text_dim))
        for m in self.prompt_proj.modules():
            if isinstance(m, nn.Linear):
                trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Generate the language prompt.

        Args:
            x (Tensor): Global image embedding (or meta query) of shape
                :math:`(B, visual\\_dim)`.

        Returns:
            Tensor: Prompt of shape :math:`(B, text\\_dim)`.
        """
        return self.prompt_proj(x)
