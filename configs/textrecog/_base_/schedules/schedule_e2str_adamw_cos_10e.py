# E2STR stage 1 (spec A6): AdamW lr 1e-4, betas (0.9, 0.999), eps 1e-8,
# weight decay 0.01; cosine annealing per iteration to 1e-8 over 10 epochs.
# Official batch: 32 images/GPU x 8 GPUs; auto_scale_lr base 512 (used only
# with --auto-scale-lr, as in the official configs).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=1e-4, betas=(0.9, 0.999), eps=1e-8,
        weight_decay=0.01))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=10, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=10,
        eta_min=1e-8,
        convert_to_iter_based=True)
]
auto_scale_lr = dict(base_batch_size=512)
