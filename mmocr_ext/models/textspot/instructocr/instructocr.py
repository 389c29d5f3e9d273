# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR: an instruction-conditioned sequence text spotter."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModel
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from torch import Tensor

#: The instruction of every spotting benchmark (spec B5).
ALL_TEXT = 'all text'


@MODELS.register_module()
class InstructOCR(BaseModel):
    """InstructOCR (Duan et al., AAAI 2025), an SPTS-style spotter.

    ``backbone`` (CLIP's ModifiedResNet-50, C5) -> ``encoder`` (1x1 to 512,
    sine positions, the BERT instruction and the image-text fusion, 6
    pre-norm layers) -> ``decoder`` (the autoregressive token sequence
    ``[x, y, c1 .. c25]`` per instance, greedy with a KV cache).

    The instruction of each image is, in order of precedence,
    :attr:`instruction_override` (set by ``tools/infer.py --instruction``),
    the data sample's ``metainfo['instruction']`` (written by the
    ``GenerateInstruction`` transform) and ``default_instruction``; the
    encoder wraps it in the official ``'<{}><a photo of text>'``. Any
    string works (a template, a question); only the 10 templates were
    trained.

    Images are batched with padding (the data preprocessor pads to a
    multiple of 32); the padding mask, built from each sample's
    ``img_shape``, is honoured by the encoder and the decoder's
    cross-attention.

    Args:
        backbone (dict): Image encoder config (``CLIPModifiedResNet``).
        encoder (dict): ``InstructOCREncoder`` config.
        decoder (dict): ``InstructOCRDecoder`` config.
        data_preprocessor (dict, optional): ``TextDetDataPreprocessor``
            with mean 0, std 255, RGB (the official unnormalised [0, 1]).
        default_instruction (str): Used when a sample has none. Defaults
            to ``'all text'``.
        init_cfg (dict or list[dict], optional): Initialization config.
    """

    def __init__(self,
                 backbone: Dict,
                 encoder: Dict,
                 decoder: Dict,
                 data_preprocessor: Optional[Dict] = None,
                 default_instruction: str = ALL_TEXT,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.encoder = MODELS.build(encoder)
        self.decoder = MODELS.build(decoder)
        self.default_instruction = default_instruction
        #: When set, replaces every sample's instruction at prediction.
        self.instruction_override: Optional[str] = None

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[Sequence] = None,
                mode: str = 'tensor'):
        """mmengine's entry: ``mode`` is ``'loss'``, ``'predict'`` or
        ``'tensor'`` (:meth:`_forward`)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}": expected "loss", '
                           '"predict" or "tensor"')

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """The backbone's last map (B, 2048, H/32, W/32) for RN50."""
        feats = self.backbone(inputs)
        return feats[-1] if isinstance(feats, (list, tuple)) else feats

    @staticmethod
    def padding_mask(inputs: Tensor, data_samples: Sequence) -> Tensor:
        """Bool (B, H, W), True on the padding added by batching."""
        b, _, h, w = inputs.shape
        mask = torch.ones((b, h, w), dtype=torch.bool, device=inputs.device)
        for i, sample in enumerate(data_samples):
            ih, iw = sample.metainfo.get('img_shape', (h, w))[:2]
            mask[i, :ih, :iw] = False
        return mask

    def instructions(self,
                     data_samples: Sequence,
                     for_predict: bool = False) -> List[str]:
        """The instruction of each sample (see the class docstring)."""
        if for_predict and self.instruction_override is not None:
            return [self.instruction_override] * len(data_samples)
        return [
            s.metainfo.get('instruction', self.default_instruction)
            for s in data_samples
        ]

    def encode(self,
               inputs: Tensor,
               data_samples: Sequence,
               for_predict: bool = False) -> Dict[str, Tensor]:
        """Memory, its padding mask and positions (see the encoder)."""
        feat = self.extract_feat(inputs)
        mask = self.padding_mask(inputs, data_samples)
        return self.encoder(feat, mask,
                            self.instructions(data_samples, for_predict))

    def loss(self, inputs: Tensor, data_samples: Sequence) -> Dict:
        """Teacher-forced sequence loss (``loss_seq``)."""
        return self.decoder.loss(
            self.encode(inputs, data_samples), data_samples)

    def predict(self, inputs: Tensor, data_samples: Sequence) -> Sequence:
        """Spot the text: ``pred_instances.{points,texts,scores,polygons}``.

        Points are in original-image pixels.
        """
        return self.decoder.predict(
            self.encode(inputs, data_samples, for_predict=True), data_samples)

    def _forward(
        self,
        inputs: Tensor,
        data_samples: Optional[Sequence] = None
    ) -> Union[Dict[str, Tensor], Tensor]:
        """Logits of the first decoding step (B, 1, num_classes).

        Without ``data_samples`` every image is taken as unpadded and the
        instruction is the default.
        """
        if data_samples is None:
            from mmocr.structures import TextDetDataSample
            data_samples = [TextDetDataSample() for _ in range(len(inputs))]
        out_enc = self.encode(inputs, data_samples, for_predict=True)
        sos = torch.full((len(inputs), 1),
                         self.decoder.dictionary.sos_idx,
                         dtype=torch.long,
                         device=inputs.device)
        return self.decoder(dict(out_enc, input_seq=sos))
