# Stage 2 (in-context training) of the in-context learning check
# (docs/e2str.md): from the stage-1 checkpoint (load_from, given on the
# command line), groups of 4 crops of a batch, with their split views
# (char boxes of the synthetic data) and transformed views, are packed into
# one sequence each (spec A3.2 budgets). The official recipe packs the whole
# per-GPU batch (60 crops) into one sequence; small groups give this short
# CPU run 4x more sequences, hence more "same word seen before" events (each
# sequence has >= 2 transformed copies), per image encoded.
_base_ = ['e2str_vit-small_opt-small_3e_icl-synth-stage1.py']

model = dict(
    train_mode='icl',
    icl_train_cfg=dict(max_images=80, samples_per_sequence=4))
train_dataloader = dict(dataset=dict(pipeline=_base_.icl_train_pipeline))
optim_wrapper = dict(optimizer=dict(lr=3e-4))
train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=300, val_interval=300)
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=300, eta_min=1e-6, by_epoch=False)
]
default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=300), logger=dict(interval=20))
log_processor = dict(by_epoch=False)
