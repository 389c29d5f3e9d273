# Stage 1 (plain recognition) of the in-context learning check
# (docs/e2str.md): the small E2STR on 20k synthetic crops in DejaVu fonts
# (data/e2str_icl, tools/misc/make_e2str_icl_data.py); validation on the
# train style (val) and on held-out fonts with unseen words (test).
_base_ = [
    '_base_e2str_vit-small_opt-small.py',
    '../_base_/datasets/e2str_icl_synth.py',
    '../_base_/schedules/schedule_e2str_adamw_cos_10e.py',
    '../_base_/default_runtime.py',
]

train_dataloader = dict(
    batch_size=16,  # per process; 2 processes (dist_train.sh ... 2)
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.e2str_icl_textrecog_train],
        pipeline=_base_.light_train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            _base_.e2str_icl_textrecog_val, _base_.e2str_icl_textrecog_test
        ],
        pipeline=_base_.test_pipeline))
test_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.e2str_icl_textrecog_test],
        pipeline=_base_.test_pipeline))
val_evaluator = dict(dataset_prefixes=['val', 'test'])
test_evaluator = dict(dataset_prefixes=['test'])

model = dict(decode_cfg=dict(num_beams=1))  # greedy validation (speed)
optim_wrapper = dict(optimizer=dict(lr=1e-3), clip_grad=dict(max_norm=1.0))
train_cfg = dict(max_epochs=3, val_interval=1)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=200),
    dict(
        type='CosineAnnealingLR',
        T_max=3,
        eta_min=1e-5,
        convert_to_iter_based=True)
]
default_hooks = dict(logger=dict(interval=20))
