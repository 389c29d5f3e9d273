# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR's sequence targets (with noise instances) and loss."""
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.logging import MMLogger
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor

from mmocr_ext.datasets.instructions import valid_mask


def instance_center(polygon: np.ndarray) -> np.ndarray:
    """The point an instance is spotted at.

    A quadrilateral (clockwise from the top-left corner) gives the mean of
    the midpoints of its first (p1p2) and third (p3p4) edges, the official
    rule; a longer polygon gives the centre of its minimum-area rectangle
    (the official conversion of curved text to a quadrilateral, whose
    rule above then gives that centre).

    Args:
        polygon (np.ndarray): (2k,) or (k, 2) coordinates, k >= 3.

    Returns:
        np.ndarray: (2,) the point (x, y).
    """
    pts = np.asarray(polygon, dtype=np.float32).reshape(-1, 2)
    if len(pts) == 4:
        return ((pts[0] + pts[1]) / 2 + (pts[2] + pts[3]) / 2) / 2
    (cx, cy), _, _ = cv2.minAreaRect(pts)
    return np.array([cx, cy], dtype=np.float32)


@MODELS.register_module()
class InstructOCRModuleLoss(BaseModule):
    """Targets and weighted cross-entropy of InstructOCR (spec B4).

    Per image, after the instruction has filtered the instances:

    1. ignored and ``###`` instances and degenerate polygons (fewer than 3
       points, non-finite) are left out (the latter counted in
       :attr:`num_degenerate` and logged);
    2. at most ``max_num_text`` instances are kept (chosen at random), each
       becomes ``[x, y, c1 .. c25]`` (its :func:`instance_center` relative
       to the network input size, times ``num_bins``, floored and clamped;
       characters padded with the end-of-word index), in random order;
    3. ``max_num_text - n`` noise instances follow (Pix2Seq): random
       coordinates in ``[0, num_bins - 2]`` and a random word of 0..25
       random characters; their targets are "ignore" on the first 25
       positions, then the noise class, then EOS;
    4. input ``= [SOS] + real + noise``, target ``= real + [EOS] + noise
       targets``, both ``(2 + 25) * max_num_text + 1`` long for every
       image (empty images included).

    The loss is one ``CrossEntropyLoss`` with weight 1 except ``eos_weight``
    and ``noise_weight`` (0.01) on EOS and noise, ignoring the sequence
    padding index; reported as ``loss_seq``.

    Args:
        eos_weight (float): Class weight of EOS. Defaults to 0.01.
        noise_weight (float): Class weight of the noise class. Defaults to
            0.01.
        loss_weight (float): Multiplier of the loss. Defaults to 1.
        with_noise (bool): Append the noise instances. Defaults to True.
    """

    def __init__(self,
                 eos_weight: float = 0.01,
                 noise_weight: float = 0.01,
                 loss_weight: float = 1.0,
                 with_noise: bool = True) -> None:
        super().__init__()
        self.eos_weight = eos_weight
        self.noise_weight = noise_weight
        self.loss_weight = loss_weight
        self.with_noise = with_noise
        #: Instances left out because their polygon is degenerate.
        self.num_degenerate = 0

    def _instances(self, data_sample) -> Tuple[List[np.ndarray], List[str]]:
        gt = data_sample.gt_instances
        polygons = gt.get('polygons', [])
        texts = gt.get('texts', [''] * len(polygons))
        valid = valid_mask(texts, gt.get('ignored', None))
        keep_polys, keep_texts = [], []
        for poly, text, ok in zip(polygons, texts, valid):
            if not ok:
                continue
            pts = np.asarray(poly, dtype=np.float64).reshape(-1)
            if pts.size < 6 or pts.size % 2 or not np.isfinite(pts).all():
                self.num_degenerate += 1
                MMLogger.get_current_instance().warning(
                    'InstructOCR: skipped a degenerate polygon '
                    f'({pts.size} values) in '
                    f"{data_sample.metainfo.get('img_path', '?')} "
                    f'({self.num_degenerate} so far)')
                continue
            keep_polys.append(pts)
            keep_texts.append(text)
        return keep_polys, keep_texts

    def get_targets(self, data_samples: Sequence, dictionary,
                    max_num_text: int, max_text_len: int,
                    device) -> Tuple[Tensor, Tensor]:
        """Input and target sequences of a batch.

        Args:
            data_samples (list[TextDetDataSample]): With ``gt_instances``
                (``polygons``, ``texts``, optional ``ignored``) and
                ``img_shape`` (the network input size, before padding).
            dictionary (InstructOCRDictionary): The vocabulary.
            max_num_text (int): Instances per sequence (60).
            max_text_len (int): Character slots per instance (25).
            device: Device of the returned tensors.

        Returns:
            tuple[Tensor, Tensor]: Inputs and targets, (B, L) long each,
            ``L = (2 + max_text_len) * max_num_text + 1``.
        """
        d, bins = dictionary, dictionary.num_bins
        slots = 2 + max_text_len
        inputs, targets = [], []
        for sample in data_samples:
            polys, texts = self._instances(sample)
            h, w = sample.metainfo['img_shape'][:2]
            order = np.random.permutation(len(polys))[:max_num_text]
            real = []
            for i in order:
                cx, cy = instance_center(polys[i])
                x = int(np.clip(np.floor(cx / w * bins), 0, bins - 1))
                y = int(np.clip(np.floor(cy / h * bins), 0, bins - 1))
                real += [x, y] + d.encode_text(texts[i], max_text_len)
            n_noise = max_num_text - len(order)
            noise_in, noise_tgt = [], []
            for _ in range(n_noise if self.with_noise else 0):
                xy = np.random.randint(0, bins - 1, size=2).tolist()
                length = np.random.randint(0, max_text_len + 1)
                chars = (
                    d.char_start_idx +
                    np.random.randint(0, d.num_chars, size=length))
                noise_in += xy + chars.tolist() + [d.rec_pad_idx] * (
                    max_text_len - length)
                noise_tgt += [d.seq_pad_idx] * (slots - 2) + [
                    d.noise_idx, d.eos_idx
                ]
            seq_in = [d.sos_idx] + real + noise_in
            seq_tgt = real + [d.eos_idx] + noise_tgt
            pad = slots * max_num_text + 1 - len(seq_in)
            inputs.append(seq_in + [d.seq_pad_idx] * pad)
            targets.append(seq_tgt + [d.seq_pad_idx] * pad)
        return (torch.tensor(inputs, dtype=torch.long, device=device),
                torch.tensor(targets, dtype=torch.long, device=device))

    def forward(self, logits: Tensor, targets: Tensor,
                dictionary) -> Dict[str, Tensor]:
        """Weighted cross-entropy.

        Args:
            logits (Tensor): (B, L, num_classes).
            targets (Tensor): (B, L) class indices.
            dictionary (InstructOCRDictionary): The vocabulary (EOS, noise
                and padding indices).

        Returns:
            dict: ``loss_seq``.
        """
        num_classes = logits.shape[-1]
        weight = logits.new_ones(num_classes)
        weight[dictionary.eos_idx] = self.eos_weight
        weight[dictionary.noise_idx] = self.noise_weight
        loss = F.cross_entropy(
            logits.reshape(-1, num_classes).float(),
            targets.reshape(-1),
            weight=weight.float(),
            ignore_index=dictionary.seq_pad_idx)
        return dict(loss_seq=loss * self.loss_weight)


__all__ = ['InstructOCRModuleLoss', 'instance_center']
