# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""I3CL's intra-instance block (the official code's ``IntraCLBlock``)."""
from typing import Sequence

from mmdet.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class I3CLIntraBlock(nn.Module):
    """Multi-receptive-field convolution on one FPN level, residual.

    ``r = 1x1(x)`` to ``reduced`` channels; three cascaded stages, stage k
    ``s = kxk(s) + kx1(s) + 1xk(s)`` for k = 7, 5, 3 ("same" padding, bias,
    no activation between stages); ``y = ReLU(BN(1x1(s)))`` back to
    ``channels``; output ``x + y`` (spec A2.1). One block per FPN level,
    not shared; 497,024 parameters at the official sizes.

    Args:
        channels (int): FPN width. Defaults to 256.
        reduced (int): Width of the cascaded stages. Defaults to 64.
        kernel_sizes (tuple): Stage kernels. Defaults to (7, 5, 3).
    """

    def __init__(
        self,
        channels: int = 256,
        reduced: int = 64,
        kernel_sizes: Sequence[int] = (7, 5, 3)
    ) -> None:  # noqa: E125
        super().__init__()
        if any(k % 2 == 0 for k in kernel_sizes):
            raise ValueError(f'kernel sizes must be odd: {kernel_sizes}')
        self.kernel_sizes = tuple(kernel_sizes)
        self.conv1x1_reduce_channel = nn.Conv2d(channels, reduced, 1)
        # Checkpoint names of the official code: c = kxk, v = kx1, q = 1xk.
        for k in self.kernel_sizes:
            p = k // 2
            setattr(self, f'c_layer_{k}x{k}',
                    nn.Conv2d(reduced, reduced, (k, k), padding=(p, p)))
            setattr(self, f'v_layer_{k}x1',
                    nn.Conv2d(reduced, reduced, (k, 1), padding=(p, 0)))
            setattr(self, f'q_layer_1x{k}',
                    nn.Conv2d(reduced, reduced, (1, k), padding=(0, p)))
        self.conv1x1_return_channel = nn.Conv2d(reduced, channels, 1)
        self.bn = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        """(B, C, H, W) -> (B, C, H, W)."""
        s = self.conv1x1_reduce_channel(x)
        for k in self.kernel_sizes:
            s = (
                getattr(self, f'c_layer_{k}x{k}')(s) +
                getattr(self, f'v_layer_{k}x1')(s) +
                getattr(self, f'q_layer_1x{k}')(s))
        y = self.relu(self.bn(self.conv1x1_return_channel(s)))
        return x + y


def intra_blocks(num_levels: int = 5, **kwargs) -> nn.ModuleList:
    """One unshared :class:`I3CLIntraBlock` per FPN level (P2-P6)."""
    return nn.ModuleList(I3CLIntraBlock(**kwargs) for _ in range(num_levels))


__all__ = ['I3CLIntraBlock', 'intra_blocks']
