# UPOCR's optimisation (spec §5): AdamW (betas 0.9/0.999, eps 1e-8, weight
# decay 1e-4 on every parameter), encoder at 0.1x the rate (substring match
# on 'encoder', as the official groups), gradient clipping at total norm
# 0.1, 80k iterations as 400 "epochs" of 200 with the official staircase:
# warm-up from 1e-4 over 10 epochs, linear decay to a 1e-5 floor
# (UPOCRStaircaseLR). The official run trains in fp16 AMP: add ``--amp`` to
# tools/train.py on a GPU (mmengine's AmpOptimWrapper, dynamic loss scale,
# unscales before clipping); CPU training runs in fp32. The frozen VGG-16 of
# the removal loss has no parameters in the model, so none in the
# optimizer. This schedule sets iteration-based checkpointing (every 2,000
# iterations, as the official run) and logging, so it inherits the task
# runtime and overrides its hooks by key.
_base_ = ['../default_runtime.py']

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=5e-4, betas=(0.9, 0.999), eps=1e-8,
        weight_decay=1e-4),
    clip_grad=dict(max_norm=0.1, norm_type=2),
    paramwise_cfg=dict(custom_keys={'encoder': dict(lr_mult=0.1)}))
param_scheduler = [
    dict(
        type='UPOCRStaircaseLR',
        iters_per_epoch=200,
        warmup_epochs=10,
        warmup_start_lr=1e-4,
        base_lr=5e-4,
        min_lr=1e-5,
        total_epochs=400,
        by_epoch=False)
]
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=80000, val_interval=80000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    checkpoint=dict(interval=2000, by_epoch=False),
    logger=dict(type='LoggerHook', interval=50))
log_processor = dict(by_epoch=False)
