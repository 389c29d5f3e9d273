# TCM's finetuning schedule (the released finetuning configs, docs/tcm.md):
# Adam 1e-4 with weight decay 1e-4 (the ICDAR2015 recipe; leaves of other
# datasets replace the optimizer), poly LR (power 0.9, min 1e-7) over 1200
# epochs without warmup or gradient clipping, a checkpoint every 300 epochs
# plus the one with the best fixed-threshold hmean.
#
# A schedule that sets hooks inherits the task runtime and overrides its
# checkpoint hook by key (mmengine refuses ``default_hooks`` in two sibling
# bases), so a leaf lists model, dataset(s) and this schedule.
_base_ = ['../default_runtime.py']

# The lr multipliers of every TCM config: text encoder 0 (frozen; gradients
# still flow through it to the learnable tokens and the prompt generator),
# image encoder 0.1, no weight decay on the decoder LayerNorms ('norm' matches
# only norm1..3 of the TCM decoders; CLIP's BNs are bn1..3). mmengine tries
# the longest key first, as mmcv 1.x did.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4),
    paramwise_cfg=dict(
        custom_keys={
            'backbone': dict(lr_mult=0.1),
            'text_encoder': dict(lr_mult=0.0),
            'norm': dict(decay_mult=0.0)
        }))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=1200, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='PolyLR', power=0.9, eta_min=1e-7, by_epoch=True, end=1200)
]

# ``icdar/hmean`` is the hmean at the deployment score threshold (the
# runtime's ExtHmeanIOUMetric), not the best of a threshold sweep.
default_hooks = dict(
    checkpoint=dict(interval=300, save_best='icdar/hmean', rule='greater'))

auto_scale_lr = dict(base_batch_size=16)
