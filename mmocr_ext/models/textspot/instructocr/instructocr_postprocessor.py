# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Turn InstructOCR's token sequences into points, texts and scores."""
from typing import Sequence

import numpy as np
import torch
from mmengine.logging import MMLogger
from mmengine.structures import InstanceData
from mmocr.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class InstructOCRPostprocessor:
    """Parse each decoded row into spotted instances (spec B6).

    The row is cut at its EOS and to a whole number of
    ``slots_per_text`` (27) tokens; each block ``[x, y, c1 .. c25]`` gives
    the point ``(x / num_bins * W, y / num_bins * H)`` in the ORIGINAL
    image (the bins are relative to the network input, which is the
    original resized), the text (characters up to the first end-of-word
    token, unknowns skipped) and the score, the mean probability of the
    block's 27 tokens (the official score; the official parser's bug that
    overwrites the probabilities in the truncation branch is not
    reproduced). A block whose first two tokens are not coordinates (the
    unconstrained decoder can emit e.g. the noise class there) is dropped
    and counted in :attr:`num_invalid`.

    Sets ``pred_instances.points`` (N, 2) float32, ``texts``, ``scores``
    (N,) float32, and ``polygons``: a square of side ``point_box_size``
    around each point, so that mmocr's inferencers, visualizers and
    polygon-based tools accept the result.

    Args:
        point_box_size (float): Side in pixels of the squares drawn around
            the points. Defaults to 8.
    """

    def __init__(self, point_box_size: float = 8.0) -> None:
        self.point_box_size = point_box_size
        self.num_invalid = 0

    def __call__(self, tokens: Tensor, probs: Tensor, data_samples: Sequence,
                 dictionary, slots_per_text: int) -> Sequence:
        """Attach ``pred_instances`` to every data sample.

        Args:
            tokens (Tensor): (B, T) decoded tokens.
            probs (Tensor): (B, T) their probabilities.
            data_samples (list): One per row, with ``ori_shape``.
            dictionary (InstructOCRDictionary): The vocabulary.
            slots_per_text (int): Tokens per instance (27).

        Returns:
            list: ``data_samples``, each with ``pred_instances``.
        """
        tokens, probs = tokens.cpu().numpy(), probs.float().cpu().numpy()
        half = self.point_box_size / 2
        for row, prob, sample in zip(tokens, probs, data_samples):
            eos = np.flatnonzero(row == dictionary.eos_idx)
            end = int(eos[0]) if len(eos) else len(row)
            n = end // slots_per_text
            blocks = row[:n * slots_per_text].reshape(n, slots_per_text)
            block_probs = prob[:n * slots_per_text].reshape(n, slots_per_text)
            h, w = sample.metainfo['ori_shape'][:2]
            points, texts, scores = [], [], []
            for block, bprob in zip(blocks, block_probs):
                if not (dictionary.is_coord(int(block[0]))
                        and dictionary.is_coord(int(block[1]))):
                    self.num_invalid += 1
                    MMLogger.get_current_instance().debug(
                        'InstructOCR: dropped a decoded instance whose point '
                        f'tokens are not coordinates ({block[:2].tolist()})')
                    continue
                points.append((block[0] / dictionary.num_bins * w,
                               block[1] / dictionary.num_bins * h))
                texts.append(dictionary.decode_text(block[2:]))
                scores.append(float(bprob.mean()))
            pts = np.asarray(points, dtype=np.float32).reshape(-1, 2)
            offsets = np.array(
                [[-half, -half], [half, -half], [half, half], [-half, half]],
                dtype=np.float32)
            pred = InstanceData()
            pred.points = torch.from_numpy(pts)
            pred.scores = torch.tensor(scores, dtype=torch.float32)
            pred.texts = texts
            pred.polygons = [(p + offsets).reshape(-1) for p in pts]
            sample.pred_instances = pred
        return data_samples
