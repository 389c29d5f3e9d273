# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ViTAEv2WindowNoShift: the I3CL ViTAEv2-S backbone (spec A2.4, D)."""
import pytest
import torch
import torch.nn.functional as F
from mmdet.registry import MODELS as MMDET_MODELS
from mmocr.registry import MODELS as MMOCR_MODELS

from mmocr_ext.models.textdet.i3cl.vitae_v2 import ViTAEv2WindowNoShift
from mmocr_ext.models.textdet.i3cl.vitae_window_attention import \
    ViTAEWindowAttention

#: A fast 4-stage variant: same structure, small widths, depth 1.
TINY = dict(
    token_dims=(16, 16, 32, 32),
    embed_dims=(8, 8, 16, 16),
    dilations=((1, 2), (1, 2), (1, 2), (1, 2)),
    rc_heads=(1, 1, 2, 2),
    nc_heads=(1, 2, 2, 4),
    rc_groups=(1, 4, 4, 8),
    nc_groups=(1, 4, 8, 8),
    nc_depths=(1, 1, 1, 1),
    drop_path_rate=0.1)

# Official ViTAEv2-S figures (spec section D and a per-stage breakdown).
VITAEV2_S_PARAMS = 18_844_040
STAGE_PARAMS = [942_331, 729_229, 7_724_032, 9_448_448]


@pytest.fixture(scope='module')
def vitae_s():
    """The full ViTAEv2-S backbone (the class defaults), built once."""
    torch.manual_seed(0)
    return ViTAEv2WindowNoShift().eval()


def num_params(module):
    return sum(p.numel() for p in module.parameters())


def test_vitae_s_parameter_count(vitae_s):
    assert num_params(vitae_s) == VITAEV2_S_PARAMS
    assert [num_params(layer) for layer in vitae_s.layers] == STAGE_PARAMS


def test_vitae_s_checkpoint_key_layout(vitae_s):
    keys = set(vitae_s.state_dict())
    for key in [
            'layers.0.RC.PRM.convs.3.0.weight',
            'layers.1.RC.PRM.convs.2.0.bias', 'layers.0.RC.PCM.0.weight',
            'layers.0.RC.PCM.1.running_var', 'layers.0.RC.PCM.3.weight',
            'layers.0.RC.PCM.4.bias', 'layers.0.RC.PCM.6.weight',
            'layers.0.RC.attn.norm1.weight', 'layers.0.RC.attn.attn.qkv.bias',
            'layers.0.RC.attn.attn.proj.weight',
            'layers.0.RC.attn.attn.relative_position_bias_table',
            'layers.0.RC.attn.attn.relative_position_index',
            'layers.0.RC.attn.norm2.bias', 'layers.0.RC.attn.mlp.fc1.weight',
            'layers.0.RC.attn.mlp.fc2.bias',
            'layers.2.RC.attn.attn.qkv.weight',
            'layers.1.NC.1.attn.relative_position_bias_table',
            'layers.2.NC.7.attn.qkv.bias', 'layers.3.NC.1.PCM.6.weight',
            'layers.3.NC.1.PCM.4.num_batches_tracked',
            'layers.3.NC.1.norm2.weight', 'layers.3.NC.1.mlp.fc2.weight'
    ]:
        assert key in keys, key
    # the token-transformer of the global stages has no qkv bias, and no
    # classifier head or final / per-output norm exists
    assert 'layers.2.RC.attn.attn.qkv.bias' not in keys
    assert all(k.startswith('layers.') for k in keys)
    assert not any('relative_position' in k
                   for k in keys if k.startswith(('layers.2.', 'layers.3.')))


def test_vitae_s_shapes_and_drop_path(vitae_s):
    with torch.no_grad():
        outs = vitae_s(torch.randn(1, 3, 100, 132))
    assert [tuple(o.shape) for o in outs] == [(1, 64, 25, 33),
                                              (1, 128, 13, 17), (1, 256, 7, 9),
                                              (1, 512, 4, 5)]
    # official slicing: stage i starts at nc_depths[i - 1], not cumulative
    dpr = torch.linspace(0, 0.3, 14).tolist()
    rates = [[nc.drop_path.drop_prob for nc in layer.NC]
             for layer in vitae_s.layers[1:]]
    assert rates == [dpr[2:4], dpr[2:10], dpr[8:10]]


@pytest.mark.parametrize('size', [(2, 64, 64), (1, 37, 45)])
def test_tiny_shapes_any_size(size):
    b, h, w = size
    model = ViTAEv2WindowNoShift(**TINY, out_indices=(1, 3)).eval()
    with torch.no_grad():
        outs = model(torch.randn(b, 3, h, w))
    assert [tuple(o.shape)
            for o in outs] == [(b, 16, -(-h // 8), -(-w // 8)),
                               (b, 32, -(-h // 32), -(-w // 32))]


def test_registry_build():
    for registry in (MMDET_MODELS, MMOCR_MODELS):
        model = registry.build(
            dict(type='mmdet.ViTAEv2WindowNoShift', out_indices=(2, ), **TINY))
        assert isinstance(model, ViTAEv2WindowNoShift)
    assert MMDET_MODELS.get('ViTAEv2WindowNoShift') is ViTAEv2WindowNoShift


def test_bias_table_gets_no_gradient():
    model = ViTAEv2WindowNoShift(**TINY).train()
    outs = model(torch.randn(2, 3, 48, 40))
    sum(o.mean() for o in outs).backward()
    tables = [(n, p) for n, p in model.named_parameters()
              if n.endswith('relative_position_bias_table')]
    assert len(tables) == 4  # stages 0-1: one RC + one NC each
    assert all(p.grad is None for _, p in tables)
    assert all(p.grad is not None for n, p in model.named_parameters()
               if not n.endswith('relative_position_bias_table'))


def test_window_padding_is_centred():
    assert ViTAEWindowAttention.centred_padding(25, 7) == (1, 2)
    assert ViTAEWindowAttention.centred_padding(14, 7) == (0, 0)
    torch.manual_seed(0)
    attn = ViTAEWindowAttention(8, 16, num_heads=2, window_size=3).eval()
    x = torch.randn(1, 4, 4, 8)  # padded to 6x6: one zero row/col each side
    with torch.no_grad():
        out = attn(x.reshape(1, 16, 8), (4, 4)).reshape(1, 4, 4, 16)
        # top-left window: padded rows/cols -1..1, zero tokens unmasked
        window = F.pad(x, (0, 0, 1, 1, 1, 1))[:, :3, :3].reshape(1, 9, 8)
        expected = attn.attend(window).reshape(1, 3, 3, 16)
    torch.testing.assert_close(out[:, :2, :2], expected[:, 1:, 1:])


def test_frozen_stages():
    model = ViTAEv2WindowNoShift(**TINY, frozen_stages=1).train()
    for i, layer in enumerate(model.layers):
        frozen = i <= 1
        assert all(p.requires_grad != frozen for p in layer.parameters())
        assert all(m.training != frozen for m in layer.modules())
    assert model.frozen_batch_norms and not any(
        bn.training for bn in model.frozen_batch_norms)


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_matches_cpu():
    torch.manual_seed(0)
    model = ViTAEv2WindowNoShift(**TINY).eval()
    x = torch.randn(1, 3, 50, 70)
    with torch.no_grad():
        ref = model(x)
        outs = model.cuda()(x.cuda())
    for a, b in zip(ref, outs):
        torch.testing.assert_close(a, b.cpu(), rtol=1e-4, atol=1e-4)


def test_reduction_cell_padding_changes_nothing_where_official_runs():
    """39 = 4*9+3: the official PRM and PCM maps agree without padding."""
    torch.manual_seed(0)
    rc = ViTAEv2WindowNoShift(**TINY).eval().layers[0].RC
    x = torch.randn(1, 3, 39, 43)
    with torch.no_grad():
        tokens, hw = rc.PRM(x)
        conv = rc.PCM(x).flatten(2).transpose(1, 2)
        expected = rc.attn(tokens, hw, conv)
        out, out_hw = rc(x)
    assert out_hw == hw == (10, 11)
    torch.testing.assert_close(out, expected)
