# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's staircase learning rate: the official per-epoch values."""
import pytest
import torch
from mmengine.optim import build_optim_wrapper
from mmocr.registry import PARAM_SCHEDULERS

from mmocr_ext.engine.schedulers import UPOCRStaircaseLR, upocr_lr_factor


def official_lr(epoch: int) -> float:
    """Spec §5, as written there: warm-up epochs 0-9, then linear decay."""
    if epoch < 10:
        return 1e-4 + (5e-4 - 1e-4) * epoch / 10
    return max((399 - epoch) * 5e-4 / 400, 1e-5)


def test_factor_matches_the_official_values():
    for epoch in (0, 1, 9, 10, 200, 390, 391, 399, 500):
        for offset in (0, 199):
            step = epoch * 200 + offset
            got = 5e-4 * upocr_lr_factor(step, 200, 10, 0.2, 400, 0.02)
            assert got == pytest.approx(official_lr(epoch), rel=1e-12)
    assert 5e-4 * upocr_lr_factor(10 * 200, 200, 10, 0.2, 400,
                                  0.02) == pytest.approx(4.8625e-4)
    assert 5e-4 * upocr_lr_factor(200 * 200, 200, 10, 0.2, 400,
                                  0.02) == pytest.approx(2.4875e-4)


def test_scheduler_drives_both_groups():
    model = torch.nn.ModuleDict(
        dict(encoder=torch.nn.Linear(2, 2), decoder=torch.nn.Linear(2, 2)))
    wrapper = build_optim_wrapper(
        model,
        dict(
            type='OptimWrapper',
            optimizer=dict(type='AdamW', lr=5e-4, weight_decay=1e-4),
            paramwise_cfg=dict(custom_keys={'encoder': dict(lr_mult=0.1)})))
    scheduler = PARAM_SCHEDULERS.build(
        dict(type='UPOCRStaircaseLR', iters_per_epoch=2, total_epochs=400),
        default_args=dict(optimizer=wrapper))
    assert isinstance(scheduler, UPOCRStaircaseLR)
    seen = []
    for step in range(2 * 12):
        lrs = sorted({g['lr'] for g in wrapper.optimizer.param_groups})
        seen.append((step, lrs))
        wrapper.optimizer.step()
        scheduler.step()
    for step, (low, high) in seen:
        epoch = step // 2
        assert high == pytest.approx(official_lr(epoch), rel=1e-9)
        assert low == pytest.approx(0.1 * official_lr(epoch), rel=1e-9)


def test_epoch_based_is_refused():
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=5e-4)
    with pytest.raises(ValueError, match='by_epoch=False'):
        UPOCRStaircaseLR(opt, by_epoch=True)
