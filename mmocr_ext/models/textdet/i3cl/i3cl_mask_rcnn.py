# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""I3CL detector: Mask R-CNN with intra-instance blocks on the FPN levels."""
from typing import Tuple

from mmdet.models.detectors import MaskRCNN
from mmdet.registry import MODELS
from mmdet.utils import ConfigType
from torch import Tensor

from .i3cl_intra_block import intra_blocks


@MODELS.register_module()
class I3CLMaskRCNN(MaskRCNN):
    """Mask R-CNN + FPN with I3CL's intra-instance blocks (spec A1, A2.1).

    :meth:`extract_feat` runs backbone -> neck -> one unshared
    :class:`I3CLIntraBlock` per FPN output (P2-P6), so ``loss``,
    ``predict`` and ``_forward`` all see the refined levels. The
    inter-instance module lives in the RoI head (:class:`I3CLRoIHead`);
    the official checkpoint's ``intra_cl_module.{0..4}`` keys load
    unchanged.

    Args:
        intracl_on (bool): Use the intra-instance blocks (the official
            switch). Defaults to True.
        intra_cl (dict): Keyword arguments of each block. Defaults to the
            official sizes (256 -> 64, kernels 7/5/3).
        num_intra_levels (int): FPN outputs refined. Defaults to 5.
        **kwargs: As :class:`mmdet.models.MaskRCNN`.
    """

    def __init__(self,
                 *args,
                 intracl_on: bool = True,
                 intra_cl: ConfigType = dict(),
                 num_intra_levels: int = 5,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.intracl_on = intracl_on
        if intracl_on:
            self.intra_cl_module = intra_blocks(num_intra_levels, **intra_cl)

    def extract_feat(self, batch_inputs: Tensor) -> Tuple[Tensor, ...]:
        """(B, 3, H, W) -> FPN levels, each refined by its intra block."""
        feats = super().extract_feat(batch_inputs)
        if not self.intracl_on:
            return feats
        if len(feats) != len(self.intra_cl_module):
            raise ValueError(f'{len(self.intra_cl_module)} intra blocks for '
                             f'{len(feats)} FPN levels')
        return tuple(block(f) for block, f in zip(self.intra_cl_module, feats))
