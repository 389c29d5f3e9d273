# TCM's pretraining schedule (the released "st_real3" pretraining configs,
# docs/tcm.md): the finetuning schedule with Ranger 1e-3 (pytorch-optimizer;
# RAdam + Lookahead + gradient centralization) without weight decay, poly LR
# over 20 epochs, evaluation and a checkpoint every epoch, 8 x 20 images.
_base_ = ['schedule_tcm_adam_1200e.py']

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0.0))
train_cfg = dict(max_epochs=20, val_interval=1)
param_scheduler = [
    dict(type='PolyLR', power=0.9, eta_min=1e-7, by_epoch=True, end=20)
]

# The finetuning configs start from the last epoch, not the best one.
default_hooks = dict(checkpoint=dict(interval=1, save_best=None, rule=None))

auto_scale_lr = dict(base_batch_size=160)
