# InstructOCR pretraining, stage 2 (spec B7, pretrain2.sh): the stage-1
# data and instruction, larger scales (shorter side 704..1600 step 32,
# longer side capped at 1600), 40 epochs (official epochs 200 -> 240) at a
# constant 1e-4, 32 GPUs x 4 images. Starts from stage 1:
#   --cfg-options load_from=work_dirs/<stage-1 run>/epoch_200.pth
_base_ = ['instructocr_clip-r50_200e_pretrain1.py']

train_pipeline = [
    dict(t, scales=[(1600, s) for s in range(704, 1601, 32)])
    if t.type == 'RandomChoiceResize' else t for t in _base_.train_pipeline
]
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))
optim_wrapper = dict(optimizer=dict(lr=1e-4))
train_cfg = dict(max_epochs=40, val_interval=40)
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=True)]
auto_scale_lr = dict(base_batch_size=128)
