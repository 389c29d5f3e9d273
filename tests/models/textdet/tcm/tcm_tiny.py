# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Tiny TCM/FastTCM configs and samples shared by the TCM tests."""
import copy
from typing import List

import numpy as np
import torch
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample
from mmocr.utils import register_all_modules

# Build under mmocr's scope, as the Runner does with default_scope='mmocr'.
register_all_modules(init_default_scope=True)

PROMPT = 'the pixels of many arbitrary-shape text instances.'
#: The TCM prompt in CLIP BPE ids, SOT and EOT included (14 tokens).
PROMPT_IDS = [
    49406, 518, 34099, 539, 1346, 22702, 856, 268, 6448, 4160, 1264, 3515, 269,
    49407
]

# C2..C5 = 32, 64, 128, 256 channels; attnpool 256 -> 64; text width 32.
TINY_TCM = dict(
    type='TCM',
    backbone=dict(
        type='CLIPResNetWithAttention',
        layers=(1, 1, 1, 1),
        width=8,
        output_dim=64,
        heads=2,
        input_resolution=64),
    text_encoder=dict(
        type='CLIPTextContextEncoder',
        context_length=18,
        transformer_width=32,
        transformer_heads=2,
        transformer_layers=1,
        embed_dim=64),
    visual_prompt_generator=dict(
        type='TCMContextDecoder',
        transformer_width=16,
        transformer_heads=2,
        transformer_layers=1,
        visual_dim=64),
    context_decoder=dict(
        type='TCMContextDecoder',
        transformer_width=16,
        transformer_heads=2,
        transformer_layers=2,
        visual_dim=64),
    prompt_generator=dict(
        type='TCMPromptGenerator', visual_dim=64, text_dim=32),
    class_names=[PROMPT],
    num_learnable_tokens=4,
    neck=dict(
        type='FPNC',
        in_channels=[32, 64, 128, 257],
        lateral_channels=32,
        out_channels=8),
    det_head=dict(
        type='DBHead',
        in_channels=32,
        module_loss=dict(type='TCMModuleLoss'),
        postprocessor=dict(type='DBPostprocessor', text_repr_type='quad')),
    data_preprocessor=dict(
        type='TextDetDataPreprocessor',
        mean=[122.67891434, 116.66876762, 104.00698793],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=32))


def tiny_cfg(fast: bool = False, **kwargs) -> dict:
    """A deep copy of the tiny TCM (or FastTCM) config, updated."""
    cfg = copy.deepcopy(TINY_TCM)
    if fast:
        cfg['type'] = 'FastTCM'
    cfg.update(kwargs)
    return cfg


def text_samples(size: int = 64, num: int = 2) -> List[TextDetDataSample]:
    """``num`` samples of ``size`` x ``size`` with two boxes each."""
    samples = []
    for i in range(num):
        s = TextDetDataSample(
            metainfo=dict(
                img_shape=(size, size),
                ori_shape=(size, size),
                scale_factor=(1.0, 1.0),
                pad_shape=(size, size),
                batch_input_shape=(size, size)))
        off = 4 * i
        polys = [
            np.array([6 + off, 8, 40 + off, 8, 40 + off, 24, 6 + off, 24],
                     dtype=np.float32),
            np.array([10, 36, 56, 36, 56, 56, 10, 56], dtype=np.float32)
        ]
        s.gt_instances = InstanceData(
            polygons=polys,
            ignored=torch.tensor([False, False]),
            labels=torch.zeros(2, dtype=torch.long),
            bboxes=torch.tensor([[6. + off, 8, 40 + off, 24],
                                 [10., 36, 56, 56]]))
        samples.append(s)
    return samples


def preprocessed_batch(model, num: int = 2, training: bool = True) -> dict:
    """Random 64 x 64 uint8 images with :func:`text_samples`, through the
    model's data preprocessor: keyword arguments for ``model(...)``."""
    return model.data_preprocessor(
        dict(
            inputs=[
                torch.randint(0, 255, (3, 64, 64), dtype=torch.uint8)
                for _ in range(num)
            ],
            data_samples=text_samples(num=num)), training)
