# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""PatchSplit: the decoder's 2x upsampling, the inverse of PatchMerging."""
import torch.nn as nn
from torch import Tensor


class UPOCRPatchSplit(nn.Module):
    """Patch splitting (spec §1.5): (B, H, W, C) -> (B, 2H, 2W, C / 2).

    The C channels of a token are cut into 4 groups g0..g3 of C / 4 and
    placed as its 2x2 sub-pixels in PatchMerging's concatenation order
    (row r, column c): g0 -> (0, 0), g1 -> (1, 0), g2 -> (0, 1),
    g3 -> (1, 1), so ``split(merge(x))`` puts every pixel back in place
    (timm's :class:`~timm.models.swin_transformer_v2.PatchMerging`
    concatenates (0, 0), (1, 0), (0, 1), (1, 1)). Then
    ``upsample`` = Linear(C/4 -> C/2, no bias) and ``norm`` =
    LayerNorm(C/2) (official key names).

    Args:
        dim (int): Input channels C, a multiple of 4.
    """

    def __init__(self, dim: int) -> None:
        super().__init__()
        if dim % 4:
            raise ValueError(f'PatchSplit needs channels % 4 == 0, got {dim}')
        self.dim = dim
        self.upsample = nn.Linear(dim // 4, dim // 2, bias=False)
        self.norm = nn.LayerNorm(dim // 2)

    def forward(self, x: Tensor) -> Tensor:
        """Upsample.

        Args:
            x (Tensor): (B, H, W, C).

        Returns:
            Tensor: (B, 2H, 2W, C / 2).
        """
        B, H, W, C = x.shape
        # channel group k = 2 * column + row (PatchMerging's order)
        x = x.view(B, H, W, 2, 2, C // 4).permute(0, 1, 4, 2, 3, 5)
        x = x.reshape(B, 2 * H, 2 * W, C // 4)
        return self.norm(self.upsample(x))
