# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Official TCM / FastTCM checkpoints -> ours: ``checkpoint_filter_fn`` and
``tools/model_converters/tcm_official_to_mmocr_ext.py``.

No official checkpoint is available offline, so the tests save randomly
initialised TCMs and FastTCMs in the official mmocr-0.4 / mmcv-1.x layout
(``{meta, state_dict, optimizer}``, head under ``bbox_head.``, FastTCM's
projection as ``pix_w``; docs/tcm.md, "Converting weights") and check that
the converted weights load with zero missing/unexpected keys and reproduce
the source model's outputs exactly.
"""
import importlib.util
import os.path as osp
import sys
from collections import OrderedDict

import pytest
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from mmocr_ext.compat import load_checkpoint_safely
from mmocr_ext.models.textdet.tcm import checkpoint_filter_fn
from conftest import REPO, run

sys.path.insert(0, osp.join(REPO, 'tests', 'models', 'textdet', 'tcm'))
from tcm_tiny import tiny_cfg  # noqa: E402

CONVERTER = osp.join(REPO, 'tools', 'model_converters',
                     'tcm_official_to_mmocr_ext.py')
IC15_CFG = osp.join(REPO, 'configs', 'textdet', 'tcm',
                    'tcm_clip-r50_fpnc_1200e_icdar2015.py')


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
        if key == 'bsm_proj':
            key = 'pix_w'
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
                state={}, param_groups=[dict(lr=1e-4, params=[0, 1])])), path)


def _outputs(model, x):
    with torch.no_grad():
        feats, score = model.extract_feat(x)
        return feats, score, model(x, mode='tensor')


def _random_model(fast, seed=0):
    """A tiny TCM/FastTCM with non-trivial gates (and BSM projection)."""
    torch.manual_seed(seed)
    model = MODELS.build(tiny_cfg(fast=fast))
    model.init_weights()
    with torch.no_grad():
        model.vis_gamma.fill_(0.3)
        model.gamma.normal_()
        if fast:  # initialised to ones: make it a real projection
            model.bsm_proj.normal_()
    return model.eval()


@pytest.mark.parametrize('fast', [False, True])
@pytest.mark.parametrize('vis_gamma_shape', [(), (1, )])
def test_convert_function_roundtrip(tmp_path, fast, vis_gamma_shape):
    src = _random_model(fast)
    path = str(tmp_path / 'official.pth')
    save_official(src, path, vis_gamma_shape)
    official = load_checkpoint_safely(path)['state_dict']
    assert any(k.startswith('bbox_head.') for k in official)
    assert ('pix_w' in official) == fast
    assert 'bsm_proj' not in official

    converted = checkpoint_filter_fn(official)
    assert 'pix_w' not in converted
    torch.manual_seed(1)
    dst = MODELS.build(tiny_cfg(fast=fast)).eval()
    result = dst.load_state_dict(converted, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    if fast:
        assert torch.equal(dst.bsm_proj, src.bsm_proj)
    x = torch.randn(2, 3, 64, 64)
    for a, b in zip(_outputs(src, x), _outputs(dst, x)):
        assert torch.equal(a, b)


def test_filter_fn_inputs(tmp_path):
    """Whole checkpoints, DDP prefixes and the target model's shapes."""
    src = _random_model(fast=True)
    path = str(tmp_path / 'official.pth')
    save_official(src, path, (1, ))
    ckpt = load_checkpoint_safely(path)
    official = ckpt['state_dict']
    expected = checkpoint_filter_fn(official)
    # The whole {meta, state_dict, optimizer} checkpoint: same result.
    whole = checkpoint_filter_fn(ckpt)
    assert list(whole) == list(expected)
    # Saved from a DDP wrapper.
    ddp = checkpoint_filter_fn({'module.' + k: v for k, v in official.items()})
    assert list(ddp) == list(expected)
    assert all(torch.equal(ddp[k], v) for k, v in expected.items())
    # With the model, vis_gamma takes the model's (0-dim) shape.
    dst = MODELS.build(tiny_cfg(fast=True))
    with_model = checkpoint_filter_fn(official, dst)
    assert with_model['vis_gamma'].shape == dst.vis_gamma.shape == ()
    dst.load_state_dict(with_model, strict=True)
    with pytest.raises(KeyError, match='det_head.neck'):
        checkpoint_filter_fn({
            'bbox_head.neck': torch.zeros(1),
            'det_head.neck': torch.zeros(1)
        })


def test_released_fasttcm_projection_shape_is_refused(tmp_path):
    """The released code's ``pix_w`` is (C_v, 512): it cannot be used.

    Tiny analogue: global feature C_v = 64, text embedding C_t = 64, text
    transformer width 32 (RN50: 1024, 1024, 512).
    """
    src = _random_model(fast=True)
    official = to_official(src.state_dict())
    c_v, c_t = official['pix_w'].shape
    text_width = src.text_encoder.text_projection.shape[0]
    released = torch.ones(c_v, text_width)  # (1024, 512) for RN50
    # Why: g @ W_pix is text_width-d and cannot meet the C_t-d text.
    g = F.normalize(torch.randn(2, c_v) @ released, dim=-1).unsqueeze(1)
    with pytest.raises(RuntimeError):
        (torch.randn(1, 1, c_t) * g).sum(-1)

    official['pix_w'] = released
    message = (rf'pix_w has shape \({c_v}, {text_width}\), but FastTCM '
               rf'needs \({c_v}, {c_t}\).*1024 x 512')
    with pytest.raises(ValueError, match=message):
        checkpoint_filter_fn(official)
    with pytest.raises(ValueError, match=message):
        checkpoint_filter_fn(official, MODELS.build(tiny_cfg(fast=True)))

    # The CLI says so and writes nothing.
    path = str(tmp_path / 'official.pth')
    torch.save(dict(state_dict=official), path)
    proc = run([sys.executable, CONVERTER, path, path + '.out'], check=False)
    assert proc.returncode == 1
    assert 'pix_w has shape' in proc.stdout
    assert not osp.exists(path + '.out')


def test_converter_cli_checks_against_config(tmp_path, capsys):
    src = _random_model(fast=False)
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
    assert 'optimizer' not in ckpt
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
    argv = [src_path, dst_path + '.bad', '--config', str(cfg_path)]
    assert _converter().main(argv) == 1
    err = capsys.readouterr().err
    assert "missing keys: ['contexts']" in err
    assert "unexpected keys: ['extra.weight']" in err
    assert not osp.exists(dst_path + '.bad')


def test_fasttcm_cli_with_config(tmp_path):
    """A FastTCM checkpoint in the official layout (``pix_w``) converts
    through the CLI with 0 missing / 0 unexpected keys."""
    src = _random_model(fast=True)
    src_path = str(tmp_path / 'fasttcm_official.pth')
    save_official(src, src_path)
    cfg_path = tmp_path / 'tiny_fasttcm.py'
    cfg_path.write_text(f'model = {tiny_cfg(fast=True)!r}\n')
    dst_path = str(tmp_path / 'fasttcm.pth')
    proc = run([
        sys.executable, CONVERTER, src_path, dst_path, '--config',
        str(cfg_path)
    ])
    assert '0 missing / 0 unexpected keys' in proc.stdout
    dst = MODELS.build(tiny_cfg(fast=True)).eval()
    dst.load_state_dict(
        load_checkpoint_safely(dst_path)['state_dict'], strict=True)
    x = torch.randn(1, 3, 64, 64)
    for a, b in zip(_outputs(src, x), _outputs(dst, x)):
        assert torch.equal(a, b)


def _full_size(fast=False):
    """The IC15 TCM (or FastTCM) built on the meta device."""
    from mmengine.config import Config
    cfg = Config.fromfile(IC15_CFG)
    if fast:
        cfg.model.type = 'FastTCM'
    with torch.device('meta'):
        return MODELS.build(cfg.model)


def test_full_size_official_key_layout():
    """The official TCM checkpoint's top-level key groups and shapes."""
    model = _full_size()
    official = to_official(model.state_dict())
    groups = {k.split('.')[0] for k in official}
    assert groups == {
        'backbone', 'text_encoder', 'context_decoder',
        'visual_prompt_generator', 'prompt_generator', 'contexts', 'gamma',
        'vis_gamma', 'neck', 'bbox_head'
    }
    head = {
        '.'.join(k.split('.')[1:3])
        for k in official if k.startswith('bbox_head.')
    }
    assert head == {
        f'{b}.{i}'
        for b in ('binarize', 'threshold')
        for i in (0, 1, 3, 4, 6)
    }
    assert {
        k.split('.')[2]
        for k in official if k.startswith('prompt_generator.')
    } == {'0', '1', '3', '4'}
    assert official['neck.lateral_convs.3.conv.weight'].shape == (256, 2049, 1,
                                                                  1)
    assert official['backbone.attnpool.positional_embedding'].shape == (401,
                                                                        2048)
    assert official['text_encoder.positional_embedding'].shape == (18, 512)


def test_full_size_fasttcm_projection():
    """RN50 FastTCM: ``pix_w`` 1024 x 1024 maps to ``bsm_proj``; the
    released 1024 x 512 is refused."""
    model = _full_size(fast=True)
    official = to_official(model.state_dict())
    assert official['pix_w'].shape == (1024, 1024)
    ours = model.state_dict()
    assert {
        k
        for k in official if k not in ours and not k.startswith('bbox_head.')
    } == {'pix_w'}
    converted = checkpoint_filter_fn(official, model)
    assert set(converted) == set(model.state_dict())
    assert converted['bsm_proj'].shape == (1024, 1024)
    official['pix_w'] = torch.empty(1024, 512, device='meta')
    with pytest.raises(ValueError, match=r'\(1024, 512\).*\(1024, 1024\)'):
        checkpoint_filter_fn(official, model)
    with pytest.raises(ValueError, match=r'\(1024, 512\).*\(1024, 1024\)'):
        checkpoint_filter_fn(official)
