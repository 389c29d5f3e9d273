# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""mmocr's MMDetWrapper with a configurable mask-to-polygon step."""
from typing import Dict, Optional

from mmdet.structures import SampleList as MMDetSampleList
from mmengine.structures import InstanceData
from mmocr.models.textdet.detectors import MMDetWrapper
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import DetSampleList


@MODELS.register_module()
class I3CLWrapper(MMDetWrapper):
    """:class:`mmocr.models.MMDetWrapper` (mmdet detector -> mmocr text
    polygons for hmean-iou) with I3CL's post-processing as an option.

    Args:
        cfg (dict): The mmdet detector, e.g. an ``I3CLMaskRCNN``.
        text_repr_type (str): ``'poly'`` or ``'quad'`` for mmocr's default
            conversion. Defaults to ``'poly'``.
        postprocessor (dict, optional): ``None`` keeps mmocr's default
            (every contour of every mask, all scores); e.g.
            ``dict(type='I3CLMaskPostprocessor')`` gives I3CL's submission
            polygons (first contour, approxPolyDP, score > 0.45).
            Defaults to None.
    """

    def __init__(self,
                 cfg: Dict,
                 text_repr_type: str = 'poly',
                 postprocessor: Optional[Dict] = None) -> None:
        super().__init__(cfg, text_repr_type)
        self.postprocessor = (
            MODELS.build(postprocessor) if postprocessor else None)

    def adapt_predictions(self, data: MMDetSampleList,
                          data_samples: DetSampleList) -> DetSampleList:
        """mmdet predictions -> ``pred_instances.polygons`` / ``.scores``."""
        if self.postprocessor is None:
            return super().adapt_predictions(data, data_samples)
        for det_sample, sample in zip(data, data_samples):
            polygons, scores = self.postprocessor(det_sample.pred_instances)
            sample.pred_instances = InstanceData(
                polygons=polygons, scores=scores)
        return data_samples
