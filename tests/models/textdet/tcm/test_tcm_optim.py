# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""lr multipliers of the TCM configs and the registered Ranger optimizer."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmocr.registry import MODELS
from mmocr.utils import register_all_modules

from conftest import REPO
from tcm_tiny import preprocessed_batch, tiny_cfg

CFG_DIR = osp.join(REPO, 'configs', 'textdet', 'tcm')


def _step(config_name):
    register_all_modules()
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg())
    model.train()
    cfg = Config.fromfile(osp.join(CFG_DIR, config_name))
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    before = {k: v.detach().clone() for k, v in model.named_parameters()}
    data = preprocessed_batch(model)
    losses = model(**data, mode='loss')
    wrapper.update_params(sum(losses.values()))
    return model, wrapper, before


def _groups(model, wrapper):
    names = {id(p): n for n, p in model.named_parameters()}
    return {
        names[id(p)]: g
        for g in wrapper.optimizer.param_groups
        for p in g['params']
    }


@pytest.mark.parametrize('name,optim,lr,wd', [
    ('tcm_clip-r50_fpnc_1200e_icdar2015.py', 'Adam', 1e-4, 1e-4),
    ('tcm_clip-r50_fpnc_1200e_msra-td500.py', 'Ranger', 1e-3, 0.0),
])
def test_lr_multipliers_and_frozen_text_encoder(name, optim, lr, wd):
    model, wrapper, before = _step(name)
    assert type(wrapper.optimizer).__name__ == optim
    groups = _groups(model, wrapper)
    for pname, group in groups.items():
        if pname.startswith('text_encoder.'):
            assert group['lr'] == 0.0, pname
        elif pname.startswith('backbone.'):
            assert group['lr'] == pytest.approx(0.1 * lr), pname
        else:
            assert group['lr'] == pytest.approx(lr), pname
        if '.norm' in pname:  # decoder LayerNorms norm1..3
            assert group['weight_decay'] == 0.0, pname
    assert groups['context_decoder.decoder.0.norm1.weight'][
        'weight_decay'] == 0.0
    assert groups['backbone.bn1.weight']['weight_decay'] == wd  # no 'norm'
    # One step: the text encoder does not move, everything trainable does.
    for pname, param in model.named_parameters():
        moved = not torch.equal(param.detach(), before[pname])
        if pname.startswith('text_encoder.'):
            assert not moved, pname
    for pname in ('contexts', 'prompt_generator.prompt_proj.1.weight',
                  'backbone.conv1.weight', 'det_head.binarize.0.weight'):
        assert not torch.equal(
            dict(model.named_parameters())[pname].detach(),
            before[pname]), pname


def test_ranger_is_pytorch_optimizer_ranger_with_gc():
    from pytorch_optimizer import Ranger
    _, wrapper, _ = _step('tcm_clip-r50_fpnc_20e_synthtext-real3.py')
    opt = wrapper.optimizer
    assert isinstance(opt, Ranger)
    group = opt.param_groups[0]
    assert group['betas'] == (0.95, 0.999) and group['eps'] == 1e-5
    assert group['alpha'] == 0.5 and group['k'] == 6
    assert opt.n_sma_threshold == 5 and opt.degenerated_to_sgd
    # Centralization on every weight with >1 dim (conv and fc), not conv only.
    assert opt.use_gc and opt.gc_gradient_threshold == 1
