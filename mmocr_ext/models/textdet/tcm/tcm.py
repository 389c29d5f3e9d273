# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""TCM: a CLIP-prompted DBNet (Yu et al., CVPR 2023; docs/tcm.md)."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model.weight_init import trunc_normal_
from mmocr.models.textdet.detectors import SingleStageTextDetector
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample
from mmocr.utils.typing_utils import ConfigType, OptConfigType, OptMultiConfig
from torch import Tensor

from mmocr_ext.models.common.clip import CLIPTokenizer

#: The handcrafted prompt of all headline TCM configs (14 CLIP tokens).
TCM_PROMPT = 'the pixels of many arbitrary-shape text instances.'


@MODELS.register_module()
class TCM(SingleStageTextDetector):
    """TCM-DBNet: "Turning a CLIP Model into a Scene Text Detector".

    Yu et al., CVPR 2023 (arXiv 2302.14338). A CLIP RN50 image encoder and
    CLIP text encoder feed a DBNet neck/head (mmocr's :class:`FPNC`,
    :class:`DBHead`, :class:`DBPostprocessor`) with an instance-language
    score map (Sec. 3). Data flow at a 640 x 640 crop::

        img (B,3,H,W) -> backbone -> C2..C5, g (B,1024), V (B,1024,H/32,W/32)
        p = prompt_generator(g)                                   (B, 512)
        T = text_encoder(prompt ids, contexts, p)                 (B, K, 1024)
        V' = V + vis_gamma * visual_prompt_generator(V, T)        (Sec. 3.3)
        T' = T + gamma * context_decoder(T, [g; V])               (Sec. 3.2)
        S = cos(V', T')                                           (B,K,h,w)
        neck([C2, C3, C4, cat(C5, S)]) -> det_head

    ``loss()``: :meth:`extract_feat` -> ``det_head(feats, mode='loss')`` ->
    ``det_head.module_loss((prob, thr, binary, S))``, which must be a
    :class:`TCMModuleLoss` (DB loss + matching loss on ``S``).
    ``predict()``: :meth:`extract_feat` -> ``det_head.predict``.

    The text encoder runs once per image because ``p`` depends on ``g``
    (FastTCM removes that dependency, see :class:`FastTCM`). It is frozen
    only through ``lr_mult=0`` in the configs: gradients flow through it to
    ``contexts`` and the prompt generator.

    Args:
        backbone (dict): Image encoder, a ``CLIPResNetWithAttention`` whose
            forward returns ``(C2, C3, C4, C5, (g, V))``.
        text_encoder (dict): ``CLIPTextContextEncoder`` config. The built
            encoder's positional embedding fixes the sequence length
            (prompt tokens plus ``num_learnable_tokens``, 18 or 46 in the
            released models), the width of the learnable tokens, and its
            projection the size of ``gamma``.
        context_decoder (dict): :class:`TCMContextDecoder` refining T.
        visual_prompt_generator (dict): :class:`TCMContextDecoder` updating V.
        prompt_generator (dict): :class:`TCMPromptGenerator`, mapping the
            text encoder's embedding size to its width.
        neck (dict): Neck config, mmocr's ``FPNC`` whose input at
            ``score_concat_index`` has ``K`` extra channels (2049 for RN50).
        det_head (dict): ``DBHead`` config with a ``TCMModuleLoss``.
        class_names (Sequence[str]): Prompts, one per class K. Defaults to
            the TCM prompt (K = 1).
        num_learnable_tokens (int): Learnable context tokens inserted after
            the start token (4 for IC15/TD500, 32 for CTW1500/Total-Text).
            Defaults to 4.
        score_concat_index (int): Index of the backbone level the score map
            is concatenated to. Defaults to 3 (C5).
        gamma_init (float): Initial value of the text gate (one per
            embedding channel, 1024 for RN50). Defaults to 1e-3.
        vis_gamma_init (float): Initial value of the scalar visual gate.
            Defaults to 1e-3.
        data_preprocessor (dict, optional): ``TextDetDataPreprocessor``.
        init_cfg (dict or list[dict], optional): Initialization config.
    """

    def __init__(self,
                 backbone: ConfigType,
                 text_encoder: ConfigType,
                 context_decoder: ConfigType,
                 visual_prompt_generator: ConfigType,
                 prompt_generator: ConfigType,
                 neck: ConfigType,
                 det_head: ConfigType,
                 class_names: Sequence[str] = (TCM_PROMPT, ),
                 num_learnable_tokens: int = 4,
                 score_concat_index: int = 3,
                 gamma_init: float = 1e-3,
                 vis_gamma_init: float = 1e-3,
                 data_preprocessor: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(
            backbone=backbone,
            det_head=det_head,
            neck=neck,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.text_encoder = MODELS.build(text_encoder)
        self.context_decoder = MODELS.build(context_decoder)
        self.visual_prompt_generator = MODELS.build(visual_prompt_generator)
        self.prompt_generator = MODELS.build(prompt_generator)
        loss_name = type(self.det_head.module_loss).__name__
        assert hasattr(self.det_head.module_loss, 'pixel_loss'), (
            f'TCM needs det_head.module_loss=TCMModuleLoss, got {loss_name}')

        # Sizes come from the built modules, so no config value can
        # disagree with the weights: the text encoder's positional embedding
        # is (context_length, width) and its projection (width, embed_dim).
        context_length, text_dim = (
            self.text_encoder.positional_embedding.shape)
        embed_dim = self.text_encoder.text_projection.shape[1]
        prompt_length = context_length - num_learnable_tokens
        assert prompt_length > 0, (
            f'context_length {context_length} <= num_learnable_tokens '
            f'{num_learnable_tokens}')
        # g (and FastTCM's meta query) -> p, added to the token embeddings.
        prompt_dims = (self.prompt_generator.visual_dim,
                       self.prompt_generator.text_dim)
        assert prompt_dims == (embed_dim, text_dim), (
            f'prompt_generator maps {prompt_dims[0]} -> {prompt_dims[1]} '
            f'channels, the text encoder needs {embed_dim} -> {text_dim}')
        self.class_names = list(class_names)
        self.num_learnable_tokens = num_learnable_tokens
        self.score_concat_index = score_concat_index
        self.embed_dim = embed_dim
        # Token ids are rebuilt from class_names, not saved (as in TCM).
        self.register_buffer(
            'text_ids',
            CLIPTokenizer()(self.class_names, prompt_length),
            persistent=False)
        # std 1.0 (PyTorch's trunc_normal_ default), as the official code.
        self.contexts = nn.Parameter(
            torch.empty(1, num_learnable_tokens, text_dim))
        trunc_normal_(self.contexts)
        self.gamma = nn.Parameter(torch.full((embed_dim, ), gamma_init))
        self.vis_gamma = nn.Parameter(torch.tensor(vis_gamma_init))

    @property
    def num_classes(self) -> int:
        """int: Number of prompts K (channels of the score map)."""
        return len(self.class_names)

    def encode_text(self, global_feat: Tensor) -> Tensor:
        """Text embeddings with the image-conditioned prompt (Sec. 3.2).

        Args:
            global_feat (Tensor): Global image embedding :math:`(B, 1024)`.

        Returns:
            Tensor: Text embeddings :math:`(B, K, 1024)`.
        """
        prompt = self.prompt_generator(global_feat)
        contexts = self.contexts.expand(global_feat.shape[0], -1, -1)
        return self.text_encoder(self.text_ids, contexts, prompt)

    def match(self, global_feat: Tensor,
              dense_feat: Tensor) -> Tuple[Tensor, Tensor]:
        """Visual prompt, text refinement and the matching score map.

        Args:
            global_feat (Tensor): :math:`g`, shape :math:`(B, C)`.
            dense_feat (Tensor): :math:`V`, shape :math:`(B, C, h, w)`.

        Returns:
            tuple(Tensor, Tensor): The refined text embeddings
            :math:`(B, K, C)` and the cosine score map :math:`(B, K, h, w)`.
        """
        B, C, h, w = dense_feat.shape
        text = self.encode_text(global_feat)
        visual = dense_feat.flatten(2).transpose(1, 2)  # (B, hw, C)
        # The context decoder sees the visual context before the update.
        memory = torch.cat([global_feat.unsqueeze(1), visual], dim=1)
        visual = visual + self.vis_gamma * self.visual_prompt_generator(
            visual, text)
        text = text + self.gamma * self.context_decoder(text, memory)
        visual = visual.transpose(1, 2).reshape(B, C, h, w)
        score_map = torch.einsum('bchw,bkc->bkhw', F.normalize(visual, dim=1),
                                 F.normalize(text, dim=2))
        return text, score_map

    def extract_feat(self, inputs: Tensor) -> Tuple[Tuple[Tensor], Tensor]:
        """Backbone, matching and neck.

        Args:
            inputs (Tensor): Images :math:`(B, 3, H, W)`.

        Returns:
            tuple: The neck output (``FPNC``: :math:`(B, 256, H/4, W/4)`) and
            the score map :math:`(B, K, H/32, W/32)`.
        """
        *feats, (global_feat, dense_feat) = self.backbone(inputs)
        _, score_map = self.match(global_feat, dense_feat)
        feats: List[Tensor] = list(feats)
        idx = self.score_concat_index
        feats[idx] = torch.cat([feats[idx], score_map], dim=1)
        return self.neck(feats), score_map

    def loss(self, inputs: Tensor,
             data_samples: Sequence[TextDetDataSample]) -> Dict:
        """DB losses plus the matching loss ``loss_pix_cls``.

        Args:
            inputs (Tensor): Images :math:`(B, 3, H, W)`.
            data_samples (list[TextDetDataSample]): Samples with ground truth.

        Returns:
            dict[str, Tensor]: ``loss_prob``, ``loss_thr``, ``loss_db``,
            ``loss_pix_cls``.
        """
        feats, score_map = self.extract_feat(inputs)
        outs = self.det_head(feats, data_samples, mode='loss')
        return self.det_head.module_loss((*outs, score_map), data_samples)

    def predict(
        self, inputs: Tensor, data_samples: Sequence[TextDetDataSample]
    ) -> Sequence[TextDetDataSample]:
        """Detect text: features, DB head, ``DBPostprocessor``.

        Args:
            inputs (Tensor): Images :math:`(B, 3, H, W)`.
            data_samples (list[TextDetDataSample]): Samples with meta info.

        Returns:
            list[TextDetDataSample]: Samples with ``pred_instances``
            (``polygons``, ``scores``).
        """
        feats, _ = self.extract_feat(inputs)
        return self.det_head.predict(feats, data_samples)

    def _forward(self,
                 inputs: Tensor,
                 data_samples: Optional[Sequence[TextDetDataSample]] = None,
                 **kwargs) -> Tensor:
        """Tensor mode: the probability map :math:`(B, H, W)`."""
        feats, _ = self.extract_feat(inputs)
        return self.det_head(feats, data_samples)
