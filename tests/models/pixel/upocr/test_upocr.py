# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The whole UPOCR model (spec §8 tiny random config)."""
import pytest
import torch
from mmengine.runner.checkpoint import (get_state_dict, load_checkpoint,
                                        save_checkpoint, weights_to_cpu)
from upocr_tiny import build_tiny, samples

REMOVAL, TAMPER, SEG = 'text_removal', 'tamper_detection', 'text_segmentation'


@pytest.fixture(scope='module')
def model():
    return build_tiny().eval()


@pytest.mark.parametrize('shape', [(128, 128), (100, 150)])
def test_three_scales_any_size(model, shape):
    h, w = shape
    with torch.no_grad():
        outs = model(torch.rand(2, 3, h, w), samples([SEG, REMOVAL], shape))
    assert [tuple(o.shape) for o in outs] == [(2, 3, -(-h // r), -(-w // r))
                                              for r in (4, 2, 1)]
    # the padded run (100 x 150 -> 128 x 160) cropped back: the kept
    # region equals the same image padded by hand
    if shape == (100, 150):
        x = torch.rand(1, 3, h, w)
        padded = torch.zeros(1, 3, 128, 160)
        padded[..., :h, :w] = x
        with torch.no_grad():
            a = model.run(x, [SEG])[-1]
            b = model.run(padded, [SEG])[-1][..., :h, :w]
        assert torch.allclose(a, b, atol=1e-6)


def test_task_prompt_changes_the_output(model):
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        outs = [model.run(x, [t])[-1] for t in (REMOVAL, TAMPER, SEG)]
    assert not torch.allclose(outs[0], outs[1], atol=1e-4)
    assert not torch.allclose(outs[1], outs[2], atol=1e-4)


def test_mixed_task_batch_equals_per_task_runs(model):
    torch.manual_seed(3)
    x = torch.rand(3, 3, 64, 96)
    tasks = [SEG, REMOVAL, TAMPER]
    with torch.no_grad():
        mixed = model.run(x, tasks)
        for i, task in enumerate(tasks):
            single = model.run(x[i:i + 1], [task])
            for m, s in zip(mixed, single):
                assert torch.allclose(m[i:i + 1], s, atol=1e-4)


def test_unknown_task_is_a_clear_error(model):
    with pytest.raises(ValueError, match="'ocr'.*task_list"):
        model(torch.rand(1, 3, 32, 32), samples(['ocr'], (32, 32)))
    with pytest.raises(ValueError, match='unknown tasks'):
        build_tiny(task_list=['text_removal', 'deblur'])


def test_losses_per_task_present_and_backward():
    model = build_tiny().train()
    x = torch.rand(3, 3, 64, 64)
    losses = model(x, samples([REMOVAL, SEG, TAMPER], (64, 64)), 'loss')
    assert sorted(losses) == sorted([
        'textremoval_MSR_loss', 'textremoval_prc_loss',
        'textremoval_style_loss', 'textseg_l1_loss', 'textseg_pos_l1',
        'textseg_neg_l1', 'ttd_l1_loss'
    ])
    total = sum(v for k, v in losses.items() if 'loss' in k)
    assert torch.isfinite(total)
    total.backward()
    grads = [p.grad for p in model.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)
    # a task absent from the batch adds no keys
    seg_only = model(x[:2], samples([SEG, SEG], (64, 64)), 'loss')
    assert sorted(seg_only) == [
        'textseg_l1_loss', 'textseg_neg_l1', 'textseg_pos_l1'
    ]


def test_removal_loss_uses_its_rows_only():
    model = build_tiny().train()
    x = torch.rand(2, 3, 64, 64)
    data = samples([SEG, REMOVAL], (64, 64))
    losses = model(x, data, 'loss')
    with torch.no_grad():
        outs = model.run(x, [SEG, REMOVAL])
    target = data[1].gt_pixel.img[None].float() / 255
    mask = data[1].gt_pixel.text_mask[None].float()
    expected = model.loss_removal[0]([o[1:] for o in outs], target, mask)
    assert losses['textremoval_MSR_loss'].item() == pytest.approx(
        expected['MSR_loss'].item(), rel=1e-5)


def test_predict_fills_the_fields(model):
    x = torch.rand(3, 3, 64, 64)
    data = samples([REMOVAL, SEG, TAMPER], (64, 64),
                   ori_shape=(50, 90),
                   with_gt=False)
    with torch.no_grad():
        out = model(x, data, 'predict')
    for s in out:
        assert s.pred_pixel.img.shape == (3, 64, 64)
        assert 0 <= s.pred_pixel.img.min() and s.pred_pixel.img.max() <= 1
        assert s.pred_img.img.shape == (3, 50, 90)
        assert s.pred_img.img.dtype == torch.uint8
    assert 'pred_sem_seg' not in out[0]
    assert out[1].pred_sem_seg.data.shape == (1, 50, 90)
    assert out[2].pred_sem_seg.data.dtype == torch.int64


def test_predict_decodes_threshold_argmax_and_truncation(model, monkeypatch):
    full = torch.zeros(2, 3, 4, 4)
    full[0, :, :, :2] = torch.tensor([.5, .5, .2])[:, None, None]  # .4
    full[0, :, :, 2:] = torch.tensor([.5, .5, .3])[:, None, None]  # .433
    full[1, 2, :2] = 1.  # tampered on top, real text below
    full[1, 1, 2:] = .6
    monkeypatch.setattr(model, 'run', lambda x, t: [None, None, full])
    data = samples([SEG, TAMPER], (4, 4), with_gt=False)
    out = model.predict(torch.zeros(2, 3, 4, 4), data)
    seg = out[0].pred_sem_seg.data[0]
    assert seg[:, :2].sum() == 0 and bool(seg[:, 2:].all())  # mean > 0.4
    assert out[1].pred_sem_seg.data[0, :, 0].tolist() == [2, 2, 1, 1]
    assert out[0].pred_img.img[2, 0, 0].item() == 51  # floor(0.2 * 255)
    data = samples([SEG], (4, 4), ori_shape=(8, 8), with_gt=False)
    big = model.predict(torch.zeros(1, 3, 4, 4), data)[0]
    assert big.pred_sem_seg.data.shape == (1, 8, 8)
    assert big.pred_sem_seg.data[0, :, :3].sum() == 0
    assert bool(big.pred_sem_seg.data[0, :, 5:].all())


def test_cpu_autocast_bfloat16_forward_and_loss():
    model = build_tiny().train()
    x = torch.rand(2, 3, 32, 32)  # small: bf16 convolutions are slow on CPU
    with torch.autocast(device_type='cpu', dtype=torch.bfloat16):
        outs = model(x, samples([REMOVAL, TAMPER], (32, 32)))
        losses = model(x, samples([REMOVAL, TAMPER], (32, 32)), 'loss')
    assert outs[-1].dtype == torch.bfloat16
    assert losses['textremoval_style_loss'].dtype == torch.float32
    total = sum(v for k, v in losses.items() if 'loss' in k)
    assert torch.isfinite(total)
    total.backward()


def test_vgg_never_reaches_state_dict_or_checkpoints(tmp_path):
    model = build_tiny()
    vgg = model.loss_removal[1].vgg
    assert not any('vgg' in k for k in model.state_dict())
    ids = {id(p) for p in model.parameters()}
    assert not any(id(p) in ids for p in vgg.parameters())
    path = str(tmp_path / 'iter_1.pth')
    save_checkpoint({'state_dict': weights_to_cpu(get_state_dict(model))},
                    path)
    saved = torch.load(path, map_location='cpu', weights_only=True)
    assert set(saved['state_dict']) == set(model.state_dict())
    fresh = build_tiny(seed=1)  # strict load, same outputs
    load_checkpoint(fresh, path, strict=True)
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        assert torch.equal(model.eval().run(x, [SEG])[-1],
                           fresh.eval().run(x, [SEG])[-1])
    model.to(torch.float64)  # the VGG follows the model
    assert vgg.enc_1[0].weight.dtype == torch.float64


def test_loss_on_an_odd_training_size():
    model = build_tiny().train()
    losses = model(
        torch.rand(2, 3, 60, 90), samples([REMOVAL, SEG], (60, 90)), 'loss')
    total = sum(v for k, v in losses.items() if 'loss' in k)
    assert torch.isfinite(total)
    total.backward()
