# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/model_converters/instructocr_official_to_mmocr_ext.py``.

No official checkpoint is available offline, so the tiny toy InstructOCR
(random weights, perturbed so that every tensor matters: BN statistics,
the fusion blocks' LayerScale, the zero-initialised ``bn3``) is saved in
the official layout (spec B9) by the inverse map, inside the official
checkpoint dict ``{'model', 'optimizer', 'lr_scheduler', 'epoch', 'args'}``
with a pickled ``argparse.Namespace``, converted by the tool and loaded
strictly into a fresh toy model, which must give identical outputs.
"""
import argparse
import importlib.util
import os.path as osp
import re

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmocr.registry import MODELS
from mmocr.structures import TextDetDataSample

from mmocr_ext import register_all_modules
from mmocr_ext.compat import load_checkpoint_safely
from conftest import REPO

CONVERTER = osp.join(REPO, 'tools', 'model_converters',
                     'instructocr_official_to_mmocr_ext.py')
TOY_CFG = osp.join(REPO, 'configs', 'textspot', 'instructocr',
                   'instructocr_clip-r50-tiny_toy.py')


def _converter():
    spec = importlib.util.spec_from_file_location('instructocr_converter',
                                                  CONVERTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def toy_cfg(tmp_path_factory):
    """The toy config with slot-constrained decoding (a random model still
    yields valid points) and 5 characters per instance (3 * 7 + 1
    decoding steps, for speed)."""
    path = tmp_path_factory.mktemp('cfg') / 'instructocr_toy_test.py'
    path.write_text(f'_base_ = [{TOY_CFG!r}]\n'
                    'model = dict(decoder=dict(max_text_len=5, '
                    'decode_cfg=dict(constrained=True)))\n')
    return str(path)


def _toy(seed, config):
    register_all_modules(init_default_scope=True)
    torch.manual_seed(seed)
    model = MODELS.build(Config.fromfile(config).model)
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith('num_batches_tracked'):
                t.fill_(seed + 1)
            elif name.endswith('running_var'):
                t.uniform_(0.5, 1.5)
            elif name.endswith('gamma_v'):
                t.uniform_(0.2, 0.5)
            elif t.is_floating_point():
                t.add_(0.05 * torch.randn_like(t))
        # no early EOS / end of word: 3 instances with characters each
        vocab = model.decoder.dictionary
        bias = model.decoder.vocab_embed.bias
        bias[[vocab.eos_idx, vocab.rec_pad_idx, vocab.unknown_idx]] -= 10
    return model.eval()


def _batch():
    """Two 64x96 images (the second padded on the right from 64x80), each
    with two bright rectangles, and their data samples."""
    torch.manual_seed(7)
    inputs = 0.1 * torch.rand(2, 3, 64, 96)
    inputs[0, :, 10:22, 8:40] = 0.9
    inputs[0, :, 40:50, 50:90] = 0.8
    inputs[1, :, 30:44, 20:60] = 0.9
    inputs[1, :, 5:15, 5:30] = 0.7
    inputs[1, :, :, 80:] = 0
    samples = []
    for shape, instr in (((64, 96), 'all text'),
                         ((64, 80), "text starts with the character 'S'")):
        samples.append(
            TextDetDataSample(
                metainfo=dict(
                    img_shape=shape,
                    ori_shape=(2 * shape[0], 2 * shape[1]),
                    scale_factor=(0.5, 0.5),
                    instruction=instr)))
    return inputs, samples


def _outputs(model):
    inputs, samples = _batch()
    with torch.no_grad():
        logits = model(inputs, samples, mode='tensor')
        preds = model.predict(inputs, samples)
    return logits, [(p.pred_instances.texts,
                     np.asarray(p.pred_instances.points),
                     np.asarray(p.pred_instances.scores)) for p in preds]


@pytest.fixture(scope='module')
def official(tmp_path_factory, toy_cfg):
    model = _toy(0, toy_cfg)
    ckpt = dict(
        model=_converter().ours_to_official(model.state_dict()),
        optimizer=dict(state={}, param_groups=[dict(lr=1e-4)]),
        lr_scheduler=dict(last_epoch=3),
        epoch=3,
        args=argparse.Namespace(lr=1e-4, epochs=140, num_bins=1000))
    folder = tmp_path_factory.mktemp('instructocr')
    path = folder / 'ic15_official.pth'
    torch.save(ckpt, path)
    # BERT is in neither checkpoint: both models read it from its own file
    bert = folder / 'bert.pth'
    torch.save(model.encoder.text_encoder.bert.state_dict(), bert)
    return str(path), model, str(bert), toy_cfg


def test_layout_is_the_official_one(official):
    ckpt = load_checkpoint_safely(official[0], map_location='cpu')
    assert ckpt['args'].epochs == 140 and ckpt['epoch'] == 3
    state = ckpt['model']
    suffix = re.compile(r'\.(weight|bias|running_mean|running_var|'
                        r'num_batches_tracked|in_proj_weight|in_proj_bias)$')
    patterns = {suffix.sub('', re.sub(r'\.\d+\.', '.i.', k)) for k in state}
    trunk = {p for p in patterns if p.startswith('visual.')}
    convs = {f'{m}{j}' for m in ('conv', 'bn') for j in (1, 2, 3)}
    stem = {p for p in trunk if '.i.' not in p}
    assert stem == {'visual.' + c for c in convs}
    blocks = {p.split('.i.', 1)[1] for p in trunk if '.i.' in p}
    assert blocks == convs | {'downsample.i'}
    fusion = 'transformer.encoder.feature_fusion_layers.i.'
    enc, dec = 'transformer.encoder.layers.i.', 'transformer.decoder.layers.i.'
    assert patterns - trunk == {
        'final', 'text_projection', 'transformer.embedding.word_embeddings',
        'transformer.embedding.position_embeddings',
        'transformer.embedding.LayerNorm', fusion + 'layer_norm_v',
        fusion + 'layer_norm_l', fusion + 'gamma_v', fusion + 'attn.v_proj',
        fusion + 'attn.l_proj', fusion + 'attn.values_l_proj', fusion +
        'attn.out_v_proj', 'transformer.encoder.norm_ca', enc + 'self_attn',
        enc + 'self_attn.out_proj', enc + 'linear1', enc + 'linear2',
        enc + 'norm1', enc + 'norm2', 'transformer.encoder.norm',
        dec + 'self_attn', dec + 'self_attn.out_proj', dec + 'multihead_attn',
        dec + 'multihead_attn.out_proj', dec + 'linear1', dec + 'linear2',
        dec + 'norm1', dec + 'norm2', dec + 'norm3',
        'transformer.decoder.norm', 'transformer.vocab_embed.layers.i'
    }
    # text_projection is the bare (BERT width, proj_dim) matrix (x @ P)
    assert state['text_projection'].shape == (32, 32)
    assert state['final.weight'].shape == (64, 256, 1, 1)
    assert state['transformer.vocab_embed.layers.0.weight'].shape == (296, 64)
    assert state['transformer.encoder.layers.0.self_attn.in_proj_weight'] \
        .shape == (192, 64)


def test_conversion_loads_strictly_with_identical_outputs(
        official, tmp_path, capsys):
    src, original, bert, toy_cfg = official
    dst = tmp_path / 'instructocr.pth'
    assert _converter().main([src, str(dst), '--config', toy_cfg]) == 0
    assert 'all keys renamed, none dropped' in capsys.readouterr().out
    ckpt = load_checkpoint_safely(str(dst), map_location='cpu')
    assert ckpt['meta']['converted_from'] == 'ic15_official.pth'
    assert ckpt['meta']['source_epoch'] == 3
    assert list(ckpt['state_dict']) == list(original.state_dict())
    model = _toy(123, toy_cfg)
    assert not torch.equal(model.encoder.text_encoder.text_projection,
                           original.encoder.text_encoder.text_projection)
    result = model.load_state_dict(ckpt['state_dict'], strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    model.encoder.text_encoder.load_bert(bert)
    logits, preds = _outputs(model)
    ref_logits, ref_preds = _outputs(original)
    assert logits.shape == (2, 1, 296)
    assert torch.equal(logits, ref_logits)
    # 3 instances per image (max_num_text), 5 characters each
    assert [[len(t) for t in p[0]] for p in ref_preds] == [[5] * 3] * 2
    for (texts, points, scores), (rtexts, rpoints,
                                  rscores) in zip(preds, ref_preds):
        assert texts == rtexts
        assert np.array_equal(points, rpoints)
        assert np.array_equal(scores, rscores)
    # the weights matter: the fresh model's own weights predict otherwise
    fresh = _toy(123, toy_cfg)
    fresh.encoder.text_encoder.load_bert(bert)
    inputs, samples = _batch()
    with torch.no_grad():
        assert not torch.equal(fresh(inputs, samples), ref_logits)


def test_ddp_and_bare_layouts(official):
    conv = _converter()
    ckpt = load_checkpoint_safely(official[0], map_location='cpu')
    ours, report = conv.official_to_ours(ckpt)
    assert report == []
    expected = official[1].state_dict()
    assert ours.keys() == expected.keys()
    assert all(torch.equal(ours[k], v) for k, v in expected.items())
    ddp = {'module.' + k: v for k, v in ckpt['model'].items()}
    ours_ddp, report = conv.official_to_ours(dict(model=ddp))
    assert report == ["stripped: prefix 'module.' (DDP)"]
    assert ours_ddp.keys() == ours.keys()
    assert conv.official_to_ours(ckpt['model'])[0].keys() == ours.keys()


def test_key_map_both_ways():
    conv = _converter()
    pairs = [
        ('visual.layer4.2.downsample.1.running_var',
         'backbone.layer4.2.downsample.1.running_var'),
        ('final.bias', 'encoder.input_proj.bias'),
        ('text_projection', 'encoder.text_encoder.text_projection'),
        ('transformer.embedding.LayerNorm.weight',
         'decoder.embedding.LayerNorm.weight'),
        ('transformer.encoder.feature_fusion_layers.2.attn.out_v_proj.bias',
         'encoder.feature_fusion_layers.2.attn.out_v_proj.bias'),
        ('transformer.encoder.norm_ca.weight', 'encoder.norm_ca.weight'),
        ('transformer.decoder.layers.5.multihead_attn.in_proj_weight',
         'decoder.layers.5.multihead_attn.in_proj_weight'),
        ('transformer.vocab_embed.layers.0.weight',
         'decoder.vocab_embed.weight'),
    ]
    for official_key, our_key in pairs:
        assert conv.official_key_to_ours(official_key) == our_key
        assert conv.our_key_to_official(our_key) == official_key
    assert conv.official_key_to_ours('transformer.vocab_embed.layers.1.'
                                     'weight') is None
    assert conv.official_key_to_ours('text_projection.weight') is None
    assert conv.our_key_to_official(
        'encoder.text_encoder.bert.embeddings.word_embeddings.weight') is None
    with pytest.raises(ValueError, match='data_preprocessor.mean'):
        conv.ours_to_official({'data_preprocessor.mean': torch.zeros(3)})


def _save_modified(official, tmp_path, name, edit):
    ckpt = load_checkpoint_safely(official[0], map_location='cpu')
    edit(ckpt['model'])
    src = tmp_path / f'{name}.pth'
    torch.save(ckpt, src)
    return str(src), str(tmp_path / 'out.pth')


@pytest.mark.parametrize(
    'stray, message',
    [('visual.attnpool.c_proj.weight',
      'unexpected: backbone.attnpool.c_proj.weight (official '
      'visual.attnpool.c_proj.weight)'),
     ('transformer.vocab_embed.layers.1.weight',
      "1 official keys have no mmocr_ext name: "
      "['transformer.vocab_embed.layers.1.weight']"),
     ('bert.embeddings.word_embeddings.weight',
      "['bert.embeddings.word_embeddings.weight']")])
def test_stray_official_key_is_an_error_naming_it(official, tmp_path, capsys,
                                                  stray, message):
    src, dst = _save_modified(official, tmp_path, 'stray',
                              lambda s: s.update({stray: torch.ones(2)}))
    assert _converter().main([src, dst, '--config', official[3]]) == 1
    assert message in capsys.readouterr().err
    assert not osp.exists(dst)


def test_missing_or_misshaped_key_fails(official, tmp_path, capsys):
    key = 'transformer.decoder.layers.0.norm3.bias'

    def edit(state):
        del state[key]
        state['final.bias'] = torch.zeros(3)

    src, dst = _save_modified(official, tmp_path, 'partial', edit)
    assert _converter().main([src, dst, '--config', official[3]]) == 1
    err = capsys.readouterr().err
    assert f'missing: decoder.layers.0.norm3.bias (official {key})' in err
    assert ('shape: encoder.input_proj.bias (official final.bias) (3,) in '
            'the checkpoint, (64,) in the model') in err
    assert not osp.exists(dst)


def test_non_instructocr_checkpoint_is_refused(tmp_path, capsys):
    src, dst = tmp_path / 'other.pth', tmp_path / 'out.pth'
    torch.save(
        dict(
            model={'backbone.conv1.weight': torch.ones(1)},
            args=argparse.Namespace(lr=1.0)), src)
    assert _converter().main([str(src), str(dst)]) == 2
    err = capsys.readouterr().err
    assert 'not an official InstructOCR checkpoint' in err
    assert "'visual.conv1.weight'" in err and "'transformer.decoder.'" in err
    assert not dst.exists()


def test_default_config_is_the_released_model():
    """Without ``--config`` the keys are checked against the released
    sizes (spec B9 layout; 6 + 6 layers, 3 fusion blocks)."""
    conv = _converter()
    assert conv.parse_args(['a', 'b']).config == conv.DEFAULT_CONFIG
    model = conv.build_model(conv.DEFAULT_CONFIG)
    official = conv.ours_to_official(model.state_dict())
    assert official['text_projection'].shape == (768, 256)
    assert official['final.weight'].shape == (512, 2048, 1, 1)
    assert official['transformer.embedding.position_embeddings.weight'] \
        .shape == (1621, 512)
    assert official['transformer.vocab_embed.layers.0.bias'].shape == (1196, )
    for key in ('visual.layer4.2.bn3.weight',
                'transformer.encoder.feature_fusion_layers.2.gamma_v',
                'transformer.encoder.layers.5.norm2.bias',
                'transformer.decoder.layers.5.norm3.bias'):
        assert key in official
    ours = conv.official_to_ours(dict(model=official, epoch=140))[0]
    assert conv.mismatches(ours, model) == []
