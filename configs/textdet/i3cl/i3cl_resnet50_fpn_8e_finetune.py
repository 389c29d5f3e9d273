# I3CL-R50 stage 3, finetuning (spec A5, ms_finetune; README: ArT test
# R 73.7 / P 81.2 / F 77.3 for the R50 recipe): LSVT + MLT19 + ArT, the
# I3CL modules switched ON, SGD 5e-4, x0.1 after epochs 4 and 6, 8 epochs,
# 1 image x 4 GPUs. Stage 2's checkpoint has no I3CL modules: they start
# from random initialisation (mmengine reports them as missing keys), as in
# the official recipe.
_base_ = ['i3cl_resnet50_fpn_10e_mixtrain.py']

load_from = 'work_dirs/i3cl_resnet50_fpn_10e_mixtrain/epoch_10.pth'

model = dict(cfg=dict(intracl_on=True, roi_head=dict(intercl_on=True)))

# LSVT + MLT19 + ArT (the augmented ArT copies: see the stage-2 config).
train_dataloader = dict(
    dataset=dict(datasets=[
        _base_.lsvt_textdet_train,
        _base_.mlt19_textdet_train,
        _base_.art_textdet_train,
    ]))

optim_wrapper = dict(optimizer=dict(lr=5e-4))
train_cfg = dict(max_epochs=8, val_interval=8)
param_scheduler = [
    _base_.i3cl_warmup,
    dict(
        type='MultiStepLR', milestones=[4, 6], gamma=0.1, by_epoch=True, end=8)
]
