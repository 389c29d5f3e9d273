# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The SwinV2-S UPOCR of the model base config has the official parameter
counts and exactly the official state-dict keys.

SOURCE: spec-upocr.md §14 (counted by running the official code): encoder
48,960,762; decoder 58,603,743; ``proj`` 590,592; ``task_prompt`` 2,304;
total 108,157,401; loss-only VGG-16 1,735,488. Keys: spec §7.3 (minus
``vgg16.*``). Built on the meta device (no memory, no init cost).
"""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmocr.registry import MODELS

REPO = osp.abspath(osp.join(osp.dirname(__file__), *['..'] * 4))
BASE_CFG = osp.join(REPO, 'configs', 'pixel', 'upocr',
                    '_base_upocr_swinv2-s.py')

BLOCK_KEYS = [
    'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
    'attn.logit_scale', 'attn.q_bias', 'attn.v_bias', 'attn.qkv.weight',
    'attn.proj.weight', 'attn.proj.bias', 'attn.cpb_mlp.0.weight',
    'attn.cpb_mlp.0.bias', 'attn.cpb_mlp.2.weight',
    'attn.relative_coords_table', 'attn.relative_position_index',
    'mlp.fc1.weight', 'mlp.fc1.bias', 'mlp.fc2.weight', 'mlp.fc2.bias'
]
WB = ('weight', 'bias')


def official_keys():
    """Spec §7.3's key families for the official configuration."""
    keys = [
        f'encoder.backbone.patch_embed.{m}.{p}' for m in ('proj', 'norm')
        for p in WB
    ]
    for i, depth in enumerate((2, 2, 18, 2)):
        pre = f'encoder.backbone.layers.{i}'
        keys += [
            f'{pre}.blocks.{j}.{k}' for j in range(depth) for k in BLOCK_KEYS
        ]
        if i < 3:
            keys += [f'{pre}.downsample.reduction.weight'
                     ] + [f'{pre}.downsample.norm.{p}' for p in WB]
        keys += [f'encoder.backbone.norm{i}.{p}' for p in WB]
    for i, depth in enumerate((2, 18, 2, 2, 2)):
        pre = f'decoder.layers.{i}'
        keys += [
            f'{pre}.blocks.{j}.{k}' for j in range(depth) for k in BLOCK_KEYS
        ]
        keys += [f'{pre}.upsample.upsample.weight'
                 ] + [f'{pre}.upsample.norm.{p}' for p in WB]
    keys += [
        f'decoder.lateral_connection_list.{i}.{j}.{p}' for i in range(3)
        for j in range(4) for p in WB
    ]
    keys += [f'decoder.intermediate_convs.{i}.{p}' for i in (0, 1) for p in WB]
    keys += [f'decoder.output_conv.{p}' for p in WB]
    keys += [f'decoder.norm{i}.{p}' for i in (2, 3, 4) for p in WB]
    keys += [f'proj.{p}' for p in WB] + ['task_prompt.task_embedding.weight']
    return keys


@pytest.fixture(scope='module')
def model():
    cfg = Config.fromfile(BASE_CFG).model
    with torch.device('meta'):
        return MODELS.build(cfg)


def _count(module):
    return sum(p.numel() for p in module.parameters())


def test_official_parameter_counts(model):
    assert _count(model.encoder) == 48_960_762
    assert _count(model.decoder) == 58_603_743
    assert _count(model.proj) == 768 * 768 + 768 == 590_592
    assert _count(model.task_prompt) == 3 * 768 == 2_304
    assert _count(model) == 108_157_401
    assert model.task_list == [
        'text_removal', 'tamper_detection', 'text_segmentation'
    ]


def test_vgg_is_counted_apart_and_not_saved(model):
    vgg_loss = model.loss_removal[1]
    assert _count(vgg_loss.vgg) == 1_735_488
    assert vgg_loss.vgg_pretrained.endswith('vgg16-397923af.pth')
    assert not any('vgg' in k for k in model.state_dict())


def test_state_dict_keys_are_the_official_ones(model):
    state = model.state_dict()
    expected = official_keys()
    assert len(expected) == len(set(expected))
    assert sorted(state) == sorted(expected)
    enc = 'encoder.backbone.layers.3.blocks.1.attn.'
    dec = 'decoder.layers.4.'
    assert state[enc + 'relative_coords_table'].shape == (1, 31, 31, 2)
    assert state[enc + 'relative_position_index'].shape == (256, 256)
    assert state[dec + 'blocks.1.attn.relative_coords_table'].shape == (1, 15,
                                                                        15, 2)
    assert state[dec + 'upsample.upsample.weight'].shape == (24, 12)
    assert state['decoder.output_conv.weight'].shape == (3, 24, 3, 3)
    assert state['decoder.lateral_connection_list.0.1.weight'].shape == (768,
                                                                         384,
                                                                         3, 3)
