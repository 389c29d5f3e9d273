# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STR's vision encoder: an MAE ViT-B/4 for 32x128 crops, on timm."""
from functools import partial
from typing import Optional, Sequence, Tuple

import torch
from mmengine.logging import print_log
from mmocr.registry import MODELS
from timm.models.vision_transformer import VisionTransformer
from torch import nn

from mmocr_ext.compat.checkpoint import load_checkpoint_safely


@MODELS.register_module()
class E2STRViT(VisionTransformer):
    """timm ``VisionTransformer`` returning the patch tokens of a text crop.

    The official model is open_clip's ViT with two surgeries (spec A2.1):
    the patch conv has a bias and there is no pre-LN. timm's ViT has both
    properties natively, and its parameter names are those of the MAE
    checkpoints of Union14M, which therefore load directly (see
    :meth:`load_mae`). The class token is kept in the sequence (it takes
    part in attention) but its output is discarded; its embedding is not
    loaded from MAE (the official mapping skips it), so it keeps its
    random initialisation unless ``load_cls_token=True``.

    Args:
        img_size (tuple[int, int]): Input (H, W). Defaults to (32, 128).
        patch_size (int): Defaults to 4 (8 x 32 = 256 patches).
        embed_dim (int): Defaults to 768.
        depth (int): Defaults to 12.
        num_heads (int): Defaults to 12.
        mlp_ratio (float): Defaults to 4.
        norm_eps (float): LayerNorm epsilon: 1e-5 as open_clip (the
            official model); MAE trained with 1e-6. Defaults to 1e-5.
        train_final_norm (bool): The official model keeps ``ln_post`` (our
            ``norm``) frozen; True trains it. Defaults to False.
        pretrained (str, optional): MAE checkpoint loaded by
            :meth:`init_weights`. Defaults to None.
        load_cls_token (bool): Also load MAE's ``cls_token``. Defaults to
            False (parity).
    """

    def __init__(self,
                 img_size: Tuple[int, int] = (32, 128),
                 patch_size: int = 4,
                 embed_dim: int = 768,
                 depth: int = 12,
                 num_heads: int = 12,
                 mlp_ratio: float = 4.,
                 norm_eps: float = 1e-5,
                 train_final_norm: bool = False,
                 pretrained: Optional[str] = None,
                 load_cls_token: bool = False) -> None:
        super().__init__(
            img_size=tuple(img_size),
            patch_size=patch_size,
            embed_dim=embed_dim,
            depth=depth,
            num_heads=num_heads,
            mlp_ratio=mlp_ratio,
            qkv_bias=True,
            class_token=True,
            pre_norm=False,
            num_classes=0,
            global_pool='',
            norm_layer=partial(nn.LayerNorm, eps=norm_eps))
        self.pretrained = pretrained
        self.load_cls_token = load_cls_token
        self.train_final_norm = train_final_norm
        self.norm.requires_grad_(train_final_norm)

    @property
    def num_patches(self) -> int:
        """Patch tokens per image (256 for 32x128 and patch 4)."""
        return self.patch_embed.num_patches

    def init_weights(self, mode: str = '', needs_reset: bool = True) -> None:
        """timm's initialisation, then the MAE checkpoint if one is set."""
        super().init_weights(mode, needs_reset=needs_reset)
        if getattr(self, 'pretrained', None):
            self.load_mae(self.pretrained)

    def load_mae(self, path: str) -> Tuple[Sequence[str], Sequence[str]]:
        """Load an MAE checkpoint (``{'model': timm ViT state}``) from disk.

        The filter (:func:`~.e2str_checkpoint.filter_mae_state_dict`)
        drops the MAE decoder, ``mask_token`` and, unless
        ``load_cls_token``, ``cls_token``. Every remaining encoder key must
        match: a missing key raises.

        Returns:
            tuple: The dropped keys and the keys of this model not loaded
            (``cls_token`` by default).

        Raises:
            KeyError: A model key other than ``cls_token`` is absent from
                the checkpoint (named).
        """
        from .e2str_checkpoint import filter_mae_state_dict
        ckpt = load_checkpoint_safely(path, map_location="cpu")
        state, dropped = filter_mae_state_dict(
            ckpt, load_cls_token=self.load_cls_token)
        missing, unexpected = self.load_state_dict(state, strict=False)
        allowed = set() if self.load_cls_token else {'cls_token'}
        bad = [k for k in missing if k not in allowed]
        if bad or unexpected:
            raise KeyError(f'{path}: MAE checkpoint does not match E2STRViT: '
                           f'missing {bad}, unexpected {unexpected}')
        print_log(
            f'E2STRViT: loaded MAE weights from {path} '
            f'({len(state)} tensors; dropped {len(dropped)}; not loaded: '
            f'{sorted(missing) or "none"})',
            logger='current')
        return dropped, missing

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode crops.

        Args:
            x (Tensor): (N, 3, H, W) normalised images.

        Returns:
            Tensor: (N, num_patches, C) patch tokens after the final norm
            (the class token's output dropped).
        """
        tokens = self.forward_features(x)
        return tokens[:, self.num_prefix_tokens:]
