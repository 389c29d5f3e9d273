# A CPU-sized I3CL for tests and demos: the full I3CL structure (intra-
# instance blocks on P2-P6, inter-instance transformer + global context on
# the mask branch, SSL-aware heads) at reduced widths: ResNet-50 at 1/4
# width (base_channels 16: C2..C5 = 64/128/256/512), FPN 64, blocks 64 -> 16,
# 2 transformer layers of 8 x 3 x 3 = 72-d tokens. Random init, no download.
# Trains on the bundled real ICDAR2015 toy set (data/icdar2015_toy).
_base_ = [
    '_base_i3cl_resnet50_fpn.py',
    '../_base_/datasets/icdar2015_toy.py',
    '../_base_/default_runtime.py',
]

max_epochs = 2
crop_size = (320, 320)
fpn_channels = 64

model = dict(
    cfg=dict(
        backbone=dict(base_channels=16, init_cfg=None),
        neck=dict(in_channels=[64, 128, 256, 512], out_channels=fpn_channels),
        intra_cl=dict(channels=fpn_channels, reduced=16),
        rpn_head=dict(in_channels=fpn_channels, feat_channels=fpn_channels),
        roi_head=dict(
            bbox_roi_extractor=dict(out_channels=fpn_channels),
            mask_roi_extractor=dict(out_channels=fpn_channels),
            inter_cl=dict(
                channels=fpn_channels,
                token_channels=8,
                num_layers=2,
                ffn_channels=128),
            bbox_head=dict(in_channels=fpn_channels, fc_out_channels=128),
            mask_head=dict(
                num_convs=2,
                in_channels=fpn_channels,
                conv_out_channels=fpn_channels)),
        train_cfg=dict(
            rpn=dict(sampler=dict(num=128)), rcnn=dict(sampler=dict(num=128))),
        test_cfg=dict(rpn=dict(nms_pre=300, max_per_img=100))))

_annotations = dict(
    type='LoadOCRAnnotations',
    with_polygon=True,
    with_bbox=True,
    with_label=True)
train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    _annotations,
    dict(
        type='RandomResize',
        scale=crop_size,
        ratio_range=(1.0, 2.0),
        keep_ratio=True),
    dict(type='TextDetRandomCrop', target_size=crop_size),
    dict(type='MMOCR2MMDet', poly2mask=True),
    dict(type='mmdet.RandomFlip', prob=0.5),
    dict(
        type='mmdet.PackDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'flip',
                   'scale_factor', 'flip_direction'))
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(640, 640), keep_ratio=True), _annotations,
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
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
    dataset=dict(_base_.icdar2015_toy_textdet_test, pipeline=test_pipeline))
test_dataloader = val_dataloader

# Every detection the R-CNN keeps (score >= its test score_thr 0.05) counts.
val_evaluator = dict(score_thr=0.05)
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=1e-4))
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=10)
]
default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(interval=max_epochs))
# As the official configs: a batch without positive RoIs leaves the
# inter-instance module (and the mask head) without gradient.
find_unused_parameters = True
auto_scale_lr = dict(base_batch_size=2)
