# TCM-DBNet (CLIP RN50, 4 learnable tokens) pretraining (spec B5, "st_real3"):
# SynthText (800k) + ICDAR2015 + CTW1500 + Total-Text train sets, plainly
# concatenated; Ranger 1e-3, no weight decay, poly LR over 20 epochs, batch
# 20 per GPU x 8 GPUs, a checkpoint every epoch, evaluated on ICDAR2015 test
# with the default DB post-processing (quad, 0.3/0.3/5/1.5/0.01).
# The finetuning configs start from its last checkpoint via ``load_from``.
_base_ = [
    '_base_tcm_clip-r50_fpnc.py',
    '../../_base_/default_runtime.py',
    '../../_base_/datasets/synthtext.py',
    '../../_base_/datasets/icdar2015.py',
    '../../_base_/datasets/ctw1500.py',
    '../../_base_/datasets/totaltext.py',
    '_base_tcm_schedule_1200e.py',
]

model = dict(
    det_head=dict(
        postprocessor=dict(
            type='DBPostprocessor',
            text_repr_type='quad',
            mask_thr=0.3,
            min_text_score=0.3,
            min_text_width=5,
            unclip_ratio=1.5,
            epsilon_ratio=0.01,
            max_candidates=3000)))

# CTW1500/Total-Text polygons may have < 4 points: fix them for every set.
train_pipeline = _base_.train_pipeline
train_pipeline.insert(2, dict(type='FixInvalidPolygon', min_poly_points=4))
test_pipeline = _base_.test_pipeline

icdar2015_textdet_test = _base_.icdar2015_textdet_test
icdar2015_textdet_test.pipeline = test_pipeline

train_dataloader = dict(
    batch_size=20,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            _base_.synthtext_textdet_train, _base_.icdar2015_textdet_train,
            _base_.ctw1500_textdet_train, _base_.totaltext_textdet_train
        ],
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=icdar2015_textdet_test)
test_dataloader = val_dataloader

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0.0))
train_cfg = dict(max_epochs=20, val_interval=1)
param_scheduler = [
    dict(type='PolyLR', power=0.9, eta_min=1e-7, by_epoch=True, end=20)
]
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=1))
auto_scale_lr = dict(base_batch_size=160)
