# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""mmocr_ext.deployment.onnx_utils: export, run, compare, check."""
import builtins
import json
import os

import numpy as np
import pytest
import torch
from torch import nn

from mmocr_ext.deployment import onnx_utils
from mmocr_ext.deployment.onnx_utils import (ExportedGraph, OnnxExportError,
                                             OnnxMismatchError, check_graph,
                                             compare_outputs, export_graph,
                                             run_onnx)

pytest.importorskip(
    'onnxruntime',
    reason='onnxruntime not installed (pip install '
    '"mmocr_ext[onnx]"): ONNX export tests skipped')

AXES = {
    'x': {
        0: 'batch',
        2: 'height',
        3: 'width'
    },
    'y': {
        0: 'batch',
        2: 'height',
        3: 'width'
    },
    'pooled': {
        0: 'batch'
    }
}


class _Net(nn.Module):
    """Conv + a dict output (flattened in order) with a shape-dependent op.
    """

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        y = torch.relu(self.conv(x))
        return dict(y=y, pooled=y.mean(dim=(2, 3)))


def _export(tmp_path, **kw):
    torch.manual_seed(0)
    net = _Net()
    path = str(tmp_path / 'sub' / 'net.onnx')
    out = export_graph(net, (torch.randn(1, 3, 8, 8), ), path, ['x'],
                       ['y', 'pooled'], AXES, **kw)
    return net, out


def test_export_run_check_dynamic(tmp_path):
    net, path = _export(tmp_path)
    assert path == str(tmp_path / 'sub' / 'net.onnx')
    # atomic write: nothing but the graph in the folder
    assert os.listdir(tmp_path / 'sub') == ['net.onnx']
    x = torch.randn(2, 3, 12, 20)
    outs = run_onnx(path, {'x': x.numpy()})
    assert [o.shape for o in outs] == [(2, 4, 12, 20), (2, 4)]
    with torch.no_grad():
        ref = net(x)
    assert compare_outputs(list(ref.values()), outs) < 1e-5
    diff = check_graph(net, path, ['x'], ['y', 'pooled'],
                       [(torch.randn(1, 3, 8, 8), ), (x, )])
    assert 0 <= diff < 1e-5
    assert net.training  # mode restored


def test_check_graph_mismatch(tmp_path):
    net, path = _export(tmp_path)
    with torch.no_grad():
        net.conv.bias.add_(0.5)  # PyTorch now differs from the graph
    with pytest.raises(OnnxMismatchError, match=r'net: max abs diff'):
        check_graph(net, path, ['x'], ['y', 'pooled'],
                    [(torch.randn(1, 3, 8, 8), )])
    # within a loose tolerance it passes and reports the difference
    diff = check_graph(
        net,
        path, ['x'], ['y', 'pooled'], [(torch.randn(1, 3, 8, 8), )],
        atol=1.0)
    assert 0.1 < diff <= 0.5 + 1e-5


def test_check_graph_static_shape_mismatch(tmp_path):
    torch.manual_seed(0)
    net = _Net()
    path = str(tmp_path / 'static.onnx')
    # exported without dynamic axes: another size must not pass silently
    export_graph(net, (torch.randn(1, 3, 8, 8), ), path, ['x'],
                 ['y', 'pooled'])
    with pytest.raises(OnnxMismatchError, match=r'^static: '):
        check_graph(net, path, ['x'], ['y', 'pooled'],
                    [(torch.randn(1, 3, 16, 8), )])


def test_export_error_one_line(tmp_path):

    class Bad(nn.Module):

        def forward(self, x):
            return x.numpy()  # not traceable

    with pytest.raises(OnnxExportError) as err:
        export_graph(Bad(), (torch.randn(2), ), str(tmp_path / 'bad.onnx'),
                     ['x'], ['y'])
    assert err.value.name == 'bad'
    assert '\n' not in str(err.value)
    assert os.listdir(tmp_path) == []  # no partial / temporary file


def test_compare_outputs_edge_cases():
    t = [torch.tensor([1.0, float('nan')])]
    assert compare_outputs(t, [np.array([1.5, np.nan])]) == 0.5
    assert compare_outputs(t, [np.array([1.0, 2.0])]) == float('inf')
    assert compare_outputs(t, [np.zeros(3)]) == float('inf')
    assert compare_outputs(t, []) == float('inf')
    assert compare_outputs([torch.zeros(0, 4)], [np.zeros((0, 4))]) == 0.0


def test_exported_graph_to_dict():
    g = ExportedGraph('g', 'g.onnx', ['x'], ['y'], {'x': {
        0: 'batch'
    }}, 1e-6, [[[1, 3]]])
    d = g.to_dict()
    assert d['dynamic_axes'] == {'x': {'0': 'batch'}}
    assert d['max_abs_diff'] == 1e-6 and d['checked_shapes'] == [[[1, 3]]]
    # The checked module and the export inputs ride along (benchmarks) but
    # are never serialised.
    module, x = torch.nn.Linear(3, 2), torch.zeros(1, 3)
    g = ExportedGraph(
        'g',
        'g.onnx', ['x'], ['y'], {},
        0., [[[1, 3]]],
        module=module,
        example_inputs=(x, ))
    assert g.module is module and g.example_inputs[0] is x
    d = g.to_dict()
    assert 'module' not in d and 'example_inputs' not in d
    json.dumps(d)


def test_missing_onnxruntime_message(monkeypatch, tmp_path):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == 'onnxruntime' or name.startswith('onnxruntime.'):
            raise ImportError('No module named onnxruntime')
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, '__import__', fake_import)
    with pytest.raises(ImportError, match=r'pip install "mmocr_ext\[onnx\]"'):
        run_onnx(str(tmp_path / 'x.onnx'), {})
    assert 'mmocr_ext[onnx]' in onnx_utils.ORT_MISSING_MSG
