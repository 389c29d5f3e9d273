# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""FastTCM: TCM with an image-independent, cacheable text embedding."""
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor

from .tcm import TCM


@MODELS.register_module()
class FastTCM(TCM):
    r"""FastTCM / BSM detector (Yu et al., TPAMI 2024, arXiv 2308.10408).

    Differs from :class:`TCM` in the text branch only (docs/tcm.md):

    1. **Meta query.** The language prompt generator reads a learned,
       image-independent ``meta_query`` (1024-d, ``randn`` init) instead of
       the global image feature, so the text embedding :math:`T` (1, K, 1024)
       no longer depends on the image. In eval mode under ``no_grad`` it is
       computed once and cached ("offline computation"; the released code
       recomputes it every forward).
    2. **Bimodal similarity matching (BSM).** Image conditioning is put back
       after the text encoder with a projected global feature:

       .. math::

           g' = \mathrm{normalize}(g W_{pix}),\quad
           \hat T = \mathrm{normalize}(T),\quad
           T \leftarrow \cos(\hat T, g')\, g' + \hat T

       ``W_pix`` (``bsm_proj``) is initialised to ones. **Deviation:** the
       released code declares ``W_pix`` as 1024 x 512, which makes
       :math:`g'` 512-d while :math:`T` is 1024-d for RN50, so the
       element-wise cosine cannot broadcast. We use
       ``visual_dim x embed_dim`` = 1024 x 1024. The exact BSM formula is
       [unverified] against the TPAMI paper.

    The cache is keyed on the storage and version counter of every tensor it
    depends on (text encoder, prompt generator, ``contexts``,
    ``meta_query``), so in-place updates (optimizer steps,
    ``load_state_dict``, ``.to()``) invalidate it; ``train()`` also drops it.

    Args:
        use_bsm (bool): Apply bimodal similarity matching. Defaults to True.
        cache_text (bool): Cache the text embedding in eval mode under
            ``no_grad``. Defaults to True.
        **kwargs: Arguments of :class:`TCM`.
    """

    def __init__(self,
                 use_bsm: bool = True,
                 cache_text: bool = True,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        visual_dim = self.prompt_generator.visual_dim
        embed_dim = self.embed_dim
        self.use_bsm = use_bsm
        self.cache_text = cache_text
        self.meta_query = nn.Parameter(torch.randn(visual_dim))
        if use_bsm:
            self.bsm_proj = nn.Parameter(torch.ones(visual_dim, embed_dim))
        self._text_cache: Optional[Tuple[tuple, Tensor]] = None

    def _text_inputs(self) -> List[Tensor]:
        """Every tensor the image-independent text embedding depends on."""
        return [
            *self.text_encoder.parameters(), *self.text_encoder.buffers(),
            *self.prompt_generator.parameters(), self.contexts,
            self.meta_query, self.text_ids
        ]

    def _cache_key(self) -> tuple:
        """Identity of the current text inputs (storage, version, dtype)."""
        return tuple((t.data_ptr(), t._version, t.dtype, t.device)
                     for t in self._text_inputs())

    def compute_text(self) -> Tensor:
        """Run the prompt generator and text encoder on the meta query.

        Returns:
            Tensor: Text embeddings :math:`(1, K, 1024)`.
        """
        prompt = self.prompt_generator(self.meta_query.unsqueeze(0))
        return self.text_encoder(self.text_ids, self.contexts, prompt)

    def meta_text(self) -> Tensor:
        """The text embedding, from the cache when allowed.

        Returns:
            Tensor: Text embeddings :math:`(1, K, 1024)`.
        """
        if (self.training or not self.cache_text or torch.is_grad_enabled()):
            self._text_cache = None
            return self.compute_text()
        key = self._cache_key()
        if self._text_cache is None or self._text_cache[0] != key:
            self._text_cache = (key, self.compute_text())
        return self._text_cache[1]

    def encode_text(self, global_feat: Tensor) -> Tensor:
        """Cached meta-query text embedding, re-weighted by BSM.

        Args:
            global_feat (Tensor): Global image embedding :math:`(B, 1024)`.

        Returns:
            Tensor: Text embeddings :math:`(B, K, 1024)`.
        """
        text = self.meta_text()
        if not self.use_bsm:
            return text.expand(global_feat.shape[0], -1, -1)
        g = F.normalize(global_feat @ self.bsm_proj, dim=-1).unsqueeze(1)
        text = F.normalize(text, dim=-1)  # (1, K, C)
        cos = (text * g).sum(dim=-1, keepdim=True)  # (B, K, 1)
        return text + cos * g

    def train(self, mode: bool = True) -> 'FastTCM':
        """Switch mode and drop the cached text embedding."""
        self._text_cache = None
        return super().train(mode)

    def _load_from_state_dict(self, *args, **kwargs) -> None:
        """Drop the cache whenever weights are loaded."""
        self._text_cache = None
        super()._load_from_state_dict(*args, **kwargs)
