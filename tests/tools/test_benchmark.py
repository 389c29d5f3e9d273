# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""MAC counting (hand-computed) and ``tools/benchmark.py`` end to end."""
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmcv.ops import DeformConv2dPack, ModulatedDeformConv2dPack
from torch import nn

from mmocr_ext.utils.complexity import count_macs
from conftest import REPO
from conftest import TOY_CFG as DBNET_TOY

TCM_TOY = osp.join(REPO, 'configs/textdet/tcm/tcm_clip-r50-slim_fpnc_toy.py')


class _Detectorish(nn.Module):
    """conv -> tokens -> self-attention; ``forward(x, mode)`` like mmengine."""

    def __init__(self, deform: bool = False) -> None:
        super().__init__()
        self.backbone = (
            ModulatedDeformConv2dPack(3, 16, 3, padding=1)
            if deform else nn.Conv2d(3, 16, 3, padding=1))
        self.attn = nn.MultiheadAttention(16, num_heads=2)

    def forward(self, x: torch.Tensor, mode: str = 'tensor') -> torch.Tensor:
        x = self.backbone(x).flatten(2).permute(2, 0, 1)  # (HW, B, C)
        return self.attn(x, x, x, need_weights=False)[0]


def test_count_macs_conv_and_attention_by_hand():
    model = _Detectorish().eval()
    macs = count_macs(model, torch.randn(1, 3, 8, 6))
    tokens = 8 * 6
    conv = tokens * 16 * 3 * 3 * 3
    projections = 3 * tokens * 16 * 16 + tokens * 16 * 16  # q, k, v, out
    attention = 2 * tokens * tokens * (8 + 8)  # heads * Lq * Lk * (E + Ev)
    assert macs['total'] == conv + projections + attention
    assert macs['by_module'] == {
        'backbone': conv,
        'attn': projections + attention
    }


def test_count_macs_modulated_deform_conv_by_hand():
    model = _Detectorish(deform=True).eval()
    macs = count_macs(model, torch.randn(1, 3, 8, 6))
    tokens = 8 * 6
    offsets = tokens * 27 * 3 * 3 * 3  # conv_offset: 3 -> 3 * 3 * 3 maps
    deform = tokens * 16 * 3 * 3 * 3  # as the dense 3 -> 16 convolution
    assert macs['by_module']['backbone'] == offsets + deform


def test_count_macs_plain_deform_conv_by_hand():
    model = _Detectorish().eval()
    model.backbone = DeformConv2dPack(3, 16, 3, padding=1)
    macs = count_macs(model, torch.randn(1, 3, 8, 6))
    tokens = 8 * 6
    offsets = tokens * 18 * 3 * 3 * 3  # conv_offset: 3 -> 2 * 3 * 3 maps
    assert macs['by_module']['backbone'] == offsets + tokens * 16 * 3 * 3 * 3


def test_count_macs_tcm_attention_pool_by_hand():
    from mmengine.config import Config
    from mmocr.registry import MODELS
    cfg = Config.fromfile(TCM_TOY)
    cfg.model.backbone.init_cfg = None
    model = MODELS.build(cfg.model).eval()
    macs = count_macs(model, torch.randn(1, 3, 64, 96))
    pool = model.backbone.attnpool
    embed, out = pool.k_proj.weight.shape[1], pool.c_proj.weight.shape[0]
    n = (64 // 32) * (96 // 32) + 1  # grid tokens + the mean token
    expected = (
        3 * n * embed * embed  # q, k, v projections
        + n * embed * out  # c_proj
        + 2 * n * n * embed  # Q K^T and A V over all heads
        + 4 * (n - 1) * embed)  # bilinear pos-embed resize (mmengine)
    assert macs['by_module']['backbone.attnpool'] == expected
    assert macs['total'] > sum(v for k, v in macs['by_module'].items()
                               if k != 'backbone.attnpool')


@pytest.mark.parametrize('interleaved', [False, True])
def test_benchmark_writes_cells(tmp_path, interleaved):
    out = tmp_path / 'bench.json'
    cmd = [
        sys.executable,
        osp.join(REPO, 'tools/benchmark.py'), '--sizes', '64', '--batch-sizes',
        '1', '--iters', '1', '--model', f'db={DBNET_TOY}', '--model',
        f'tcm={TCM_TOY}', '--out',
        str(out)
    ] + (['--interleaved'] if interleaved else [])
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text())
    cells = {c['model']: c for c in data['results']}
    assert set(cells) == {'db', 'tcm'}
    for name, cell in cells.items():
        assert cell['size'] == [64, 128] and cell['batch'] == 1
        assert cell['median_s'] > 0 and cell['gmacs_per_image'] > 0
        assert {'backbone', 'neck', 'det_head'} <= set(cell['components_s'])
        # the parts run inside the timed forward
        assert sum(v for k, v in cell['components_s'].items()
                   if '.' not in k) <= cell['times_s'][0] * 1.05
        assert cell['latency_vs_db'] == pytest.approx(cell['median_s'] /
                                                      cells['db']['median_s'])
    assert {
        'backbone.attnpool', 'text_encoder', 'visual_prompt_generator',
        'context_decoder'
    } <= set(cells['tcm']['components_s'])
    assert 'backbone.attnpool' in cells['tcm']['gmacs_by_module']
    if not interleaved:
        assert cells['tcm']['peak_rss_mib'] > 0
        assert cells['tcm']['macs_vs_db'] == pytest.approx(
            cells['tcm']['gmacs_per_image'] / cells['db']['gmacs_per_image'])


def test_benchmark_i3cl_preset_fixed_detections(tmp_path):
    """Two preset models (subprocess cells): ``predict`` timed with the same
    number of proposals and detections per image for both."""
    out = tmp_path / 'bench_i3cl.json'
    small = ['model.cfg.test_cfg.rpn.max_per_img=20']  # fast box head
    cmd = [
        sys.executable,
        osp.join(REPO, 'tools/benchmark.py'), '--preset', 'i3cl', '--only',
        'mask-rcnn-r50', 'i3cl-r50', '--sizes', '64', '--batch-sizes', '2',
        '--iters', '1', '--warmup', '0', '--threads', '1', '--detections', '3',
        '--model-options', 'mask-rcnn-r50', *small, '--model-options',
        'i3cl-r50', *small, '--out',
        str(out)
    ]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'latency vs mask-rcnn-r50' in proc.stdout
    cells = json.loads(out.read_text())['results']
    assert [c['model'] for c in cells] == ['mask-rcnn-r50', 'i3cl-r50']
    for cell in cells:
        assert cell['timed'] == 'predict'
        assert cell['size'] == [64, 128] and cell['batch'] == 2
        assert cell['detections_per_image'] == [3, 3]
        assert cell['proposals_per_image'] == [20, 20]
        assert cell['test_cfg']['rcnn']['max_per_img'] == 3
        assert cell['median_s'] > 0 and cell['peak_rss_mib'] > 0
        assert cell['gmacs_per_image'] > 0 and cell['macs_vs_mask-rcnn-r50']
        parts = cell['components_s']
        assert {'backbone', 'neck', 'rpn_head', 'roi_head'} <= set(parts)
        assert sum(v for k, v in parts.items()
                   if '.' not in k) <= cell['times_s'][0] * 1.05
        assert cell['latency_vs_mask-rcnn-r50'] == pytest.approx(
            cell['median_s'] / cells[0]['median_s'])
    plain, i3cl = cells
    assert i3cl['options'] == {
        'model.cfg.intracl_on': True,
        'model.cfg.roi_head.intercl_on': True,
        'model.cfg.test_cfg.rpn.max_per_img': 20
    }
    for key in ('components_s', 'gmacs_by_module'):
        assert {'intra_cl_module',
                'roi_head.inter_cl_module'} <= set(i3cl[key])
        assert 'intra_cl_module' not in plain[key]
    assert i3cl['params'] > plain['params']


def test_benchmark_ratios_and_batch_scaling():
    spec = importlib.util.spec_from_file_location(
        'benchmark', osp.join(REPO, 'tools/benchmark.py'))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    cells = [
        dict(
            model=m,
            size=[64, 128],
            batch=b,
            median_s=t,
            images_per_s=b / t,
            gmacs_per_image=g)
        for m, b, t, g in [('a', 1, 1.0,
                            2.0), ('b', 1, 1.5,
                                   None), ('a', 4, 2.0,
                                           2.0), ('b', 4, 4.5, None)]
    ]
    bench.add_ratios(cells, 'a')
    assert [c['latency_vs_a'] for c in cells] == [1.0, 1.5, 1.0, 2.25]
    assert [c['macs_vs_a'] for c in cells] == [1.0, None, 1.0, None]
    assert [c['throughput_vs_batch1']
            for c in cells] == pytest.approx([1.0, 1.0, 2.0, 4 / 3])
