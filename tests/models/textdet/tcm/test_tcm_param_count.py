# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Full-size TCM / FastTCM configs: parameter counts by hand.

Every figure below is derived from the layer shapes of CLIP RN50 and of the
TCM modules (docs/tcm.md, "Parameter counts"), not from the code under test.
Models are built on the ``meta`` device (shapes only, no memory, no init),
from the real configs.
"""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmocr.registry import MODELS
from mmocr.utils import register_all_modules

from conftest import REPO

CFG_DIR = osp.join(REPO, 'configs', 'textdet', 'tcm')


def conv(cin, cout, k=1, bias=False):
    return cin * cout * k * k + (cout if bias else 0)


def bn(c):
    return 2 * c  # weight + bias (running stats are buffers)


def ln(c):
    return 2 * c


def linear(cin, cout, bias=True):
    return cin * cout + (cout if bias else 0)


def bottleneck(inplanes, planes):
    """CLIP anti-aliased bottleneck; downsample when shapes differ."""
    n = conv(inplanes, planes) + bn(planes)
    n += conv(planes, planes, 3) + bn(planes)
    n += conv(planes, 4 * planes) + bn(4 * planes)
    if inplanes != 4 * planes:
        n += conv(inplanes, 4 * planes) + bn(4 * planes)  # AvgPool has none
    return n


def clip_rn50_image_encoder(input_resolution=640):
    """CLIP RN50: stem, layers (3,4,6,3), attention pool 2048 -> 1024."""
    n = conv(3, 32, 3) + bn(32) + conv(32, 32, 3) + bn(32)
    n += conv(32, 64, 3) + bn(64)
    inplanes = 64
    for i, blocks in enumerate((3, 4, 6, 3)):
        planes = 64 * 2**i
        for _ in range(blocks):
            n += bottleneck(inplanes, planes)
            inplanes = 4 * planes
    grid = (input_resolution // 32)**2 + 1  # 401 rows for 640 px
    n += grid * 2048  # positional embedding, resized from 50 x 2048
    n += 3 * linear(2048, 2048)  # q/k/v projections with bias
    n += linear(2048, 1024)  # c_proj
    return n


def clip_text_encoder(context_length=18, layers=12, width=512, embed=1024):
    """CLIP text transformer (no logit_scale in TCM)."""
    block = (
        ln(width) + linear(width, 3 * width) + linear(width, width) +
        ln(width) + linear(width, 4 * width) + linear(4 * width, width))
    return (49408 * width + context_length * width + layers * block +
            ln(width) + width * embed)


def context_decoder(layers=3, d=256, v=1024):
    """Context decoder: memory/text projections, pre-norm layers, out_proj."""
    attn = 3 * linear(d, d, bias=False) + linear(d, d)
    layer = 2 * attn + 3 * ln(d) + linear(d, 4 * d) + linear(4 * d, d)
    return (ln(v) + linear(v, d) + ln(d) + ln(v) + linear(v, d) +
            layers * layer + ln(d) + linear(d, v))


def prompt_generator():
    """Prompt generator: LN, Linear(1024,1024), ReLU, LN, Linear(1024,512)."""
    return ln(1024) + linear(1024, 1024) + ln(1024) + linear(1024, 512)


def fpnc(in_channels=(256, 512, 1024, 2049), lateral=256, out=64):
    """FPNC: 1x1 laterals and 3x3 smooth convs without bias or norm."""
    return sum(conv(c, lateral)
               for c in in_channels) + 4 * conv(lateral, out, 3)


def db_head(c=256):
    """DBHead: two branches conv3x3+BN, deconv2x2+BN, deconv2x2 -> 1."""
    branch = (
        conv(c, c // 4, 3) + bn(c // 4) + conv(c // 4, c // 4, 2, True) +
        bn(c // 4) + conv(c // 4, 1, 2, True))
    return 2 * branch


def tcm_total(num_tokens=4, text_layers=12, dec_layers=3):
    return (clip_rn50_image_encoder() +
            clip_text_encoder(14 + num_tokens, text_layers) +
            2 * context_decoder(dec_layers) + prompt_generator() +
            num_tokens * 512 + 1024 + 1 + fpnc() + db_head())


def fast_tcm_extra():
    """FastTCM: meta query (1024) + BSM projection (1024 x 1024, docs)."""
    return 1024 + 1024 * 1024


def build_meta(name):
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(osp.join(CFG_DIR, name))
    with torch.device('meta'):
        return MODELS.build(cfg.model)


def count(module):
    return sum(p.numel() for p in module.parameters())


def test_arithmetic_totals():
    # Independent check of the formulas: with CLIP's own 7x7+1 positional
    # grid and 77 text positions (+ logit_scale) they give OpenAI CLIP RN50's
    # published size, 102,007,137 parameters.
    assert (clip_rn50_image_encoder(224) + clip_text_encoder(77) +
            1 == 102_007_137)
    # The figures quoted in docs/tcm.md.
    assert clip_rn50_image_encoder() == 39_035_744
    assert clip_text_encoder() == 63_660_032
    assert context_decoder() == 3_948_800
    assert tcm_total() == 114_076_899
    assert tcm_total(num_tokens=32) == 114_105_571
    assert tcm_total() + fast_tcm_extra() == 115_126_499


@pytest.mark.parametrize('name,expected', [
    ('tcm_clip-r50_fpnc_1200e_icdar2015.py', tcm_total()),
    ('tcm_clip-r50-ctx32_fpnc_1200e_totaltext.py', tcm_total(32)),
    ('fasttcm_clip-r50_fpnc_1200e_icdar2015.py',
     tcm_total() + fast_tcm_extra()),
    ('fasttcm-lite_clip-r50_fpnc_1200e_icdar2015.py',
     tcm_total(text_layers=3, dec_layers=2) + fast_tcm_extra()),
])
def test_full_config_parameter_count(name, expected):
    model = build_meta(name)
    assert count(model) == expected


def test_full_tcm_module_breakdown():
    model = build_meta('tcm_clip-r50_fpnc_1200e_icdar2015.py')
    assert count(model.backbone) == clip_rn50_image_encoder()
    assert count(model.text_encoder) == clip_text_encoder()
    assert count(model.context_decoder) == context_decoder()
    assert count(model.visual_prompt_generator) == context_decoder()
    assert count(model.prompt_generator) == prompt_generator()
    assert count(model.neck) == fpnc()
    assert count(model.det_head) == db_head()
    # Tensor shapes of the official checkpoints.
    sd = model.state_dict()
    assert sd['backbone.attnpool.positional_embedding'].shape == (401, 2048)
    assert sd['text_encoder.positional_embedding'].shape == (18, 512)
    assert sd['contexts'].shape == (1, 4, 512)
    assert sd['gamma'].shape == (1024, )
    assert sd['neck.lateral_convs.3.conv.weight'].shape == (256, 2049, 1, 1)
