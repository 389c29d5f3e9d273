# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""mmocr's text-spotting inferencer for point-based spotters (InstructOCR).

::

    from mmocr_ext.apis import PointSpotInferencer, set_spotter_instruction

    inferencer = PointSpotInferencer(model=CONFIG, weights=CKPT)
    set_spotter_instruction(inferencer, 'text of number')
    result = inferencer('img.jpg')['predictions'][0]
    # {'points': [[x, y], ...], 'texts': [...], 'scores': [...],
    #  'instruction': 'text of number'}
"""
import os.path as osp
from typing import Dict, Optional

from mmocr.apis.inferencers import TextSpotInferencer

from .instruction import spotter_instruction

#: The drawing used whatever the config names (its other keys are kept).
POINT_VISUALIZER = 'PointSpottingLocalVisualizer'


class PointSpotInferencer(TextSpotInferencer):
    """``TextSpotInferencer`` whose results are points with their texts.

    Same arguments and calls as mmocr's ``TextSpotInferencer``. Two
    differences:

    * :meth:`pred2dict` gives ``points`` ``[[x, y], ...]`` (original-image
      pixels), ``texts``, ``scores`` and, for an instruction-following
      spotter, the ``instruction`` it followed; not the small squares
      InstructOCR also writes as ``polygons`` (a spotter without
      ``points`` keeps mmocr's ``polygons``/``bboxes`` keys);
    * the drawings are made by ``PointSpottingLocalVisualizer`` (a dot and
      its text per instance) whatever visualizer the config names, unless
      it names a subclass of it.
    """

    def _init_visualizer(self, cfg):
        """Build the config's visualizer as a point visualizer."""
        from mmengine.registry import VISUALIZERS

        from mmocr_ext.visualization import PointSpottingLocalVisualizer
        vis_cfg = cfg.get('visualizer')
        if vis_cfg is None:
            cfg.visualizer = dict(type=POINT_VISUALIZER, name='visualizer')
        else:
            cls = vis_cfg.get('type')
            if isinstance(cls, str):
                cls = VISUALIZERS.get(cls)
            if not (isinstance(cls, type)
                    and issubclass(cls, PointSpottingLocalVisualizer)):
                vis_cfg['type'] = POINT_VISUALIZER
        return super()._init_visualizer(cfg)

    def pred2dict(self, data_sample) -> Dict:
        """JSON-ready prediction of one image.

        Args:
            data_sample (TextSpottingDataSample): A prediction, with
                ``pred_instances.points`` (N, 2), ``texts`` and ``scores``
                (N,).

        Returns:
            dict: ``points`` (N lists ``[x, y]``), ``texts`` (N str),
            ``scores`` (N float) and ``instruction`` (str, when the model
            follows instructions).
        """
        pred = data_sample.pred_instances
        if 'points' not in pred:
            result = super().pred2dict(data_sample)
        else:
            result = dict(
                points=self._array2list(pred.points),
                texts=list(pred.texts),
                scores=self._array2list(pred.scores))
        instruction: Optional[str] = spotter_instruction(
            self.model, data_sample)
        if instruction is not None:
            result['instruction'] = instruction
        return result


def check_text_spotter(inferencer) -> None:
    """Refuse a model that is a text detector, recognizer or KIE model.

    ``TextSpotInferencer`` builds any model; a detector's predictions have
    no texts, a recognizer's no geometry.

    Args:
        inferencer: An inferencer (``model``) or a model.

    An instruction spotter whose text encoder names a weight folder that is
    not there (InstructOCR's BERT is never in its checkpoint; it is loaded
    at the first image) is refused here, before any image is read.

    Raises:
        TypeError: The model is an mmocr text detector, text recognizer or
            KIE model.
        FileNotFoundError: The instruction encoder's weights are missing.
    """
    from mmocr.models.kie.extractors import SDMGR
    from mmocr.models.textdet.detectors.base import BaseTextDetector
    from mmocr.models.textrecog.recognizers.base import BaseRecognizer

    from .instruction import spotter_model
    model = spotter_model(inferencer)
    for base, task, option in ((BaseTextDetector, 'text detector', '--det'),
                               (BaseRecognizer, 'text recognizer',
                                '--rec'), (SDMGR, 'KIE model', '--kie')):
        if isinstance(model, base):
            raise TypeError(f'{type(model).__name__} is a {task}, not a text '
                            f'spotter (tools/infer.py: {option})')
    encoder = getattr(getattr(model, 'encoder', None), 'text_encoder', None)
    path = getattr(encoder, 'pretrained', None)
    if isinstance(path, str) and not osp.exists(path):
        raise FileNotFoundError(
            f'the spotter\'s instruction encoder needs its weights in {path} '
            '(InstructOCR: bert-base-uncased, config.json + '
            'model.safetensors; see docs/instructocr.md)')
