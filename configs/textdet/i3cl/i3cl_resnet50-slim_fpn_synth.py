# The I3CL learning check (issue 11, docs/i3cl.md): the slim I3CL-R50 of
# i3cl_resnet50-slim_fpn_toy.py, random init, trained on synthetic scene text
# rendered on the fly (docs/synth.md) with 2 CPU processes:
#   CONFIG=configs/textdet/i3cl/i3cl_resnet50-slim_fpn_synth.py \
#       bash tools/run_demo.sh
# which trains with tools/dist_train.sh, tests on the held-out synthetic set
# (seed 2, data/synth) and on the real ICDAR2015 toy images, and writes the
# learning curve (summary.json, learning_curve.png).
_base_ = [
    'i3cl_resnet50-slim_fpn_toy.py',
    '../_base_/datasets/synth.py',
]

max_epochs = 6
# I3CL's own polygon post-processing (first contour, approxPolyDP 0.005,
# score > score_thr) at the threshold of the fixed-threshold hmean; the
# sweep above it is reported as icdar/best_hmean.
score_thr = 0.5

model = dict(
    postprocessor=dict(type='I3CLMaskPostprocessor', score_thr=score_thr),
    cfg=dict(
        # Random init: BN must learn its statistics (no frozen stem/BN).
        backbone=dict(frozen_stages=-1, norm_eval=False),
        # mmocr's text anchors (Mask R-CNN for text, mmocr configs): wide
        # and tall aspect ratios; the official I3CL keeps 0.5/1/2 at scale 8.
        rpn_head=dict(
            anchor_generator=dict(
                scales=[4], ratios=[0.17, 0.44, 1.13, 2.90, 7.46]))))

_annotations = dict(
    type='LoadOCRAnnotations',
    with_polygon=True,
    with_bbox=True,
    with_label=True)
# Rendered images come as arrays at the training size: no resize or crop.
train_pipeline = [
    dict(type='LoadImageFromNDArray'), _annotations,
    dict(type='MMOCR2MMDet', poly2mask=True),
    dict(
        type='mmdet.PackDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape'))
]
val_pipeline = [
    dict(type='LoadImageFromNDArray'),
    dict(type='Resize', scale_factor=1.0),  # no resize; sets scale_factor
    _annotations,
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale_factor=1.0), _annotations,
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]

train_dataloader = dict(
    batch_size=4,
    dataset=dict(
        _base_.synth_textdet_train, pipeline=train_pipeline, _delete_=True))
val_dataloader = dict(
    batch_size=4,
    dataset=dict(
        _base_.synth_textdet_val, pipeline=val_pipeline, _delete_=True))
test_dataloader = dict(
    batch_size=4,
    dataset=dict(
        _base_.synth_textdet_test, pipeline=test_pipeline, _delete_=True))

val_evaluator = dict(score_thr=score_thr)
test_evaluator = val_evaluator

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=1e-4),
    clip_grad=dict(max_norm=10.))
train_cfg = dict(max_epochs=max_epochs, val_interval=1)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(
        type='MultiStepLR',
        milestones=[5],
        gamma=0.1,
        by_epoch=True,
        end=max_epochs)
]
default_hooks = dict(
    logger=dict(interval=10), checkpoint=dict(interval=max_epochs))
auto_scale_lr = dict(base_batch_size=8)
