# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Behaviour of the TCM detector on a tiny random model."""
import pytest
import torch
from mmocr.registry import MODELS

from mmocr_ext.models.common.clip import CLIPTextContextEncoder
from tcm_tiny import PROMPT_IDS, preprocessed_batch, tiny_cfg


@pytest.fixture(scope='module')
def tcm():
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg())
    model.init_weights()
    return model


def test_parameters_and_buffers(tcm):
    # 14 prompt ids, then the 4 learnable tokens make 18.
    assert tcm.text_ids.tolist() == [PROMPT_IDS]
    assert tcm.contexts.shape == (1, 4, 32)
    # std 1.0 truncated normal (the official init), not CLIP's 0.02 scale.
    assert tcm.contexts.std() > 0.4 and tcm.contexts.abs().max() <= 2.0
    assert torch.equal(tcm.gamma, torch.full((64, ), 1e-3))
    assert tcm.vis_gamma.shape == ()
    assert tcm.vis_gamma.item() == pytest.approx(1e-3)
    sd = tcm.state_dict()
    assert 'text_ids' not in sd  # rebuilt from class_names, as in TCM
    for prefix in ('backbone.', 'text_encoder.', 'context_decoder.',
                   'visual_prompt_generator.', 'prompt_generator.prompt_proj.',
                   'neck.', 'det_head.'):
        assert any(k.startswith(prefix) for k in sd), prefix


def test_feature_shapes(tcm):
    tcm.eval()
    x = torch.randn(2, 3, 64, 96)
    with torch.no_grad():
        *feats, (g, v) = tcm.backbone(x)
        assert [f.shape[1] for f in feats] == [32, 64, 128, 256]
        text, score = tcm.match(g, v)
        neck_feats, score2 = tcm.extract_feat(x)
        prob = tcm(x, mode='tensor')
    assert g.shape == (2, 64) and v.shape == (2, 64, 2, 3)
    assert text.shape == (2, 1, 64)
    assert score.shape == (2, 1, 2, 3)
    assert score.abs().max() <= 1 + 1e-5  # cosine
    torch.testing.assert_close(score, score2)
    assert neck_feats.shape == (2, 32, 16, 24)
    assert prob.shape == (2, 64, 96)


def test_score_map_is_cosine_of_refined_features(tcm):
    tcm.eval()
    torch.manual_seed(1)
    g, v = torch.randn(1, 64), torch.randn(1, 64, 2, 2)
    with torch.no_grad():
        text, score = tcm.match(g, v)
        # Recompute by hand: V' = V + vis_gamma * VPG(V, T0).
        t0 = tcm.encode_text(g)
        tokens = v.flatten(2).transpose(1, 2)
        v1 = tokens + tcm.vis_gamma * tcm.visual_prompt_generator(tokens, t0)
        mem = torch.cat([g[:, None], tokens], 1)
        t1 = t0 + tcm.gamma * tcm.context_decoder(t0, mem)
        cos = torch.nn.functional.cosine_similarity(
            v1[0], t1[0, 0][None], dim=-1).reshape(1, 1, 2, 2)
    torch.testing.assert_close(text, t1)
    torch.testing.assert_close(score, cos)


def test_text_depends_on_image(tcm):
    tcm.eval()
    with torch.no_grad():
        a = tcm.encode_text(torch.randn(1, 64))
        b = tcm.encode_text(torch.randn(1, 64))
    assert not torch.allclose(a, b)


def test_loss_and_gradients_through_frozen_text_encoder():
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg())
    model.train()
    model.text_encoder.requires_grad_(False)  # as lr_mult=0 would
    data = preprocessed_batch(model)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_prob', 'loss_thr', 'loss_db', 'loss_pix_cls'}
    assert all(torch.isfinite(v) for v in losses.values())
    sum(losses.values()).backward()
    # Gradients reach the learnable context and the prompt generator through
    # the frozen text encoder, and both gates.
    for name in ('contexts', 'gamma', 'vis_gamma'):
        grad = getattr(model, name).grad
        assert grad is not None and grad.abs().sum() > 0, name
    assert model.prompt_generator.prompt_proj[4].weight.grad.abs().sum() > 0
    assert model.text_encoder.text_projection.grad is None
    assert model.backbone.conv1.weight.grad.abs().sum() > 0


def test_predict_returns_polygons(tcm):
    tcm.eval()
    data = preprocessed_batch(tcm, num=1, training=False)
    with torch.no_grad():
        out = tcm(**data, mode='predict')
    assert len(out) == 1
    pred = out[0].pred_instances
    assert len(pred.polygons) == len(pred.scores)
    assert all(len(p) == 8 for p in pred.polygons)  # quad


def test_requires_tcm_module_loss():
    cfg = tiny_cfg()
    cfg['det_head'] = dict(
        cfg['det_head'], module_loss=dict(type='DBModuleLoss'))
    with pytest.raises(AssertionError, match='TCMModuleLoss'):
        MODELS.build(cfg)


def test_multiple_classes_widen_the_score_map():
    cfg = tiny_cfg(class_names=['text', 'a set of text instances.'])
    cfg['neck'] = dict(cfg['neck'], in_channels=[32, 64, 128, 258])
    model = MODELS.build(cfg).eval()
    with torch.no_grad():
        _, score = model.extract_feat(torch.randn(1, 3, 64, 64))
    assert model.num_classes == 2 and score.shape == (1, 2, 2, 2)


@MODELS.register_module(force=True)
class _RenamedTextEncoder(CLIPTextContextEncoder):
    """A text encoder whose config names its sizes differently."""

    def __init__(self, length: int, width: int, embed: int) -> None:
        super().__init__(
            context_length=length,
            transformer_width=width,
            transformer_heads=2,
            transformer_layers=1,
            embed_dim=embed)


def test_sizes_come_from_the_built_text_encoder():
    # The config dict has no context_length / transformer_width / embed_dim
    # keys: TCM must read the sizes off the built module (22 positions,
    # width 32, embedding 64), not fall back to CLIP RN50's 18/512/1024.
    cfg = tiny_cfg(
        text_encoder=dict(
            type='_RenamedTextEncoder', length=22, width=32, embed=64),
        num_learnable_tokens=8)
    model = MODELS.build(cfg).eval()
    assert model.contexts.shape == (1, 8, 32)
    assert model.text_ids.shape == (1, 22 - 8)
    assert model.gamma.shape == (64, ) and model.embed_dim == 64
    with torch.no_grad():
        _, score = model.extract_feat(torch.randn(1, 3, 64, 64))
    assert score.shape == (1, 1, 2, 2)


def test_prompt_generator_must_match_the_text_encoder():
    cfg = tiny_cfg(
        prompt_generator=dict(
            type='TCMPromptGenerator', visual_dim=64, text_dim=16))
    with pytest.raises(AssertionError, match='prompt_generator'):
        MODELS.build(cfg)
