# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Tiny I3CL models and inputs shared by the I3CL tests."""
import copy
import os.path as osp

import numpy as np
import torch
from mmdet.structures import DetDataSample
from mmdet.structures.mask import BitmapMasks
from mmengine.config import Config
from mmengine.structures import InstanceData
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..', '..'))
TOY_CFG = osp.join(REPO, 'configs', 'textdet', 'i3cl',
                   'i3cl_resnet50-slim_fpn_toy.py')
_MODEL_CFG = None


def toy_model_cfg() -> dict:
    """The ``model`` of the toy config (slim I3CL-R50 in I3CLWrapper)."""
    global _MODEL_CFG
    if _MODEL_CFG is None:
        _MODEL_CFG = Config.fromfile(TOY_CFG).model
    return copy.deepcopy(_MODEL_CFG)


def build_toy(seed: int = 0,
              intracl_on: bool = True,
              intercl_on: bool = True) -> torch.nn.Module:
    """The toy I3CLWrapper with a fixed random init (additions on/off)."""
    cfg = toy_model_cfg()
    cfg.cfg.intracl_on = intracl_on
    cfg.cfg.roi_head.intercl_on = intercl_on
    torch.manual_seed(seed)
    return MODELS.build(cfg)


def images(num: int, size=(128, 160), seed: int = 0) -> torch.Tensor:
    """``num`` random uint8-range images (num, 3, H, W) as float."""
    gen = torch.Generator().manual_seed(seed)
    return torch.randint(0, 256, (num, 3, *size), generator=gen).float()


def ocr_samples(num: int, size=(128, 160)) -> list:
    """mmocr data samples with the meta a test-time batch carries."""
    meta = dict(
        img_shape=size,
        ori_shape=size,
        pad_shape=size,
        batch_input_shape=size,
        scale_factor=(1.0, 1.0))
    return [TextDetDataSample(metainfo=dict(meta)) for _ in range(num)]


def det_sample(boxes,
               size=(128, 160),
               loss_weights=None,
               ignored=()) -> DetDataSample:
    """A training sample with box-shaped masks (and optional SSL weights
    and ignored boxes)."""
    boxes = torch.as_tensor(boxes, dtype=torch.float32).reshape(-1, 4)
    masks = np.zeros((len(boxes), *size), np.uint8)
    for m, (x1, y1, x2, y2) in zip(masks, boxes.int().tolist()):
        m[y1:y2, x1:x2] = 1
    gt = InstanceData(
        bboxes=boxes,
        labels=torch.zeros(len(boxes), dtype=torch.long),
        masks=BitmapMasks(masks, *size))
    if loss_weights is not None:
        gt.loss_weights = torch.as_tensor(loss_weights, dtype=torch.float32)
    sample = DetDataSample(
        metainfo=dict(
            img_shape=size,
            ori_shape=size,
            pad_shape=size,
            batch_input_shape=size,
            scale_factor=(1.0, 1.0)))
    sample.gt_instances = gt
    ignored = torch.as_tensor(ignored, dtype=torch.float32).reshape(-1, 4)
    sample.ignored_instances = InstanceData(
        bboxes=ignored, labels=torch.zeros(len(ignored), dtype=torch.long))
    return sample
