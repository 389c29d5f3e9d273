# E2STR stage 2, in-context training (spec A6): AdamW lr 5e-6 (betas, eps,
# weight decay as stage 1), cosine per iteration to 1e-8 over 5 epochs.
# Official batch: 60 images/GPU x 8 GPUs, one packed sequence per GPU.
_base_ = ['schedule_e2str_adamw_cos_10e.py']

optim_wrapper = dict(optimizer=dict(lr=5e-6))
train_cfg = dict(max_epochs=5)
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=5,
        eta_min=1e-8,
        convert_to_iter_based=True)
]
