# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Tiny random E2STR models and inputs shared by the E2STR tests."""
import copy
import os.path as osp
from typing import List, Sequence

import torch
from mmengine.config import Config
from mmengine.structures import LabelData
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..', '..'))
TOY_CFG = osp.join(REPO, 'configs', 'textrecog', 'e2str',
                   'e2str_vit-tiny_opt-tiny_toy.py')
_MODEL_CFG = None


def toy_model_cfg() -> dict:
    """The ``model`` of the toy config (a fresh copy)."""
    global _MODEL_CFG
    if _MODEL_CFG is None:
        _MODEL_CFG = Config.fromfile(TOY_CFG).model
    return copy.deepcopy(_MODEL_CFG)


def build_toy(seed: int = 0, gates: float = 0.5, **overrides):
    """The toy E2STR, random, with every tanh gate set to ``gates`` (0:
    a fresh model, which ignores the image) and in eval mode."""
    from mmocr_ext import register_all_modules
    register_all_modules(init_default_scope=True)
    cfg = toy_model_cfg()
    cfg.update(overrides)
    torch.manual_seed(seed)
    model = MODELS.build(cfg)
    model.init_weights()
    set_gates(model, gates)
    return model.eval()


def set_gates(model, value: float) -> None:
    """Set every attention and feed-forward gate of the LM's blocks."""
    for layer in model.language_model.xattn_layers:
        block = layer.gated_cross_attn_layer
        block.attn_gate.data.fill_(value)
        block.ff_gate.data.fill_(value)


def samples(texts: Sequence[str]) -> List[TextRecogDataSample]:
    """Data samples with ``gt_text``."""
    out = []
    for i, text in enumerate(texts):
        s = TextRecogDataSample(metainfo=dict(img_path=f'img_{i}.png'))
        s.gt_text = LabelData(item=text)
        out.append(s)
    return out


def images(n: int, seed: int = 0) -> torch.Tensor:
    """(n, 3, 32, 128) normalised random crops."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 3, 32, 128, generator=g)
