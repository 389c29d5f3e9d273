# TCM finetuning schedule (spec B5): poly LR (power 0.9, min 1e-7) over 1200
# epochs, no warmup, no gradient clipping; the optimizer type and lr are set
# per dataset by the leaves (IC15: Adam 1e-4 / wd 1e-4; TD500: Ranger 1e-3;
# CTW1500 and Total-Text: AdamW 1e-4 / wd 1e-4).
# lr multipliers of every TCM config: text encoder 0 (frozen, gradients still
# flow through it), image encoder 0.1, no weight decay on the decoder
# LayerNorms ('norm' matches only norm1..3 of the TCM decoders; CLIP's BNs are
# bn1..3). mmengine tries the longest key first, as mmcv 1.x did.
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
auto_scale_lr = dict(base_batch_size=16)

# Data loading shared by the finetuning leaves (8 GPUs x 16 images); a leaf
# only adds ``dataset=`` to each loader.
train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader
