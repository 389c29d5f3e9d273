# Smoke config: mmocr's own DBNet-R18 (inherited through ``mmocr::``) trained
# on the bundled real ICDAR2015 toy set (10 train / 3 test images) on CPU in a
# few minutes, validated with hmean-iou. Random init: no download.
_base_ = [
    'mmocr::textdet/dbnet/_base_dbnet_resnet18_fpnc.py',
    '../_base_/default_runtime.py',
    '../_base_/datasets/icdar2015_toy.py',
    'mmocr::textdet/_base_/schedules/schedule_sgd_1200e.py',
]

max_epochs = 20
crop_size = (480, 480)
# mmocr's default DB post-processing threshold, used by the post-processor
# and, as the deployment threshold, by the metric's ``icdar/hmean``.
min_text_score = 0.3

model = dict(
    backbone=dict(init_cfg=None),  # no torchvision:// download
    det_head=dict(postprocessor=dict(min_text_score=min_text_score)))

# mmocr's DBNet augmentation at a CPU-friendly crop size.
train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True),
    dict(
        type='ImgAugWrapper',
        args=[['Fliplr', 0.5],
              dict(cls='Affine', rotate=[-10, 10]), ['Resize', [0.5, 2.0]]]),
    dict(type='RandomCrop', min_side_ratio=0.3),
    dict(type='Resize', scale=crop_size, keep_ratio=True),
    dict(type='Pad', size=crop_size),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape'))
]

train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(_base_.icdar2015_toy_textdet_train, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    # mmocr's DBNet test pipeline: Resize (1333, 736), short side 736.
    dataset=dict(
        _base_.icdar2015_toy_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(score_thr=min_text_score)
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(lr=0.007))
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='PolyLR', power=0.9, eta_min=1e-7, end=max_epochs)
]

default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(interval=max_epochs))
auto_scale_lr = dict(base_batch_size=4)
