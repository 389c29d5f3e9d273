# I3CL-R50's SynthText150K pretraining schedule (spec A5, ms_pretrain): SGD
# lr 0.01, momentum 0.9, weight decay 1e-4, no gradient clipping; linear
# warmup over 1000 iterations from 1e-3 x lr, x0.1 after epochs 4, 10 and
# 16, 20 epochs; a checkpoint every epoch. The later R50 stages change the
# learning rate and milestones (schedule_i3cl_sgd_10e.py and the leaves).
# The runtime is inherited here so that the checkpoint hook is set by key
# (mmengine refuses ``default_hooks`` in two sibling bases): a leaf lists
# model, pipelines, dataset(s) and this schedule.
_base_ = ['../default_runtime.py']

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4),
    clip_grad=None)
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=20)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# The warmup of every I3CL-R50 stage (mmdet 2.x: warmup='linear',
# warmup_iters=1000, warmup_ratio=1e-3).
i3cl_warmup = dict(
    type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=1000)
param_scheduler = [
    i3cl_warmup,
    dict(
        type='MultiStepLR',
        milestones=[4, 10, 16],
        gamma=0.1,
        by_epoch=True,
        end=20)
]

default_hooks = dict(checkpoint=dict(interval=1))
# The I3CL modules get no gradient in some iterations (and none at all in
# the stages that switch them off); the official configs set this too.
find_unused_parameters = True
