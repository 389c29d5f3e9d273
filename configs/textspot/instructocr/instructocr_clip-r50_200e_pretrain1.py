# InstructOCR pretraining, stage 1 (spec B7, pretrain1.sh): ICDAR 2013 /
# 2015 / Total-Text training sets (and whatever else
# _base_instructocr_pretrain_data.py lists), instruction always "all text",
# shorter side 704..1024 (step 32) with the longer side capped at 1024,
# 200 epochs at lr 4.4e-4 after a linear warm-up from 1e-4 over 5 epochs.
# Official batch: 32 GPUs x 10 images (auto_scale_lr base 320).
_base_ = [
    '_base_instructocr_clip-r50.py',
    '_base_instructocr_pretrain_data.py',
    '../_base_/schedules/schedule_instructocr_adamw.py',
    '../_base_/default_runtime.py',
]

train_pipeline = [
    dict(t, stage='pretrain') if t.type == 'GenerateInstruction' else t
    for t in _base_.train_pipeline
]
train_dataloader = dict(
    batch_size=10,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=_base_.instructocr_pretrain_sets,
        pipeline=train_pipeline))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _base_.icdar2015_textspotting_test, pipeline=_base_.test_pipeline))
test_evaluator = dict(type='PointSpottingMetric', prefix='icdar2015/none')

optim_wrapper = dict(optimizer=dict(lr=4.4e-4))
train_cfg = dict(max_epochs=200, val_interval=200)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-4 / 4.4e-4,
        end_factor=1.0,
        begin=0,
        end=5,
        by_epoch=True),
    dict(type='ConstantLR', factor=1.0, begin=5, by_epoch=True),
]
auto_scale_lr = dict(base_batch_size=320)
