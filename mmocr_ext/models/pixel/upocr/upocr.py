# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR: one pixel-level OCR model for text removal, text segmentation
and tampered-text detection (Peng et al., ICML 2024)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmengine.structures import PixelData
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from torch import Tensor

from mmocr_ext.structures import PIXEL_TASKS
from .upocr_task_prompt import UPOCRTaskPrompt

#: Loss-key prefix of each task (the official ``textremoval_`` etc.).
TASK_PREFIXES = {
    'text_removal': 'textremoval_',
    'text_segmentation': 'textseg_',
    'tamper_detection': 'ttd_',
}
LossCfg = Optional[Union[Dict, Sequence[Dict]]]


def _build_losses(cfg: LossCfg) -> nn.ModuleList:
    if cfg is None:
        return nn.ModuleList()
    cfgs = [cfg] if isinstance(cfg, dict) else list(cfg)
    return nn.ModuleList([MODELS.build(c) for c in cfgs])


@MODELS.register_module()
class UPOCR(BaseModel):
    """UPOCR (spec §1): SwinV2 encoder -> ``proj`` + task prompt at the
    bottleneck -> SwinV2 decoder -> 3 RGB outputs at 1/4, 1/2, 1/1.

    Every forward pads the batch with zeros right/bottom to a multiple of
    ``pad_size_divisor`` and crops the outputs back (to ``ceil(H / r)`` at
    ratio r), so any input size works. Each sample's task is its data
    sample's ``task`` metainfo; a batch may mix tasks (one prompt row per
    sample). State-dict keys are the official ones (``encoder.backbone.*``,
    ``decoder.*``, ``proj.*``, ``task_prompt.task_embedding.weight``); the
    loss-only VGG is never saved.

    - ``loss``: one forward over the whole batch, then for each task present
      its losses on its rows, keys prefixed ``textremoval_``, ``textseg_``,
      ``ttd_`` (only optimised terms contain "loss"). Targets:
      ``gt_pixel.img`` (uint8, / 255 here, so the ignore value 128 stays
      exact) and, for text removal, ``gt_pixel.text_mask``.
    - ``predict``: ``pred_pixel.img`` = clamped full-resolution output
      cropped to ``img_shape`` (float, 3 x H x W); ``pred_img.img`` = that,
      bicubic-resized to ``ori_shape``, clamped, ``floor(x * 255)`` uint8;
      segmentation: ``pred_sem_seg.data`` = bilinear resize
      (align_corners=False) to ``ori_shape``, channel mean >
      ``seg_threshold``; tamper detection: channel argmax (0 background,
      1 real, 2 tampered); int64 1 x h x w.
    - ``tensor``: the 3 cropped outputs.

    Args:
        encoder (dict): ``UPOCRSwinV2Encoder`` config.
        decoder (dict): ``UPOCRSwinV2Decoder`` config.
        task_list (Sequence[str]): Task of each prompt row (the checkpoint's
            order). Defaults to :data:`PIXEL_TASKS`.
        prompt_dim (int): Prompt / ``proj`` output channels (the decoder's
            ``embed_dim``). Defaults to 768.
        loss_removal (dict or list[dict], optional): Text removal losses
            (``MultiScaleMaskedL1Loss``, ``VGGPerceptualStyleLoss``).
        loss_segmentation (dict or list[dict], optional): Text segmentation
            losses (``MultiScaleIgnoreSmoothL1Loss``).
        loss_tamper (dict or list[dict], optional): Tamper detection losses.
        data_preprocessor (dict, optional): ``ImgDataPreprocessor`` with
            mean 0, std 255, no channel swap: RGB in [0, 1].
        seg_threshold (float): Segmentation threshold. Defaults to 0.4.
        pad_size_divisor (int): Inputs are padded to its multiples.
            Defaults to 32.
        init_cfg (dict or list[dict], optional): Initialization config.
    """

    def __init__(self,
                 encoder: Dict,
                 decoder: Dict,
                 task_list: Sequence[str] = PIXEL_TASKS,
                 prompt_dim: int = 768,
                 loss_removal: LossCfg = None,
                 loss_segmentation: LossCfg = None,
                 loss_tamper: LossCfg = None,
                 data_preprocessor: Optional[Dict] = None,
                 seg_threshold: float = 0.4,
                 pad_size_divisor: int = 32,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        unknown = [t for t in task_list if t not in TASK_PREFIXES]
        if unknown:
            raise ValueError(f'unknown tasks {unknown} in task_list, choose '
                             f'from {list(TASK_PREFIXES)}')
        self.task_list = list(task_list)
        self.encoder = MODELS.build(encoder)
        self.decoder = MODELS.build(decoder)
        self.proj = nn.Linear(self.encoder.num_channels, prompt_dim)
        self.task_prompt = UPOCRTaskPrompt(self.task_list, prompt_dim)
        self.loss_removal = _build_losses(loss_removal)
        self.loss_segmentation = _build_losses(loss_segmentation)
        self.loss_tamper = _build_losses(loss_tamper)
        self.seg_threshold = seg_threshold
        self.pad_size_divisor = pad_size_divisor

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[Sequence] = None,
                mode: str = 'tensor'):
        """mmengine's entry: ``mode`` is ``'loss'``, ``'predict'`` or
        ``'tensor'``."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}": expected "loss", '
                           '"predict" or "tensor"')

    def get_tasks(self, data_samples: Optional[Sequence],
                  batch_size: int) -> List[str]:
        """Per-sample task names (the first task when there are no data
        samples, e.g. for benchmarks).

        Raises:
            ValueError: A sample without a task, or a task not in
                ``task_list``.
        """
        if data_samples is None:
            return [self.task_list[0]] * batch_size
        tasks = []
        for sample in data_samples:
            task = sample.metainfo.get('task')
            if task is None:
                raise ValueError('data sample of '
                                 f'{sample.metainfo.get("img_path")} has no '
                                 f'"task"; expected one of {self.task_list}')
            if task not in self.task_list:
                raise ValueError(f'unknown task {task!r} '
                                 f'({sample.metainfo.get("img_path")}): the '
                                 f'model\'s task_list is {self.task_list}')
            tasks.append(task)
        return tasks

    def run(self, inputs: Tensor, tasks: Sequence[str]) -> List[Tensor]:
        """Pad, encode, prompt, decode, crop.

        Args:
            inputs (Tensor): (B, 3, H, W) in [0, 1].
            tasks (Sequence[str]): B task names.

        Returns:
            list[Tensor]: (B, 3, ceil(H / r), ceil(W / r)) for r = 4, 2, 1.
        """
        H, W = inputs.shape[-2:]
        d = self.pad_size_divisor
        x = F.pad(inputs, (0, (-W) % d, 0, (-H) % d))
        skips = self.encoder(x)
        bottleneck = self.proj(skips[-1].permute(0, 2, 3, 1))
        bottleneck = bottleneck.permute(0, 3, 1, 2)
        # fp32 prompt: under autocast the sum (the decoder's residual
        # stream) stays fp32, as officially
        bottleneck = bottleneck + self.task_prompt(tasks,
                                                   bottleneck.shape[-2:])
        outs = self.decoder(bottleneck, skips)
        cropped = []
        for out in outs:
            ratio = x.shape[-2] // out.shape[-2]
            cropped.append(out[..., :-(-H // ratio), :-(-W // ratio)])
        return cropped

    def _forward(self,
                 inputs: Tensor,
                 data_samples: Optional[Sequence] = None) -> List[Tensor]:
        return self.run(inputs, self.get_tasks(data_samples, len(inputs)))

    def _task_losses(self, task: str) -> nn.ModuleList:
        return {
            'text_removal': self.loss_removal,
            'text_segmentation': self.loss_segmentation,
            'tamper_detection': self.loss_tamper
        }[task]

    def loss(self, inputs: Tensor,
             data_samples: Sequence) -> Dict[str, Tensor]:
        """Losses of every task present in the batch.

        Args:
            inputs (Tensor): (B, 3, H, W) in [0, 1].
            data_samples (Sequence[PixelOCRDataSample]): With ``task`` and
                ``gt_pixel`` (``img`` 3 x H x W uint8; ``text_mask``
                1 x H x W for text removal).

        Returns:
            dict[str, Tensor]: E.g. ``textremoval_MSR_loss``,
            ``textremoval_prc_loss``, ``textremoval_style_loss``,
            ``textseg_l1_loss`` (+ ``textseg_pos_l1``/``textseg_neg_l1``),
            ``ttd_l1_loss``.
        """
        tasks = self.get_tasks(data_samples, len(inputs))
        for sample in data_samples:
            if 'gt_pixel' not in sample or 'img' not in sample.gt_pixel:
                raise ValueError('no gt_pixel.img for '
                                 f'{sample.metainfo.get("img_path")}')
        target = torch.stack([s.gt_pixel.img for s in data_samples])
        target = target.to(inputs.device)
        # uint8 targets (the contract) / 255; float ones are taken as [0, 1]
        is_uint8 = target.dtype == torch.uint8
        target = target.float() / 255 if is_uint8 else target.float()
        H, W = target.shape[-2:]
        if H > inputs.shape[-2] or W > inputs.shape[-1]:
            raise ValueError(f'targets {tuple(target.shape[-2:])} larger '
                             f'than the inputs {tuple(inputs.shape[-2:])}')
        inputs = inputs[..., :H, :W]
        outs = self.run(inputs, tasks)
        losses: Dict[str, Tensor] = {}
        for task in self.task_list:
            rows = [i for i, t in enumerate(tasks) if t == task]
            if not rows:
                continue
            loss_modules = self._task_losses(task)
            if len(loss_modules) == 0:
                raise ValueError(f'the batch has {task!r} samples but the '
                                 'model has no loss for it')
            index = torch.tensor(rows, device=inputs.device)
            preds = [out.index_select(0, index) for out in outs]
            text_mask = None
            if task == 'text_removal':
                text_mask = self._text_mask([data_samples[i] for i in rows])
                text_mask = text_mask.to(inputs.device)
            for loss_module in loss_modules:
                terms = loss_module(preds, target.index_select(0, index),
                                    text_mask, inputs.index_select(0, index))
                for name, value in terms.items():
                    key = TASK_PREFIXES[task] + name
                    if key in losses:
                        raise ValueError(f'two losses return {key!r}')
                    losses[key] = value
        return losses

    @staticmethod
    def _text_mask(data_samples: Sequence) -> Tensor:
        """(B, 1, H, W) float text masks (1 = non-text)."""
        for sample in data_samples:
            if 'text_mask' not in sample.gt_pixel:
                raise ValueError('text removal sample '
                                 f'{sample.metainfo.get("img_path")} has no '
                                 'gt_pixel.text_mask')
        return torch.stack([s.gt_pixel.text_mask
                            for s in data_samples]).float()

    def predict(self, inputs: Tensor, data_samples: Sequence) -> Sequence:
        """Predict and fill ``pred_pixel``, ``pred_img``, ``pred_sem_seg``.

        Args:
            inputs (Tensor): (B, 3, H, W) in [0, 1] (samples smaller than
                the batch are cropped to their ``img_shape``).
            data_samples (Sequence[PixelOCRDataSample]): With ``task`` and
                optionally ``img_shape`` / ``ori_shape``.

        Returns:
            Sequence[PixelOCRDataSample]: The same samples, filled.
        """
        tasks = self.get_tasks(data_samples, len(inputs))
        out = self.run(inputs, tasks)[-1].float().clamp(0, 1)
        H, W = inputs.shape[-2:]
        for i, (sample, task) in enumerate(zip(data_samples, tasks)):
            h, w = sample.metainfo.get('img_shape', (H, W))[:2]
            h, w = min(h, H), min(w, W)
            pred = out[i, :, :h, :w]
            sample.pred_pixel = PixelData(img=pred)
            ori = tuple(sample.metainfo.get('ori_shape', (h, w))[:2])
            img = pred
            if ori != (h, w):
                img = F.interpolate(
                    pred[None], size=ori, mode='bicubic',
                    align_corners=False)[0].clamp(0, 1)
            sample.pred_img = PixelData(img=(img * 255).to(torch.uint8))
            if task == 'text_removal':
                continue
            maps = pred
            if ori != (h, w):
                maps = F.interpolate(
                    pred[None], size=ori, mode='bilinear',
                    align_corners=False)[0]
            if task == 'text_segmentation':
                seg = maps.mean(0, keepdim=True) > self.seg_threshold
            else:
                seg = maps.argmax(0, keepdim=True)
            sample.pred_sem_seg = PixelData(data=seg.long())
        return data_samples
