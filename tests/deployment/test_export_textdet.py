# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ONNX export of TCM, FastTCM and I3CL: onnxruntime vs PyTorch."""
import copy
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmocr.registry import MODELS

import mmocr_ext
from mmocr_ext.deployment import export_model
from mmocr_ext.deployment.i3cl_onnx_ops import random_rois, roi_extract
from mmocr_ext.deployment.onnx_utils import run_onnx

pytest.importorskip(
    'onnxruntime',
    reason='onnxruntime not installed (pip install '
    '"mmocr_ext[onnx]"): ONNX export tests skipped')
onnx = pytest.importorskip(
    'onnx', reason='onnx not installed (pip install "mmocr_ext[onnx]")')

mmocr_ext.register_all_modules()
REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
I3CL_TOY = osp.join(REPO, 'configs', 'textdet', 'i3cl',
                    'i3cl_resnet50-slim_fpn_toy.py')
sys.path.insert(0, osp.join(REPO, 'tests', 'models', 'textdet', 'tcm'))
from tcm_tiny import PROMPT, tiny_cfg  # noqa: E402

#: The TCM tests' tiny model (C2..C5 = 32, 64, 128, 256; attnpool 256 -> 64,
#: native grid 2 x 2, so the sizes checked below resize the positional
#: embedding; text width 32), with two class names (K = 2 score maps) and a
#: one-layer context decoder.
TINY_TCM = tiny_cfg(class_names=[PROMPT, 'text'])
TINY_TCM['context_decoder'] = dict(
    TINY_TCM['context_decoder'], transformer_layers=1)
TINY_TCM['neck'] = dict(TINY_TCM['neck'], in_channels=[32, 64, 128, 258])


def _tcm(fast: bool):
    cfg = copy.deepcopy(TINY_TCM)
    if fast:
        cfg['type'] = 'FastTCM'
    torch.manual_seed(0)
    return MODELS.build(cfg)


@pytest.mark.parametrize('fast', [False, True])
def test_export_tcm(tmp_path, fast):
    model = _tcm(fast)
    graphs = export_model(
        model, str(tmp_path), img_shapes=[(64, 64), (96, 128)])
    assert len(graphs) == 1
    g = graphs[0]
    assert g.name == ('fasttcm' if fast else 'tcm')
    assert osp.isfile(g.path) and g.path == str(tmp_path / f'{g.name}.onnx')
    assert g.input_names == ['img']
    assert g.output_names == ['prob_map', 'thr_map', 'binary_map', 'score_map']
    assert g.dynamic_axes['img'] == {0: 'batch', 2: 'height', 3: 'width'}
    assert g.checked_shapes == [[[1, 3, 64, 64]], [[2, 3, 96, 128]]]
    assert 0 <= g.max_abs_diff <= 1e-3

    # a third size and batch, independently of the exporter's own check
    torch.manual_seed(1)
    img = torch.randn(3, 3, 32, 96)
    outs = run_onnx(g.path, {'img': img.numpy()})
    assert [o.shape for o in outs] == [(3, 32, 96)] * 3 + [(3, 2, 1, 3)]
    with torch.no_grad():
        feats, score = model.extract_feat(img)
        ref = model.det_head(feats, mode='both')
    np.testing.assert_allclose(outs[0], ref[3].numpy(), atol=1e-3)
    np.testing.assert_allclose(outs[1], ref[1].numpy(), atol=1e-3)
    np.testing.assert_allclose(outs[2], ref[2].numpy(), atol=1e-3)
    np.testing.assert_allclose(outs[3], score.numpy(), atol=1e-3)
    assert ((outs[0] >= 0) & (outs[0] <= 1)).all()

    # TCM's text branch runs in the graph (it depends on the image);
    # FastTCM's image-independent text embedding is folded to a constant.
    proto = onnx.load(g.path)
    nodes = [n.name for n in proto.graph.node]
    # only the prompt embeddings, not CLIP's 49,408-row token table
    assert all(49408 not in i.dims for i in proto.graph.initializer)
    text_nodes = [n for n in nodes if '/text_encoder/' in n]
    assert bool(text_nodes) is not fast
    assert any('/context_decoder/' in n for n in nodes)


def test_tcm_rejects_sizes_not_multiple_of_32(tmp_path):
    with pytest.raises(ValueError, match='multiples of 32'):
        export_model(_tcm(False), str(tmp_path), img_shapes=[(64, 70)])


def _i3cl():
    torch.manual_seed(0)
    return MODELS.build(Config.fromfile(I3CL_TOY).model)


def test_export_i3cl(tmp_path):
    model = _i3cl()
    graphs = export_model(
        model,
        str(tmp_path),
        img_shapes=[(64, 96), (96, 64)],
        roi_img_shapes=[(512, 640), (384, 512)])
    names = [g.name for g in graphs]
    assert names == ['i3cl_backbone', 'i3cl_bbox_head', 'i3cl_mask_head']
    for g in graphs:
        assert osp.isfile(g.path)
        assert 0 <= g.max_abs_diff <= 1e-3, g.name
    backbone, bbox, mask = graphs
    assert backbone.output_names[:5] == ['p2', 'p3', 'p4', 'p5', 'p6']
    assert len(backbone.output_names) == 15
    assert bbox.input_names == ['p2', 'p3', 'p4', 'p5', 'rois']
    assert mask.output_names == ['mask_logits']
    # RoI checks: batch 1 with 6 RoIs, batch 2 with 2 x 7 RoIs
    assert [s[-1] for s in mask.checked_shapes] == [[6, 5], [14, 5]]

    # backbone at a third size: shapes of every level
    img = torch.randn(1, 3, 128, 64)
    outs = run_onnx(backbone.path, {'img': img.numpy()})
    assert [o.shape[2:] for o in outs[:5]] == [(32, 16), (16, 8), (8, 4),
                                               (4, 2), (2, 1)]
    num_anchors = model.wrapped_model.rpn_head.num_base_priors
    assert outs[5].shape == (1, num_anchors, 32, 16)
    assert outs[10].shape == (1, 4 * num_anchors, 32, 16)

    # RoI graphs: zero RoIs (an image without detections) run and give
    # empty outputs
    feeds = {n: o for n, o in zip(bbox.input_names[:4], outs[:4])}
    feeds['rois'] = np.zeros((0, 5), np.float32)
    cls_score, bbox_pred = run_onnx(bbox.path, feeds)
    assert cls_score.shape == (0, 2) and bbox_pred.shape == (0, 4)
    assert run_onnx(mask.path, feeds)[0].shape == (0, 1, 28, 28)


def test_i3cl_roi_extract_matches_mmcv_on_every_level():
    """torchvision roi_align with masked levels == mmdet's extractor (mmcv
    RoIAlign), with RoIs on all four levels."""
    head = _i3cl().wrapped_model.roi_head.eval()
    extractor = head.bbox_roi_extractor
    gen = torch.Generator().manual_seed(0)
    feats = [
        torch.randn(2, 64, 512 // 2**k, 640 // 2**k, generator=gen)
        for k in range(2, 6)
    ]
    rois = random_rois(12, 2, 2048, 2560, gen)
    levels = extractor.map_roi_levels(rois, 4)
    assert set(levels.tolist()) == {0, 1, 2, 3}
    with torch.no_grad():
        ref = extractor(feats, rois)
        out = roi_extract(extractor, feats, rois)
    assert out.shape == ref.shape == (24, 64, 7, 7)
    assert (out - ref).abs().max() < 1e-5
