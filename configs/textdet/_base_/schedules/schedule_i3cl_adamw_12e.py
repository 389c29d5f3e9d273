# I3CL's ViTAE schedule (spec A5, i3cl_vitae_fpn_ms_train): AdamW 1e-4,
# betas (0.9, 0.999), weight decay 0.05 but none on position tables and
# norms, no gradient clipping; linear warmup over 1000 iterations from
# 1e-3 x lr, x0.1 after epoch 8, 12 epochs; a checkpoint every epoch.
# The runtime is inherited here so that the checkpoint hook is set by key
# (mmengine refuses ``default_hooks`` in two sibling bases): a leaf lists
# model, pipelines, dataset(s) and this schedule.
_base_ = ['../default_runtime.py']

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=1e-4, betas=(0.9, 0.999), weight_decay=0.05),
    paramwise_cfg=dict(
        custom_keys=dict(
            absolute_pos_embed=dict(decay_mult=0.),
            relative_position_bias_table=dict(decay_mult=0.),
            norm=dict(decay_mult=0.))),
    clip_grad=None)
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=12)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=1000),
    dict(type='MultiStepLR', milestones=[8], gamma=0.1, by_epoch=True, end=12)
]

default_hooks = dict(checkpoint=dict(interval=1))
# The I3CL modules get no gradient in some iterations (e.g. no positive
# RoI); the official configs set this too.
find_unused_parameters = True
