# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""VGG-16 perceptual and style losses of UPOCR's text removal."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmocr.registry import MODELS
from torch import Tensor

from .vgg16_feature_extractor import VGG16FeatureExtractor


def gram_matrix(feat: Tensor) -> Tensor:
    """Normalised Gram matrix ``F F^T / (C H W)``.

    Args:
        feat (Tensor): (B, C, H, W).

    Returns:
        Tensor: (B, C, C).
    """
    B, C, H, W = feat.shape
    f = feat.reshape(B, C, H * W)
    return torch.bmm(f, f.transpose(1, 2)) / (C * H * W)


@MODELS.register_module()
class VGGPerceptualStyleLoss(nn.Module):
    """Perceptual + style losses on frozen VGG-16 pool1..3 (spec §4.1 2-5).

    With O the full-resolution output, M the text mask (1 = non-text), I
    the input and Y the clean target, the composite is
    ``Ic = M * I + (1 - M) * O``; with phi_i the pool_i features::

        prc_loss   = perceptual_weight * sum_i l1(phi_i(O), phi_i(Y))
                                             + l1(phi_i(Ic), phi_i(Y))
        style_loss = style_weight * sum_i l1(G(phi_i(O)), G(phi_i(Y)))
                                        + l1(G(phi_i(Ic)), G(phi_i(Y)))

    G is :func:`gram_matrix`, computed in float32 with autocast disabled
    (``torch.autocast(device_type=<input device>, enabled=False)``: the
    Gram overflows in float16). The VGG runs under the caller's autocast.

    The VGG (:class:`VGG16FeatureExtractor`) is frozen, always in eval mode
    and **not part of the module tree**: it has no keys in any
    ``state_dict`` (checkpoints are identical with and without it: the
    official issue #4), no entries in ``parameters()`` (optimizers and DDP
    never see it), and ``train()`` leaves it alone. ``_apply`` is
    overridden so ``model.to(...)`` moves it, and ``forward`` moves it to
    the input's device if it is elsewhere.

    Args:
        perceptual_weight (float): Defaults to 0.01.
        style_weight (float): Defaults to 120.
        vgg_pretrained (str, optional): Local VGG-16 weights
            (torchvision's ``vgg16-397923af.pth`` layout or the official
            ``vgg16.enc_*`` one), loaded by :meth:`load_vgg` or, at the
            latest, by the first forward; never at build time, so a model
            built for inference does not need the file. None keeps a
            random VGG (tests only: the losses are then meaningless).
            Defaults to None.
        layers (Sequence[str]): Features used, a subset of
            ('pool1', 'pool2', 'pool3'). Defaults to all three.
    """

    _LAYERS = ('pool1', 'pool2', 'pool3')

    def __init__(self,
                 perceptual_weight: float = 0.01,
                 style_weight: float = 120.,
                 vgg_pretrained: Optional[str] = None,
                 layers: Sequence[str] = _LAYERS) -> None:
        super().__init__()
        unknown = [name for name in layers if name not in self._LAYERS]
        if unknown:
            raise ValueError(f'unknown VGG layers {unknown}, choose from '
                             f'{self._LAYERS}')
        self.layer_ids = [self._LAYERS.index(name) for name in layers]
        self.perceptual_weight = float(perceptual_weight)
        self.style_weight = float(style_weight)
        self.vgg_pretrained = vgg_pretrained
        vgg = VGG16FeatureExtractor()
        vgg.requires_grad_(False)
        # A plain attribute, not a submodule (see the class docstring).
        object.__setattr__(self, 'vgg', vgg.eval())
        self._vgg_loaded = vgg_pretrained is None

    def load_vgg(self) -> None:
        """Load ``vgg_pretrained`` into the VGG (once; keeps its device)."""
        if not self._vgg_loaded:
            self.vgg.load_weights(self.vgg_pretrained)
            self._vgg_loaded = True

    def extra_repr(self) -> str:
        return (f'vgg=VGG16FeatureExtractor(frozen, not saved, '
                f'pretrained={self.vgg_pretrained})')

    def _apply(self, fn, *args, **kwargs):
        super()._apply(fn, *args, **kwargs)
        self.vgg._apply(fn, *args, **kwargs)
        return self

    def train(self, mode: bool = True) -> 'VGGPerceptualStyleLoss':
        """Set the train mode; the VGG stays in eval mode."""
        super().train(mode)
        self.vgg.eval()
        return self

    def _features(self, x: Tensor) -> List[Tensor]:
        self.load_vgg()
        param = next(self.vgg.parameters(), None)
        if param is not None and param.device != x.device:
            self.vgg.to(x.device)
        feats = self.vgg(x)
        return [feats[i] for i in self.layer_ids]

    def forward(self,
                preds: Sequence[Tensor],
                target: Tensor,
                text_mask: Optional[Tensor] = None,
                img: Optional[Tensor] = None) -> Dict[str, Tensor]:
        """Compute the losses.

        Args:
            preds (Sequence[Tensor]): Outputs; the last one (B, 3, H, W) is
                used.
            target (Tensor): Clean images (B, 3, H, W) in [0, 1].
            text_mask (Tensor): (B, 1, H, W), 1 = non-text, 0 = text.
            img (Tensor): The input images (B, 3, H, W) in [0, 1].

        Returns:
            dict[str, Tensor]: ``prc_loss`` and ``style_loss`` (weighted).
        """
        if text_mask is None or img is None:
            raise ValueError('VGGPerceptualStyleLoss needs the text mask '
                             'and the input image')
        out = preds[-1]
        mask = text_mask.to(out.dtype)
        comp = mask * img.to(out.dtype) + (1 - mask) * out
        n = out.shape[0]
        feats = self._features(torch.cat([out, comp, target.to(out.dtype)]))
        prc, style = 0., 0.
        for feat in feats:
            f_out, f_comp, f_gt = feat[:n], feat[n:2 * n], feat[2 * n:]
            f_gt = f_gt.detach()
            prc = prc + F.l1_loss(f_out, f_gt) + F.l1_loss(f_comp, f_gt)
            with torch.autocast(device_type=out.device.type, enabled=False):
                g_out, g_comp, g_gt = (
                    gram_matrix(f.float()) for f in (f_out, f_comp, f_gt))
                style = style + F.l1_loss(g_out, g_gt) + F.l1_loss(
                    g_comp, g_gt)
        return dict(
            prc_loss=self.perceptual_weight * prc,
            style_loss=self.style_weight * style)
