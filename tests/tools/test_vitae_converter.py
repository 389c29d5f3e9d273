# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Official ViTAEv2 ImageNet checkpoints -> ours:
``vitae_checkpoint_filter_fn`` and
``tools/model_converters/vitae_to_mmocr_ext.py``.

No official checkpoint is available offline, so the tests save randomly
initialised (tiny) backbones in the official ImageNet layouts (timm's
``{'model' | 'state_dict' | 'state_dict_ema': ...}``, ``module.`` /
``encoder.`` prefixes, classifier ``head.*`` and final ``norm.*``) and check
that the converted weights load strictly and reproduce the outputs.
"""
import importlib.util
import json
import os.path as osp

import pytest
import torch
from mmdet.models.backbones import ResNet

from mmocr_ext.compat import load_checkpoint_safely
from mmocr_ext.models.textdet.i3cl.vitae_checkpoint import (
    resize_bias_table, vitae_checkpoint_filter_fn)
from mmocr_ext.models.textdet.i3cl.vitae_v2 import ViTAEv2WindowNoShift
from conftest import REPO, run

CONVERTER = osp.join(REPO, 'tools', 'model_converters',
                     'vitae_to_mmocr_ext.py')
TINY = dict(
    token_dims=(16, 16, 32, 32),
    embed_dims=(8, 8, 16, 16),
    dilations=((1, 2), (1, 2), (1, 2), (1, 2)),
    rc_heads=(1, 1, 2, 2),
    nc_heads=(1, 2, 2, 4),
    rc_groups=(1, 4, 4, 8),
    nc_groups=(1, 4, 8, 8),
    nc_depths=(1, 1, 1, 1))
CLASSIFIER = ['head.bias', 'head.weight', 'norm.bias', 'norm.weight']


def _converter():
    spec = importlib.util.spec_from_file_location('vitae_conv', CONVERTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def random_backbone(seed=0, **overrides):
    """A tiny backbone with random weights and BN statistics."""
    torch.manual_seed(seed)
    model = ViTAEv2WindowNoShift(**{**TINY, **overrides})
    with torch.no_grad():
        for name, tensor in model.state_dict().items():
            if tensor.is_floating_point():
                if 'running_var' in name:
                    tensor.copy_(torch.rand_like(tensor) * 0.2 + 0.9)
                else:
                    tensor.copy_(torch.randn_like(tensor) * 0.1)
    return model.eval()


def official(model, entry='model', prefix='module.'):
    """The model in an official ImageNet checkpoint layout."""
    state = {prefix + k: v.clone() for k, v in model.state_dict().items()}
    state.update({
        prefix + 'head.weight': torch.randn(1000, 32),
        prefix + 'head.bias': torch.zeros(1000),
        prefix + 'norm.weight': torch.ones(32),
        prefix + 'norm.bias': torch.zeros(32)
    })
    if entry is None:
        return state
    return {entry: state, 'epoch': 300}


def outputs(model, x):
    with torch.no_grad():
        return model(x)


@pytest.mark.parametrize('entry,prefix', [('model', 'module.'),
                                          ('state_dict_ema', ''),
                                          ('state_dict', 'encoder.'),
                                          (None, 'module.encoder.')])
def test_filter_roundtrip(tmp_path, entry, prefix):
    src = random_backbone()
    path = str(tmp_path / 'model_best.pth.tar')
    torch.save(official(src, entry, prefix), path)
    ckpt = load_checkpoint_safely(path, map_location='cpu')
    target = ViTAEv2WindowNoShift(**TINY).eval()
    state_dict, report = vitae_checkpoint_filter_fn(ckpt, target)
    result = target.load_state_dict(state_dict, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    assert report['dropped'] == CLASSIFIER
    assert report['source'] == (entry or '<raw>')
    assert report['resized'] == [] and report['filled'] == []
    x = torch.randn(2, 3, 64, 72)
    for a, b in zip(outputs(src, x), outputs(target, x)):
        assert torch.equal(a, b)


def test_ema_weights_take_precedence():
    ema, plain = random_backbone(seed=1), random_backbone(seed=2)
    ckpt = {**official(plain, 'model'), **official(ema, 'state_dict_ema')}
    target = ViTAEv2WindowNoShift(**TINY).eval()
    state_dict, report = vitae_checkpoint_filter_fn(ckpt, target)
    assert report['source'] == 'state_dict_ema'
    for key, value in ema.state_dict().items():
        assert torch.equal(state_dict[key], value)


def test_window_size_resize_and_prefix():
    src = random_backbone(window_size=5)  # 9x9 tables -> 13x13
    target = ViTAEv2WindowNoShift(**TINY).eval()
    state_dict, report = vitae_checkpoint_filter_fn(
        official(src), target, prefix='backbone.')
    assert all(k.startswith('backbone.') for k in state_dict)
    stripped = {k[len('backbone.'):]: v for k, v in state_dict.items()}
    result = target.load_state_dict(stripped, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    tables = [k for k in target.state_dict() if k.endswith('bias_table')]
    assert len(report['resized']) == len(tables) == 4
    assert all('(81, ' in r and '(169, ' in r for r in report['resized'])
    assert sorted(report['filled']) == sorted(
        k.replace('bias_table', 'index') for k in tables)
    key = tables[0]
    torch.testing.assert_close(stripped[key],
                               resize_bias_table(src.state_dict()[key], 169))
    assert torch.equal(stripped[key.replace('bias_table', 'index')],
                       target.state_dict()[key.replace('bias_table', 'index')])
    # bicubic resizing keeps a constant table constant
    torch.testing.assert_close(
        resize_bias_table(torch.full((81, 2), 0.5), 169),
        torch.full((169, 2), 0.5))


def test_wrong_architecture_is_a_clear_error():
    resnet = {'state_dict': ResNet(depth=18).state_dict()}
    with pytest.raises(ValueError) as err:
        vitae_checkpoint_filter_fn(resnet, ViTAEv2WindowNoShift(**TINY))
    msg = str(err.value)
    assert 'not a checkpoint of this ViTAEv2 backbone' in msg
    assert 'layers.0.RC.PRM.convs.0.0.weight' in msg  # a missing key
    assert 'conv1.weight' in msg  # an offending key
    # right names, other widths: the shapes are named
    with pytest.raises(ValueError, match='another shape.*layers.0.RC'):
        vitae_checkpoint_filter_fn(
            official(random_backbone()),
            ViTAEv2WindowNoShift(**{
                **TINY, 'embed_dims': (4, 8, 16, 16)
            }))


def test_cli(tmp_path, capsys):
    src = str(tmp_path / 'model_best.pth.tar')
    dst = str(tmp_path / 'out' / 'vitae_s.pth')
    model = random_backbone()
    torch.save(official(model), src)
    argv = [
        src, dst, '--prefix', 'backbone.', '--backbone-cfg',
        json.dumps(TINY)
    ]
    assert _converter().main(argv) == 0
    printed = capsys.readouterr().out
    assert all(f'dropped: {k}' in printed for k in CLASSIFIER)
    ckpt = load_checkpoint_safely(dst, map_location='cpu')
    assert set(ckpt) == {'state_dict', 'meta'}
    assert ckpt['meta']['dropped_keys'] == CLASSIFIER
    assert len(list((tmp_path / 'out').iterdir())) == 1  # no temp file
    target = ViTAEv2WindowNoShift(**TINY).eval()
    state_dict = {k[9:]: v for k, v in ckpt['state_dict'].items()}
    target.load_state_dict(state_dict, strict=True)
    x = torch.randn(1, 3, 32, 32)
    for a, b in zip(outputs(model, x), outputs(target, x)):
        assert torch.equal(a, b)


def test_cli_wrong_architecture_exits_2(tmp_path):
    src = str(tmp_path / 'resnet.pth')
    dst = str(tmp_path / 'out.pth')
    torch.save({'state_dict': ResNet(depth=18).state_dict()}, src)
    proc = run(['python', CONVERTER, src, dst], check=False, timeout=300)
    assert proc.returncode == 2, proc.stdout[-3000:]
    assert 'not a checkpoint of this ViTAEv2 backbone' in proc.stdout
    assert 'Traceback' not in proc.stdout
    assert not osp.exists(dst)
