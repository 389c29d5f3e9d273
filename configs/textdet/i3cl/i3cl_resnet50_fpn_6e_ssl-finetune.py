# I3CL-R50 SSL finetuning, the last stage of the R50 recipe (spec A5,
# ms_ssl_finetune): the *_lossweight sets (LSVT train and test images,
# MLT19, ArT; the three augmented ArT copies: see the stage-2 config), the
# I3CL modules switched ON (randomly initialised: the SSL checkpoint has
# none), SGD 5e-4, x0.1 after epochs 2 and 5, 6 epochs, 1 image x 4 GPUs.
_base_ = ['i3cl_resnet50_fpn_10e_ssl.py']

load_from = 'work_dirs/i3cl_resnet50_fpn_10e_ssl/epoch_10.pth'

model = dict(cfg=dict(intracl_on=True, roi_head=dict(intercl_on=True)))

train_cfg = dict(max_epochs=6, val_interval=6)
param_scheduler = [
    _base_.i3cl_warmup,
    dict(
        type='MultiStepLR', milestones=[2, 5], gamma=0.1, by_epoch=True, end=6)
]
