# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ONNX export of UPOCR: one graph, task id as input, dynamic H/W/batch."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmocr.registry import MODELS

import mmocr_ext
from mmocr_ext.deployment import export_model
from mmocr_ext.deployment.onnx_utils import run_onnx

pytest.importorskip(
    'onnxruntime',
    reason='onnxruntime not installed (pip install '
    '"mmocr_ext[onnx]"): ONNX export tests skipped')

mmocr_ext.register_all_modules()
REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
UPOCR_TOY = osp.join(REPO, 'configs', 'pixel', 'upocr',
                     'upocr_swinv2-tiny_toy.py')


@pytest.fixture(scope='module')
def upocr():
    """The toy UPOCR (window 4), random; res-post-norms moved away from
    their zero init so every block contributes."""
    torch.manual_seed(0)
    cfg = Config.fromfile(UPOCR_TOY).model
    cfg.loss_removal = None  # no VGG needed for export
    model = MODELS.build(cfg)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if '.norm1.' in name or '.norm2.' in name:
                param.normal_(0.5 if name.endswith('weight') else 0, 0.1)
    return model.eval()


def test_export_upocr(tmp_path, upocr):
    graphs = export_model(
        upocr, str(tmp_path), img_shapes=[(32, 32), (64, 96)])
    assert len(graphs) == 1
    g = graphs[0]
    assert g.name == 'upocr' and osp.isfile(g.path)
    assert g.input_names == ['img', 'task_id']
    assert g.output_names == ['out_4', 'out_2', 'out_1']
    assert g.dynamic_axes['img'] == {0: 'batch', 2: 'height', 3: 'width'}
    assert g.extra['task_list'] == list(upocr.task_list)
    assert g.checked_shapes == [[[1, 3, 32, 32], [1]], [[2, 3, 64, 96], [2]]]
    assert 0 <= g.max_abs_diff <= 1e-3

    # A size that is not a multiple of 32 or of the window (padding and
    # the crop are in the graph), batch 3 mixing the three tasks.
    torch.manual_seed(1)
    img = torch.rand(3, 3, 40, 70)
    task_id = torch.tensor([2, 0, 1])
    outs = run_onnx(g.path, {'img': img.numpy(), 'task_id': task_id.numpy()})
    assert [o.shape for o in outs] == [(3, 3, 10, 18), (3, 3, 20, 35),
                                       (3, 3, 40, 70)]
    with torch.no_grad():
        ref = upocr.run(img, [upocr.task_list[i] for i in task_id])
    for o, r in zip(outs, ref):
        np.testing.assert_allclose(o, r.numpy(), atol=1e-3)
    # the task prompt matters: another task gives another output
    other = run_onnx(g.path, {
        'img': img.numpy(),
        'task_id': np.array([0, 1, 2])
    })
    assert np.abs(other[2] - outs[2]).max() > 1e-4
