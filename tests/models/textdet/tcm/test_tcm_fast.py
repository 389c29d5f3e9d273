# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""FastTCM: meta-query prompt, BSM and the cached text embedding."""
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from tcm_tiny import preprocessed_batch, tiny_cfg


def _build(**kwargs):
    torch.manual_seed(0)
    model = MODELS.build(tiny_cfg(fast=True, **kwargs))
    model.init_weights()
    return model


def _count_text_calls(model):
    calls = []
    model.text_encoder.register_forward_hook(lambda *args: calls.append(1))
    return calls


def test_bsm_projection_shape_and_formula():
    model = _build().eval()
    assert model.bsm_proj.shape == (64, 64)  # visual_dim x embed_dim
    assert torch.equal(model.bsm_proj, torch.ones(64, 64))
    assert model.meta_query.shape == (64, )
    torch.manual_seed(3)
    g = torch.randn(2, 64)
    with torch.no_grad():
        model.bsm_proj.normal_()
        raw = model.compute_text()  # (1, 1, 64), image independent
        out = model.encode_text(g)
    gp = F.normalize(g @ model.bsm_proj, dim=-1)[:, None]  # (2, 1, 64)
    t = F.normalize(raw, dim=-1)
    expected = (t * gp).sum(-1, keepdim=True) * gp + t
    torch.testing.assert_close(out, expected)
    assert out.shape == (2, 1, 64)
    assert not torch.allclose(out[0], out[1])  # BSM re-injects the image


def test_without_bsm_the_text_is_image_independent():
    model = _build(use_bsm=False).eval()
    assert not hasattr(model, 'bsm_proj')
    with torch.no_grad():
        out = model.encode_text(torch.randn(3, 64))
    torch.testing.assert_close(out[0], out[2])


def test_text_is_cached_in_eval_under_no_grad():
    model = _build().eval()
    calls = _count_text_calls(model)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        first = model(x, mode='tensor')
        second = model(x, mode='tensor')
    assert len(calls) == 1
    torch.testing.assert_close(first, second)
    # Same numbers as without the cache.
    model.cache_text = False
    with torch.no_grad():
        torch.testing.assert_close(model(x, mode='tensor'), first)
    assert len(calls) == 2


def test_cache_invalidation():
    model = _build().eval()
    calls = _count_text_calls(model)
    with torch.no_grad():
        t0 = model.meta_text()
        model.meta_text()
        assert len(calls) == 1
        # In-place change of a text parameter (optimizer step, copy_).
        model.contexts.add_(0.5)
        t1 = model.meta_text()
        assert len(calls) == 2 and not torch.allclose(t0, t1)
        # load_state_dict of other weights.
        other = _build()
        other.meta_query.data.mul_(-1)
        model.load_state_dict(other.state_dict())
        t2 = model.meta_text()
        assert len(calls) == 3
        torch.testing.assert_close(t2, other.eval().compute_text())
    # train() drops it; training never uses it.
    model.train()
    assert model._text_cache is None
    model.meta_text()
    model.meta_text()
    assert len(calls) == 5 and model._text_cache is None
    # Eval with gradients enabled: not cached either.
    model.eval()
    model.meta_text()
    assert model._text_cache is None


def test_fast_tcm_trains_meta_query_and_projection():
    model = _build()
    model.train()
    data = preprocessed_batch(model)
    losses = model(**data, mode='loss')
    assert 'loss_pix_cls' in losses
    sum(losses.values()).backward()
    for name in ('meta_query', 'bsm_proj', 'contexts'):
        assert getattr(model, name).grad.abs().sum() > 0, name
