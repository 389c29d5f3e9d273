# mmocr's DBNet-R18 (inherited through ``mmocr::``), random init, trained on
# synthetic scene text rendered on the fly (docs/synth.md) on CPU in about
# 15 minutes with 2 processes; held-out synthetic test set
# (data/synth_textdet_test, written by tools/run_demo.sh).
_base_ = [
    'mmocr::textdet/dbnet/_base_dbnet_resnet18_fpnc.py',
    '../_base_/default_runtime.py',
    '../_base_/datasets/synth_render.py',
]

max_epochs = 10
min_text_score = 0.3

model = dict(
    backbone=dict(init_cfg=None),  # no torchvision:// download
    det_head=dict(
        postprocessor=dict(
            text_repr_type='poly', min_text_score=min_text_score)))

train_pipeline = [
    dict(type='LoadImageFromNDArray'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape'))
]
val_pipeline = [
    dict(type='LoadImageFromNDArray'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(1280, 736), keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]

train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(_base_.synth_render_textdet_train, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(_base_.synth_render_textdet_val, pipeline=val_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(_base_.synth_textdet_test, pipeline=test_pipeline))

val_evaluator = dict(score_thr=min_text_score)
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=2e-3, weight_decay=1e-4),
    clip_grad=dict(max_norm=10.))
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=2)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, end=50),
    dict(
        type='PolyLR',
        power=0.9,
        eta_min=1e-6,
        by_epoch=True,
        begin=0,
        end=max_epochs)
]
default_hooks = dict(
    logger=dict(interval=10), checkpoint=dict(interval=max_epochs))
auto_scale_lr = dict(base_batch_size=16)
