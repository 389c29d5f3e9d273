# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""MAE ViT checkpoints -> E2STRViT: ``filter_mae_state_dict`` and
``E2STRViT(pretrained=...)``.

A tiny timm ViT stands for Union14M's MAE ViT-B/4; it is saved in MAE's
layout (``{'model': state}`` with the MAE decoder and ``mask_token``).
"""
import pytest
import torch
from timm.models.vision_transformer import VisionTransformer

from mmocr_ext.models.textrecog.e2str import E2STRViT
from mmocr_ext.models.textrecog.e2str.e2str_checkpoint import \
    filter_mae_state_dict

TINY = dict(
    img_size=(32, 128), patch_size=4, embed_dim=64, depth=2, num_heads=2)
DECODER = ('decoder_embed.weight', 'decoder_pos_embed',
           'decoder_blocks.0.norm1.weight', 'decoder_norm.weight',
           'decoder_pred.weight')


def _mae_state():
    torch.manual_seed(0)
    vit = VisionTransformer(num_classes=0, global_pool='', **TINY)
    state = dict(vit.state_dict())
    state['cls_token'] = torch.full_like(state['cls_token'], 3.)
    for key in DECODER:
        state[key] = torch.randn(4, 4)
    state['mask_token'] = torch.zeros(1, 1, 32)
    return state


def test_filter_drops_the_decoder_mask_and_cls_tokens():
    state = _mae_state()
    kept, dropped = filter_mae_state_dict(dict(model=state))
    assert sorted(dropped) == sorted(DECODER + ('mask_token', 'cls_token'))
    assert set(kept) == set(state) - set(dropped)
    assert 'pos_embed' in kept and 'blocks.1.mlp.fc2.bias' in kept
    kept, dropped = filter_mae_state_dict(state, load_cls_token=True)
    assert 'cls_token' in kept and 'cls_token' not in dropped
    for prefix in ('module.', 'encoder.', 'module.encoder.'):
        wrapped = {prefix + k: v for k, v in state.items()}
        assert filter_mae_state_dict(
            wrapped)[0].keys() == kept.keys() - {'cls_token'}


def test_e2str_vit_loads_an_mae_checkpoint(tmp_path):
    state = _mae_state()
    path = tmp_path / 'mae_vit.pth'
    torch.save(dict(model=state), path)
    vit = E2STRViT(pretrained=str(path), **TINY)
    vit.init_weights()
    ours = vit.state_dict()
    for key, value in ours.items():
        if key != 'cls_token':
            assert torch.equal(value, state[key]), key
    assert not torch.equal(ours['cls_token'], state['cls_token'])
    vit = E2STRViT(pretrained=str(path), load_cls_token=True, **TINY)
    vit.init_weights()
    assert torch.equal(vit.cls_token, state['cls_token'])
    # a bare, DDP-wrapped state works too
    torch.save({'module.' + k: v for k, v in state.items()}, path)
    E2STRViT(pretrained=str(path), **TINY).init_weights()


def test_missing_block_key_is_named(tmp_path):
    state = _mae_state()
    del state['blocks.1.mlp.fc2.weight']
    path = tmp_path / 'mae_vit.pth'
    torch.save(dict(model=state), path)
    with pytest.raises(KeyError, match='blocks.1.mlp.fc2.weight'):
        E2STRViT(pretrained=str(path), **TINY).init_weights()
