# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The whole InstructOCR spotter (tiny random model of the toy config)."""
import pytest
import torch

from instructocr_tiny import build_toy, samples


@pytest.fixture(scope='module')
def model():
    return build_toy(eos_bias=-1e4, constrained=True)


def test_batched_predict_equals_one_image_at_a_time(model):
    torch.manual_seed(1)
    images = torch.rand(3, 3, 64, 96)
    batched = model.predict(images, samples(3))
    assert all(len(s.pred_instances.texts) == 3 for s in batched)
    for i in range(3):
        single = model.predict(images[i:i + 1], samples(1))[0]
        a, b = batched[i].pred_instances, single.pred_instances
        assert a.texts == b.texts
        assert torch.equal(a.points, b.points)
        assert torch.allclose(a.scores, b.scores, atol=1e-5)


def test_points_are_in_original_pixels(model):
    images = torch.rand(1, 3, 64, 96)
    out = model.predict(images, samples(1, shape=(64, 96)))[0]
    out_big = samples(1, shape=(64, 96))[0]
    out_big.set_metainfo(dict(ori_shape=(128, 192)))
    big = model.predict(images, [out_big])[0]
    pts = out.pred_instances.points
    assert len(pts) > 0
    assert torch.allclose(big.pred_instances.points, pts * 2)
    assert (pts[:, 0] < 96).all() and (pts[:, 1] < 64).all()


def test_instruction_conditions_the_output(model):
    images = torch.rand(2, 3, 64, 96)
    a = model(images, samples(2, instruction='all text'), mode='tensor')
    b = model(images, samples(2, instruction='text of number'), mode='tensor')
    assert a.shape == (2, 1, model.decoder.dictionary.num_classes)
    assert not torch.allclose(a, b)
    # the override wins over the sample's instruction at prediction
    model.instruction_override = 'text of number'
    try:
        c = model(images, samples(2, instruction='all text'), mode='tensor')
    finally:
        model.instruction_override = None
    assert torch.allclose(b, c)
    assert model.instructions(samples(1)) == ['all text']


def test_padding_mask_follows_img_shape(model):
    inputs = torch.zeros(2, 3, 64, 96)
    s = samples(2)
    s[1].set_metainfo(dict(img_shape=(32, 50)))
    mask = model.padding_mask(inputs, s)
    assert not mask[0].any()
    assert not mask[1, :32, :50].any() and mask[1, 32:].all() and \
        mask[1, :, 50:].all()


def test_loss_with_and_without_instances_backpropagates():
    model = build_toy().train()
    images = torch.rand(2, 3, 64, 96)
    s = samples(2)
    s[1] = samples(1, with_gt=False)[0]
    from mmengine.structures import InstanceData
    s[1].gt_instances = InstanceData(polygons=[], texts=[])
    losses = model(images, s, mode='loss')
    assert set(losses) == {'loss_seq'}
    assert torch.isfinite(losses['loss_seq'])
    losses['loss_seq'].backward()
    grads = [p.grad for p in model.backbone.parameters() if p.requires_grad]
    assert any(g is not None and g.abs().sum() > 0 for g in grads)
