# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""tools/model_converters/tcm_official_to_mmocr_ext.py on the 0.x layout.

No official checkpoint is available offline, so the tests save randomly
initialised TCMs in the official mmocr-0.4 / mmcv-1.x layout (spec B7:
``{meta, state_dict, optimizer}``, head under ``bbox_head.``) and check that
the converted weights load with zero missing/unexpected keys and reproduce
the source model's outputs exactly.
"""
import importlib.util
import os.path as osp
import sys
from collections import OrderedDict

import pytest
import torch

from mmocr.registry import MODELS
from mmocr_ext.compat import load_checkpoint_safely

from conftest import REPO, run

sys.path.insert(0, osp.join(REPO, 'tests', 'models', 'textdet', 'tcm'))
from tcm_tiny import tiny_cfg  # noqa: E402

CONVERTER = osp.join(REPO, 'tools', 'model_converters',
                     'tcm_official_to_mmocr_ext.py')


def _converter():
    spec = importlib.util.spec_from_file_location('tcm_conv', CONVERTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def to_official(state_dict, vis_gamma_shape=()):
    """Our keys -> the official 0.x keys (the inverse of the converter)."""
    out = OrderedDict()
    for key, value in state_dict.items():
        if key.startswith('det_head.'):
            key = 'bbox_head.' + key[len('det_head.'):]
        if key == 'vis_gamma':
            value = value.reshape(vis_gamma_shape)
        out[key] = value.clone()
    return out


def save_official(model, path, vis_gamma_shape=()):
    torch.save(
        dict(
            meta=dict(
                mmcv_version='1.3.17',
                epoch=640,
                CLASSES=('text', ),
                config='model = dict(type="OCRCLIP")'),
            state_dict=to_official(model.state_dict(), vis_gamma_shape),
            optimizer=dict(
                state={}, param_groups=[dict(lr=1e-4, params=[0, 1])])),
        path)


def _outputs(model, x):
    with torch.no_grad():
        feats, score = model.extract_feat(x)
        return feats, score, model(x, mode='tensor')


@pytest.mark.parametrize('fast', [False, True])
@pytest.mark.parametrize('vis_gamma_shape', [(), (1, )])
def test_convert_function_roundtrip(tmp_path, fast, vis_gamma_shape):
    torch.manual_seed(0)
    src = MODELS.build(tiny_cfg(fast=fast))
    src.init_weights()
    with torch.no_grad():  # make the gates non-trivial
        src.vis_gamma.fill_(0.3)
        src.gamma.normal_()
    src.eval()
    path = str(tmp_path / 'official.pth')
    save_official(src, path, vis_gamma_shape)
    official = load_checkpoint_safely(path)['state_dict']
    assert any(k.startswith('bbox_head.') for k in official)

    converted = _converter().convert_tcm_state_dict(official)
    torch.manual_seed(1)
    dst = MODELS.build(tiny_cfg(fast=fast)).eval()
    result = dst.load_state_dict(converted, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    x = torch.randn(2, 3, 64, 64)
    for a, b in zip(_outputs(src, x), _outputs(dst, x)):
        assert torch.equal(a, b)


def test_converter_cli_checks_against_config(tmp_path, monkeypatch, capsys):
    torch.manual_seed(0)
    src = MODELS.build(tiny_cfg()).eval()
    src_path = str(tmp_path / 'best_0_icdar2015_test_hmean-iou.pth')
    save_official(src, src_path, (1, ))
    cfg_path = tmp_path / 'tiny_tcm.py'
    cfg_path.write_text(f'model = {tiny_cfg()!r}\n')
    dst_path = str(tmp_path / 'converted.pth')
    proc = run([
        sys.executable, CONVERTER, src_path, dst_path, '--config',
        str(cfg_path)
    ])
    assert '0 missing / 0 unexpected keys' in proc.stdout
    ckpt = load_checkpoint_safely(dst_path)
    assert ckpt['meta']['source_epoch'] == 640
    assert not any(k.startswith('bbox_head.') for k in ckpt['state_dict'])
    dst = MODELS.build(tiny_cfg()).eval()
    dst.load_state_dict(ckpt['state_dict'], strict=True)
    x = torch.randn(1, 3, 64, 64)
    for a, b in zip(_outputs(src, x), _outputs(dst, x)):
        assert torch.equal(a, b)

    # A checkpoint that does not fit the config fails loudly (in-process).
    bad = load_checkpoint_safely(src_path)
    bad['state_dict'].pop('contexts')
    bad['state_dict']['extra.weight'] = torch.zeros(1)
    torch.save(bad, src_path)
    monkeypatch.setattr(sys, 'argv', [
        CONVERTER, src_path, dst_path + '.bad', '--config', str(cfg_path)
    ])
    assert _converter().main() == 1
    err = capsys.readouterr().err
    assert "missing keys: ['contexts']" in err
    assert "unexpected keys: ['extra.weight']" in err
    assert not osp.exists(dst_path + '.bad')


def test_full_size_official_key_layout():
    """Spec B7: the official TCM checkpoint's top-level key groups."""
    from mmengine.config import Config
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'textdet', 'tcm',
                 'tcm_clip-r50_fpnc_1200e_icdar2015.py'))
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
    official = to_official(model.state_dict())
    groups = {k.split('.')[0] for k in official}
    assert groups == {
        'backbone', 'text_encoder', 'context_decoder',
        'visual_prompt_generator', 'prompt_generator', 'contexts', 'gamma',
        'vis_gamma', 'neck', 'bbox_head'
    }
    head = {'.'.join(k.split('.')[1:3]) for k in official
            if k.startswith('bbox_head.')}
    assert head == {f'{b}.{i}' for b in ('binarize', 'threshold')
                    for i in (0, 1, 3, 4, 6)}
    assert {k.split('.')[2] for k in official
            if k.startswith('prompt_generator.')} == {'0', '1', '3', '4'}
    assert official['neck.lateral_convs.3.conv.weight'].shape == (256, 2049,
                                                                  1, 1)
    assert official['backbone.attnpool.positional_embedding'].shape == (401,
                                                                        2048)
    assert official['text_encoder.positional_embedding'].shape == (18, 512)
