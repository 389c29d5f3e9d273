# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""tools/deployment/export_onnx.py end to end on toy configs."""
import builtins
import importlib.util
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmocr.registry import MODELS

import mmocr_ext
from mmocr_ext.deployment import SUPPORTED_CLASSES, find_exporter
from mmocr_ext.deployment.onnx_utils import run_onnx

pytest.importorskip(
    'onnxruntime',
    reason='onnxruntime not installed (pip install '
    '"mmocr_ext[onnx]"): ONNX export tests skipped')

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
SCRIPT = osp.join(REPO, 'tools', 'deployment', 'export_onnx.py')
I3CL_TOY = osp.join(REPO, 'configs', 'textdet', 'i3cl',
                    'i3cl_resnet50-slim_fpn_toy.py')
DBNET_TOY = osp.join(REPO, 'configs', 'textdet', 'dbnet',
                     'dbnet_resnet18_fpnc_toy.py')


def _tool():
    spec = importlib.util.spec_from_file_location('export_onnx', SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _exit_message(capsys, argv) -> str:
    with pytest.raises(SystemExit) as err:
        _tool().main(argv)
    assert err.value.code == 1
    msg = capsys.readouterr().err.strip()
    assert msg.startswith('error: ') and '\n' not in msg
    return msg


def test_cli_exports_toy_i3cl(tmp_path, capsys):
    mmocr_ext.register_all_modules()
    torch.manual_seed(3)
    model = MODELS.build(Config.fromfile(I3CL_TOY).model).eval()
    ckpt = tmp_path / 'i3cl.pth'
    torch.save({'state_dict': model.state_dict()}, ckpt)
    out = tmp_path / 'onnx'
    _tool().main([
        I3CL_TOY,
        str(ckpt), '--out-dir',
        str(out), '--shape', '64', '96', '--shape', '96', '64'
    ])
    stdout = capsys.readouterr().out
    names = ['i3cl_backbone', 'i3cl_bbox_head', 'i3cl_mask_head']
    for name in names:
        assert osp.isfile(out / f'{name}.onnx')
        assert name in stdout
    assert 'random weights' not in stdout
    with open(out / 'export_report.json') as f:
        report = json.load(f)
    assert report['model_class'] == 'I3CLWrapper'
    assert report['random_weights'] is False
    assert report['checkpoint'] == str(ckpt)
    # the graph carries the checkpoint's weights
    img = torch.randn(1, 3, 64, 64)
    p2 = run_onnx(str(out / 'i3cl_backbone.onnx'), {'img': img.numpy()})[0]
    with torch.no_grad():
        ref = model.wrapped_model.extract_feat(img)[0]
    assert np.abs(p2 - ref.numpy()).max() < 1e-3
    assert report['atol'] == 1e-3
    assert [g['name'] for g in report['graphs']] == names
    for g in report['graphs']:
        assert 0 <= g['max_abs_diff'] <= 1e-3
        assert g['path'] == str(out / f'{g["name"]}.onnx')
        assert g['dynamic_axes'] and g['input_names'] and g['output_names']
    backbone = report['graphs'][0]
    assert backbone['checked_shapes'] == [[[1, 3, 64, 96]], [[2, 3, 96, 64]]]
    assert backbone['dynamic_axes']['img'] == {
        '0': 'batch',
        '2': 'height',
        '3': 'width'
    }
    assert set(
        report['versions']) >= {'torch', 'onnx', 'onnxruntime', 'mmocr_ext'}


def test_cli_unsupported_model_class(tmp_path, capsys):
    msg = _exit_message(capsys,
                        [DBNET_TOY, 'none', '--out-dir',
                         str(tmp_path)])
    assert "does not support model class 'DBNet'" in msg
    assert 'TCM' in msg and 'UPOCR' in msg
    assert not osp.exists(tmp_path / 'export_report.json')


def test_find_exporter_dispatch():

    class Net(torch.nn.Module):
        pass

    with pytest.raises(ValueError, match="model class 'Net'"):
        find_exporter(Net())
    # subclasses dispatch through the MRO (FastTCM < TCM)
    fast_tcm = type('FastTCM', (torch.nn.Module, ), {})
    child = type('MyFastTCM', (fast_tcm, ), {})
    assert find_exporter(child()).__name__ == 'export_tcm'
    upocr = type('UPOCR', (torch.nn.Module, ), {})
    assert find_exporter(upocr()).__name__ == 'export_upocr'
    assert set(SUPPORTED_CLASSES) >= {
        'TCM', 'FastTCM', 'I3CLWrapper', 'UPOCR', 'E2STR', 'InstructOCR'
    }


def test_cli_missing_onnxruntime(tmp_path, capsys, monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.split('.')[0] == 'onnxruntime':
            raise ImportError('No module named onnxruntime')
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, '__import__', fake_import)
    msg = _exit_message(capsys, [I3CL_TOY, 'none', '--out-dir', str(tmp_path)])
    assert 'onnxruntime is required' in msg
    assert 'pip install "mmocr_ext[onnx]"' in msg


def test_cli_checkpoint_errors(tmp_path, capsys):
    msg = _exit_message(capsys, [I3CL_TOY, str(tmp_path / 'missing.pth')])
    assert 'does not exist' in msg and '"none"' in msg
    bad = tmp_path / 'bad.pth'
    torch.save({'state_dict': {'foo.weight': torch.zeros(1)}}, bad)
    msg = _exit_message(
        capsys,
        [I3CL_TOY, str(bad), '--out-dir',
         str(tmp_path / 'o')])
    assert 'bad.pth' in msg
    assert not osp.exists(tmp_path / 'o' / 'export_report.json')
