# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Token ids from the E2STR decoder -> ``TextRecogDataSample`` text."""
import math
from typing import List, Optional, Sequence, Tuple

from mmengine.structures import LabelData
from mmocr.registry import MODELS, TASK_UTILS
from mmocr.structures import TextRecogDataSample


@MODELS.register_module()
class E2STRPostprocessor:
    """Decode hypotheses into ``pred_text`` (``item`` and ``score``).

    Special tokens are dropped and the text is stripped. ``score`` is the
    hypothesis' length-normalised probability ``exp(mean log p)`` in
    [0, 1]. The official model output the raw string and no score; the
    optional ``dictionary`` (an mmocr :class:`Dictionary` config) keeps
    only the characters it holds (case is mapped when the dictionary has
    only one case of a letter).

    Args:
        dictionary (dict, optional): Characters to keep. Defaults to None.
    """

    def __init__(self, dictionary: Optional[dict] = None) -> None:
        self.dictionary = (
            TASK_UTILS.build(dictionary)
            if isinstance(dictionary, dict) else dictionary)

    def _filter(self, text: str) -> str:
        if self.dictionary is None:
            return text
        chars = set(self.dictionary.dict)
        out = []
        for c in text:
            if c in chars:
                out.append(c)
            elif c.lower() in chars:
                out.append(c.lower())
            elif c.upper() in chars:
                out.append(c.upper())
        return ''.join(out)

    def __call__(self, hypotheses: Sequence[Tuple[List[int], float]],
                 data_samples: Sequence[TextRecogDataSample],
                 tokenizer) -> Sequence[TextRecogDataSample]:
        """Set ``pred_text`` on each data sample.

        Args:
            hypotheses (list[tuple[list[int], float]]): Generated ids and
                mean log-probability per sample.
            data_samples (list[TextRecogDataSample]): Same length.
            tokenizer: The LM tokenizer.

        Returns:
            list[TextRecogDataSample]: ``data_samples``, updated.
        """
        for (ids, logp), sample in zip(hypotheses, data_samples):
            text = tokenizer.decode(ids, skip_special_tokens=True).strip()
            pred = LabelData(metainfo=dict())
            pred.item = self._filter(text)
            pred.score = math.exp(logp) if math.isfinite(logp) else 0.
            sample.pred_text = pred
        return data_samples
