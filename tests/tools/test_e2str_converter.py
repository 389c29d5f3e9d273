# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Official E2STR checkpoints -> ours: ``official_to_ours`` and
``tools/model_converters/e2str_official_to_mmocr_ext.py``.

No official checkpoint exists (spec A8), so a randomly initialised toy
E2STR (gates set to 0.5, so the images matter) is saved in the official
layout by ``ours_to_official`` (``model.vision_encoder.*`` open_clip names
with the unused ``proj``, ``model.perceiver.*``, ``model.lang_encoder.*``
with the alias copies ``gated_cross_attn_layers.i.*`` /
``old_decoder_blocks.i.*``), converted by the CLI and loaded strictly into
a fresh toy model, which must give identical outputs.
"""
import importlib.util
import os.path as osp
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import LabelData
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

from mmocr_ext.compat import load_checkpoint_safely
from mmocr_ext.models.textrecog.e2str.e2str_checkpoint import (
    official_to_ours, ours_to_official)
from conftest import REPO, run

CONVERTER = osp.join(REPO, 'tools', 'model_converters',
                     'e2str_official_to_mmocr_ext.py')
TOY_CFG = osp.join(REPO, 'configs', 'textrecog', 'e2str',
                   'e2str_vit-tiny_opt-tiny_toy.py')
LM = 'model.lang_encoder.'
LAYER0 = LM + 'model.decoder.layers.0.'


def _converter():
    spec = importlib.util.spec_from_file_location('e2str_converter', CONVERTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _toy(seed):
    init_default_scope('mmocr')
    torch.manual_seed(seed)
    model = MODELS.build(Config.fromfile(TOY_CFG).model)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(('attn_gate', 'ff_gate')):
                p.fill_(0.5)
    return model.eval()


def _samples(texts):
    samples = []
    for text in texts:
        s = TextRecogDataSample()
        s.gt_text = LabelData(item=text)
        samples.append(s)
    return samples


def _outputs(model, inputs):
    texts = ['ab', 'hello', 'E2STR']
    with torch.no_grad():
        logits = model._forward(inputs, _samples(texts))
        preds = model.predict(inputs, _samples(texts))
    return logits, [(p.pred_text.item, p.pred_text.score) for p in preds]


@pytest.fixture(scope='module')
def official(tmp_path_factory):
    model = _toy(0)
    state = ours_to_official(model.state_dict())
    path = tmp_path_factory.mktemp('e2str') / 'e2str_official.pth'
    torch.save(state, path)  # a bare recognizer state dict
    return str(path), model


@pytest.fixture(scope='module')
def inputs():
    torch.manual_seed(1)
    return torch.randn(3, 3, 32, 128)


def test_layout_is_the_official_one(official):
    state = load_checkpoint_safely(official[0], map_location='cpu')
    assert state['model.vision_encoder.class_embedding'].shape == (64, )
    assert state['model.vision_encoder.positional_embedding'].shape == (257,
                                                                        64)
    assert state['model.vision_encoder.proj'].shape == (64, 512)
    blk = 'model.vision_encoder.transformer.resblocks.1.'
    assert state[blk + 'attn.in_proj_weight'].shape == (192, 64)
    for key in ('ln_1.weight', 'attn.out_proj.bias', 'ln_2.bias',
                'mlp.c_fc.weight', 'mlp.c_proj.bias'):
        assert blk + key in state
    assert 'model.vision_encoder.ln_post.weight' in state
    assert 'model.perceiver.layers.0.1.3.weight' in state
    assert LM + 'lm_head.weight' in state
    for alias, canonical in (('gated_cross_attn_layers.1.attn.to_kv.weight',
                              'gated_cross_attn_layer.attn.to_kv.weight'),
                             ('old_decoder_blocks.1.fc1.weight',
                              'decoder_layer.fc1.weight')):
        assert torch.equal(state[LM + alias],
                           state[LM + 'model.decoder.layers.1.' + canonical])
    assert not any(k.startswith('data_preprocessor') for k in state)


def test_cli_conversion_loads_strictly_with_identical_outputs(
        official, inputs, tmp_path):
    src, original = official
    dst = tmp_path / 'e2str.pth'
    out = run([sys.executable, CONVERTER, src,
               str(dst), '--config', TOY_CFG]).stdout
    assert ('dropped: model.vision_encoder.proj (unused CLIP projection'
            in out)
    # 2 layers x 11 tensors (gated block), 2 x 16 (OPT layer)
    assert ('dropped: 22 alias keys model.lang_encoder.gated_cross_attn_'
            'layers.*' in out)
    assert 'dropped: 32 alias keys model.lang_encoder.old_decoder_blocks.*' \
        in out
    ckpt = load_checkpoint_safely(str(dst), map_location='cpu')
    assert ckpt['meta']['converted_from'] == 'e2str_official.pth'
    model = _toy(123)
    result = model.load_state_dict(ckpt['state_dict'], strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    logits, preds = _outputs(model, inputs)
    ref_logits, ref_preds = _outputs(original, inputs)
    assert torch.equal(logits, ref_logits)
    assert preds == ref_preds
    # the images matter: other inputs give other logits
    other, _ = _outputs(original, inputs.flip(0))
    assert not torch.equal(other, ref_logits)


def test_wrapped_and_ddp_layouts(official):
    state = load_checkpoint_safely(official[0], map_location='cpu')
    ours, report = official_to_ours(dict(state_dict=state, meta={}))
    assert report[0].startswith('dropped: model.vision_encoder.proj')
    expected = official[1].state_dict()
    assert list(ours) == list(expected)
    assert all(torch.equal(ours[k], v) for k, v in expected.items())
    ddp = {'module.' + k: v for k, v in state.items()}
    ours_ddp, report = official_to_ours(ddp)
    assert "stripped: prefix 'module.' (DDP)" in report
    assert ours_ddp.keys() == ours.keys()
    state['data_preprocessor.mean'] = torch.zeros(3, 1, 1)
    report = official_to_ours(state)[1]
    assert 'dropped: data_preprocessor.mean (non-persistent buffer, set by ' \
        'the config)' in report
    del state['data_preprocessor.mean']
    bare = {k[len('model.'):]: v for k, v in state.items()}
    assert official_to_ours(bare)[0].keys() == ours.keys()


def test_differing_alias_is_refused(official, tmp_path, capsys):
    state = dict(load_checkpoint_safely(official[0], map_location='cpu'))
    key = LM + 'gated_cross_attn_layers.0.ff.1.weight'
    state[key] = state[key].clone() + 1
    with pytest.raises(ValueError, match='differs from'):
        official_to_ours(state)
    src, dst = tmp_path / 'bad.pth', tmp_path / 'out.pth'
    torch.save(state, src)
    assert _converter().main([str(src), str(dst)]) == 2
    err = capsys.readouterr().err
    assert f'alias {key} differs from {LAYER0}gated_cross_attn_layer.ff.1.' \
        'weight' in err
    assert not dst.exists()
    state = dict(load_checkpoint_safely(official[0], map_location='cpu'))
    state[LM + 'lm_head.weight'] = state[LM + 'lm_head.weight'] * 2
    with pytest.raises(ValueError, match='E2STR ties them'):
        official_to_ours(state)


def test_non_e2str_checkpoint_is_refused(tmp_path, capsys):
    import torchvision
    src, dst = tmp_path / 'resnet18.pth', tmp_path / 'out.pth'
    torch.save(
        dict(state_dict=torchvision.models.resnet18().state_dict()), src)
    assert _converter().main([str(src), str(dst)]) == 2
    err = capsys.readouterr().err
    assert 'not an official E2STR (OpenFlamingo) checkpoint' in err
    assert "'model.vision_encoder.class_embedding'" in err
    assert f"'{LAYER0}gated_cross_attn_layer.'" in err
    assert not dst.exists()


def test_missing_key_fails_the_config_check(official, tmp_path, capsys):
    state = dict(load_checkpoint_safely(official[0], map_location='cpu'))
    del state[LM + 'model.decoder.layers.1.decoder_layer.fc2.bias']
    del state[LM + 'old_decoder_blocks.1.fc2.bias']
    src, dst = tmp_path / 'partial.pth', tmp_path / 'out.pth'
    torch.save(state, src)
    assert _converter().main([str(src), str(dst), '--config', TOY_CFG]) == 1
    err = capsys.readouterr().err
    assert ('missing: language_model.lm.model.decoder.layers.1.'
            'decoder_layer.fc2.bias' in err)
    assert not dst.exists()
    # an unknown vision key (an ln_pre the official ViT does not have)
    state['model.vision_encoder.ln_pre.weight'] = torch.ones(64)
    with pytest.raises(ValueError, match='ln_pre'):
        official_to_ours(state)
