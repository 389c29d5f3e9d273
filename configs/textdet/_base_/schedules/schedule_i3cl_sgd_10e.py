# I3CL-R50's mixed-training schedule (spec A5, ms_mixtrain): the
# pretraining schedule with lr 1e-3, x0.1 after epochs 4 and 8, 10 epochs.
# The official stage-2+ configs give only lr and milestones: momentum,
# weight decay and warmup are assumed unchanged from stage 1.
_base_ = ['schedule_i3cl_sgd_20e.py']

optim_wrapper = dict(optimizer=dict(lr=1e-3))
train_cfg = dict(max_epochs=10, val_interval=10)
param_scheduler = [
    _base_.i3cl_warmup,
    dict(
        type='MultiStepLR',
        milestones=[4, 8],
        gamma=0.1,
        by_epoch=True,
        end=10)
]
