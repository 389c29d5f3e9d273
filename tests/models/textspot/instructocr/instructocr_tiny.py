# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The tiny random InstructOCR of the toy config, shared by the tests."""
import copy
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmengine.structures import InstanceData
from mmocr.structures import TextDetDataSample

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..', '..'))
TOY_CFG = osp.join(REPO, 'configs', 'textspot', 'instructocr',
                   'instructocr_clip-r50-tiny_toy.py')
_MODEL_CFG = None


def toy_model_cfg() -> dict:
    """The ``model`` of the toy config (a fresh copy)."""
    global _MODEL_CFG
    if _MODEL_CFG is None:
        _MODEL_CFG = Config.fromfile(TOY_CFG).model
    return copy.deepcopy(_MODEL_CFG)


def build_toy(seed: int = 0, eos_bias: float = None, constrained=False):
    """The toy InstructOCR, random, in eval mode; ``eos_bias`` is added to
    the head's EOS logit (-1e4: every image decodes all 3 instances);
    ``constrained``: slot-constrained decoding (every block is then a valid
    instance)."""
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules(init_default_scope=True)
    torch.manual_seed(seed)
    model = MODELS.build(toy_model_cfg())
    if eos_bias is not None:
        with torch.no_grad():
            model.decoder.vocab_embed.bias[
                model.decoder.dictionary.eos_idx] += eos_bias
    model.decoder.decode_cfg['constrained'] = constrained
    return model.eval()


def samples(n: int, shape=(64, 96), instruction=None, with_gt=True):
    """``n`` data samples of images of ``shape`` (one word each)."""
    out = []
    for i in range(n):
        meta = dict(img_shape=shape, ori_shape=shape, img_path=f'{i}.png')
        if instruction is not None:
            meta['instruction'] = instruction
        s = TextDetDataSample(metainfo=meta)
        if with_gt:
            gt = InstanceData()
            gt.polygons = [
                np.array([4, 4, 40, 4, 40, 20, 4, 20], np.float32) + i
            ]
            gt.texts = ['Word']
            gt.ignored = torch.tensor([False])
            s.gt_instances = gt
        out.append(s)
    return out
