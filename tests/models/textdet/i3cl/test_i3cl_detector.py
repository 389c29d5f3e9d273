# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The I3CL detector end to end (toy config): batched inference equals
single-image inference, training with an image without instances, and the
SSL loss weights (spec A3)."""
import os.path as osp
import sys

import pytest
import torch
from mmdet.models.task_modules.assigners import AssignResult
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.registry import MODELS as MMDET_MODELS
from mmengine.config import ConfigDict
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData

from mmocr_ext.models.textdet.i3cl import (I3CLMaskRCNN, I3CLRoIHead,
                                           attach_loss_weights)

sys.path.insert(0, osp.dirname(__file__))
from i3cl_tiny import build_toy, det_sample, images, ocr_samples  # noqa: E402


@pytest.fixture(scope='module')
def toy():
    return build_toy().eval()


def _predict(model, inputs):
    data = model.data_preprocessor(
        dict(inputs=list(inputs), data_samples=ocr_samples(len(inputs))))
    with torch.no_grad():
        return model(data['inputs'], data['data_samples'], mode='predict')


def test_structure_and_official_key_paths(toy):
    det = toy.wrapped_model
    assert isinstance(det, I3CLMaskRCNN)
    assert isinstance(det.roi_head, I3CLRoIHead)
    keys = set(toy.state_dict())
    assert 'wrapped_model.intra_cl_module.4.bn.weight' in keys
    assert ('wrapped_model.roi_head.inter_cl_module.'
            'global_context_extract_module.conv1x1_list.0.weight' in keys)


def test_batch_of_four_equals_four_single_images(toy):
    inputs = images(4)
    batched = _predict(toy, inputs)
    assert len(batched) == 4
    total = 0
    for i in range(4):
        single = _predict(toy, inputs[i:i + 1])[0].pred_instances
        pred = batched[i].pred_instances
        total += len(pred.polygons)
        assert len(pred.polygons) == len(single.polygons)
        torch.testing.assert_close(pred.scores, single.scores)
        for a, b in zip(pred.polygons, single.polygons):
            assert a.tolist() == b.tolist()
    assert total > 0  # the comparison covered some polygons


def test_switches_off_give_plain_mask_rcnn():
    model = build_toy(intracl_on=False, intercl_on=False).eval()
    det = model.wrapped_model
    assert not hasattr(det, 'intra_cl_module')
    assert not hasattr(det.roi_head, 'inter_cl_module')
    on = build_toy().eval()
    n_on = sum(p.numel() for p in on.parameters())
    n_off = sum(p.numel() for p in model.parameters())
    assert n_on - n_off == sum(
        p.numel() for m in (on.wrapped_model.intra_cl_module,
                            on.wrapped_model.roi_head.inter_cl_module)
        for p in m.parameters())
    assert len(_predict(model, images(2))) == 2


def _loss(model, samples, seed=0):
    inputs = images(len(samples), seed=3)
    data = model.data_preprocessor(
        dict(inputs=list(inputs), data_samples=samples), True)
    torch.manual_seed(seed)
    return model(data['inputs'], data['data_samples'], mode='loss')


def _total(loss) -> float:
    """A loss term (tensor or per-level list) as one number."""
    if isinstance(loss, (list, tuple)):
        return float(sum(v.sum() for v in loss))
    return float(loss.sum())


def _boxes():
    return [[10, 20, 70, 40], [80, 60, 150, 90], [20, 90, 60, 120]]


def test_training_with_an_image_without_instances():
    model = build_toy().train()
    # The second image's text is all ignored (``###``): no trainable
    # instance, its boxes only keep anchors/proposals from the negatives.
    samples = [det_sample(_boxes()), det_sample([], ignored=_boxes()[:2])]
    losses = _loss(model, samples)
    total, _ = model.parse_losses(losses)
    assert torch.isfinite(total)
    total.backward()
    inter = model.wrapped_model.roi_head.inter_cl_module
    assert inter.transformer_encoder_instance.layers[0].linear1.weight.grad \
        .abs().sum() > 0
    # A batch where no image has an instance trains too.
    losses = _loss(model, [det_sample([]), det_sample([])])
    assert torch.isfinite(model.parse_losses(losses)[0])


def test_unit_loss_weights_change_nothing_and_zero_weights_remove_box_terms():
    model = build_toy().train()
    plain = _loss(model, [det_sample(_boxes()), det_sample(_boxes()[:1])])
    ones = _loss(model, [
        det_sample(_boxes(), loss_weights=[1, 1, 1]),
        det_sample(_boxes()[:1], loss_weights=[1])
    ])
    for key in ('loss_rpn_cls', 'loss_rpn_bbox', 'loss_cls', 'loss_bbox',
                'loss_mask'):
        assert _total(plain[key]) == _total(ones[key])
    zeros = _loss(model, [
        det_sample(_boxes(), loss_weights=[0, 0, 0]),
        det_sample(_boxes()[:1], loss_weights=[0])
    ])
    assert _total(zeros['loss_rpn_bbox']) == 0
    assert zeros['loss_bbox'] == 0
    # The mask loss is not weighted (spec A3).
    torch.testing.assert_close(zeros['loss_mask'], plain['loss_mask'])
    assert plain['loss_mask'] > 0


def test_bbox_head_weights_positives_by_their_ground_truth():
    # mmdet parts build their task utilities in the mmdet scope (an
    # earlier test may have made mmocr the default scope).
    with DefaultScope.overwrite_default_scope('mmdet'):
        head = MMDET_MODELS.build(
            dict(
                type='mmdet.I3CLBBoxHead',
                in_channels=8,
                fc_out_channels=16,
                roi_feat_size=7,
                num_classes=1))
        priors = torch.tensor([[0, 0, 10, 10], [20, 20, 30, 30], [0, 0, 5, 5],
                               [40, 40, 50, 50], [60, 60, 70, 70]],
                              dtype=torch.float32)
        gt = InstanceData(
            bboxes=torch.tensor([[20, 20, 30, 30], [0, 0, 10, 10]],
                                dtype=torch.float32),
            labels=torch.zeros(2, dtype=torch.long),
            loss_weights=torch.tensor([0.3, 0.7]))
        assign = AssignResult(
            num_gts=2,
            gt_inds=torch.tensor([2, 1, 0, 0, 0]),
            max_overlaps=torch.tensor([1., 1., 0., 0., 0.]),
            labels=torch.tensor([0, 0, -1, -1, -1]))
        result = SamplingResult(
            pos_inds=torch.tensor([0, 1]),
            neg_inds=torch.tensor([2, 3, 4]),
            priors=priors,
            gt_bboxes=gt.bboxes,
            assign_result=assign,
            gt_flags=torch.zeros(5, dtype=torch.uint8))
        attach_loss_weights(result, gt)
        # Prior 0 is assigned to gt 1 (0.7), prior 1 to gt 0 (0.3).
        torch.testing.assert_close(result.pos_loss_weights,
                                   torch.tensor([0.7, 0.3]))
        cfg = ConfigDict(pos_weight=-1)
        labels, label_w, _, bbox_w = head.get_targets([result], cfg)
        torch.testing.assert_close(label_w, torch.tensor([0.7, 0.3, 1, 1, 1]))
        torch.testing.assert_close(
            bbox_w, torch.tensor([[0.7] * 4, [0.3] * 4] + [[0.] * 4] * 3))
        assert labels.tolist() == [0, 0, 1, 1, 1]
