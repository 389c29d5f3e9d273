# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/model_converters/upocr_official_to_mmocr_ext.py``.

No official checkpoint is available offline, so the toy UPOCR (random
weights, res-post-norms perturbed away from their zero init so that every
block matters) is saved in the official layout: ``{'model', 'epoch',
'args'}`` with a pickled ``argparse.Namespace`` and the ``vgg16.*`` tensors
a self-trained official checkpoint carries. The tool converts it and a
fresh toy model loads it strictly: identical outputs for every task prompt.
"""
import argparse
import importlib.util
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmocr.registry import MODELS

from mmocr_ext import register_all_modules
from mmocr_ext.compat import load_checkpoint_safely
from conftest import REPO

CONVERTER = osp.join(REPO, 'tools', 'model_converters',
                     'upocr_official_to_mmocr_ext.py')
TOY_CFG = osp.join(REPO, 'configs', 'pixel', 'upocr',
                   'upocr_swinv2-tiny_toy.py')
OFFICIAL_ORDER = ['text_removal', 'tamper_detection', 'text_segmentation']


def _converter():
    spec = importlib.util.spec_from_file_location('upocr_converter', CONVERTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _model(task_list, seed):
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(TOY_CFG).model
    cfg.task_list = task_list
    torch.manual_seed(seed)
    model = MODELS.build(cfg)
    model.init_weights()
    with torch.no_grad():
        for name, param in model.named_parameters():
            if '.norm1.' in name or '.norm2.' in name:
                param.normal_(0.5 if name.endswith('weight') else 0, 0.1)
    return model.eval()


def _official(model, data_cfg_paths):
    state = dict(model.state_dict())
    # The frozen loss network a self-trained official checkpoint carries.
    state['vgg16.enc_1.0.weight'] = torch.randn(64, 3, 3, 3)
    state['vgg16.enc_1.0.bias'] = torch.randn(64)
    args = argparse.Namespace(data_cfg_paths=data_cfg_paths, lr=5e-4, amp=True)
    return dict(model=state, epoch=399, args=args)


def _outputs(model, tasks):
    torch.manual_seed(1)
    x = torch.rand(len(tasks), 3, 64, 96)
    with torch.no_grad():
        return model.run(x, tasks)


@pytest.mark.parametrize(
    'paths', [
        None,
        [
            'configs/data/textseg.yaml', 'configs/data/scut-enstext.yaml',
            'configs/data/tampered-ic13.yaml'
        ],
    ],
    ids=['official-order', 'other-order'])
def test_convert_loads_strictly_with_identical_outputs(tmp_path, paths):
    order = (
        OFFICIAL_ORDER if paths is None else _converter().task_list_from_args(
            argparse.Namespace(data_cfg_paths=paths)))
    if paths is not None:
        assert order == [
            'text_segmentation', 'text_removal', 'tamper_detection'
        ]
    source = _model(order, seed=0)
    src, dst = tmp_path / 'upocr.pth', tmp_path / 'converted.pth'
    torch.save(_official(source, paths), src)
    assert _converter().main([str(src), str(dst), '--config', TOY_CFG]) == 0

    ckpt = load_checkpoint_safely(str(dst))
    assert not [k for k in ckpt['state_dict'] if k.startswith('vgg16')]
    assert ckpt['meta']['task_list'] == OFFICIAL_ORDER
    assert ckpt['meta']['source_task_list'] == order
    assert ckpt['meta']['source_epoch'] == 399
    target = _model(OFFICIAL_ORDER, seed=5)
    missing, unexpected = target.load_state_dict(
        ckpt['state_dict'], strict=True)
    assert not missing and not unexpected
    # Every prompt, one task per sample, in a mixed batch.
    tasks = ['text_segmentation', 'text_removal', 'tamper_detection']
    for ours, theirs in zip(_outputs(target, tasks), _outputs(source, tasks)):
        assert torch.equal(ours, theirs)


def test_prompt_rows_follow_the_task_names():
    conv = _converter()
    rows = torch.arange(6.).view(3, 2)
    state = {conv.PROMPT_KEY: rows}
    out = conv.reorder_prompts(state, ['b', 'c', 'a'], ['a', 'b', 'c'])
    assert out[conv.PROMPT_KEY].tolist() == [[4, 5], [0, 1], [2, 3]]
    with pytest.raises(ValueError, match='do not match'):
        conv.reorder_prompts(state, ['a', 'b', 'x'], ['a', 'b', 'c'])
    assert conv.task_list_from_args(None) is None
    assert conv.task_list_from_args(
        argparse.Namespace(data_cfg_paths=['a.yaml'])) is None


def test_stray_key_and_foreign_file_are_refused(tmp_path, capsys):
    conv = _converter()
    ckpt = _official(_model(OFFICIAL_ORDER, seed=0), None)
    ckpt['model']['decoder.extra.weight'] = torch.zeros(1)
    src = tmp_path / 'stray.pth'
    torch.save(ckpt, src)
    dst = tmp_path / 'out.pth'
    assert conv.main([str(src), str(dst), '--config', TOY_CFG]) == 1
    assert 'unexpected: decoder.extra.weight' in capsys.readouterr().err
    assert not dst.exists()
    torch.save(dict(model={'backbone.conv1.weight': torch.zeros(1)}), src)
    assert conv.main([str(src), str(dst), '--config', TOY_CFG]) == 2
    assert 'not an official UPOCR checkpoint' in capsys.readouterr().err
    assert not dst.exists()
