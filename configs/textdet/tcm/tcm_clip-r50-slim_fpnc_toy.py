# CPU smoke config: a slimmed TCM (same modules and data flow as TCM-DBNet,
# smaller widths/depths, random init, no download) trained on the bundled
# real ICDAR2015 toy set (10 train / 3 test images) in a few minutes on CPU
# with 2 processes, validated with hmean-iou:
#   bash tools/dist_train.sh \
#       configs/textdet/tcm/tcm_clip-r50-slim_fpnc_toy.py 2
# Full-size models: tcm_clip-r50_fpnc_1200e_icdar2015.py and friends.
_base_ = [
    '_base_tcm_clip-r50_fpnc.py',
    '../_base_/datasets/icdar2015_toy.py',
    '../_base_/schedules/schedule_tcm_adam_1200e.py',
]

max_epochs = 40
crop_size = (480, 480)
# mmocr's default DB post-processing threshold, used by the post-processor
# and, as the deployment threshold, by the metric's ``icdar/hmean``.
min_text_score = 0.3

# The base's sizes, slimmed: CLIP-RN with 1 bottleneck per stage and stem
# width 16 (C2..C5 = 64, 128, 256, 512 channels), a 2-layer 128-wide text
# encoder, 1-layer decoders.
embed_dim = 256
text_width = 128
clip_width = 16
model = dict(
    backbone=dict(
        layers=(1, 1, 1, 1),
        width=clip_width,
        output_dim=embed_dim,
        heads=4,
        input_resolution=crop_size[0],
        init_cfg=None),
    text_encoder=dict(
        transformer_width=text_width,
        transformer_heads=text_width // 64,
        transformer_layers=2,
        embed_dim=embed_dim,
        init_cfg=None),
    visual_prompt_generator=dict(
        transformer_width=64,
        transformer_heads=2,
        transformer_layers=1,
        visual_dim=embed_dim),
    context_decoder=dict(
        transformer_width=64,
        transformer_heads=2,
        transformer_layers=1,
        visual_dim=embed_dim),
    prompt_generator=dict(visual_dim=embed_dim, text_dim=text_width),
    neck=dict(
        in_channels=[
            clip_width * 4, clip_width * 8, clip_width * 16,
            clip_width * 32 + len(_base_.class_names)
        ],
        lateral_channels=128,
        out_channels=32),
    det_head=dict(
        in_channels=128, postprocessor=dict(min_text_score=min_text_score)))

# mmocr's DBNet augmentation at a CPU-friendly crop (no colour jitter).
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
    dict(type='Pad', size=crop_size, pad_val=dict(img=(104, 117, 123))),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape'))
]
test_pipeline = [
    dict(t, scale=(1280, 736)) if t.type == 'Resize' else t
    for t in _base_.test_pipeline
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

val_evaluator = dict(score_thr=min_text_score)
test_evaluator = val_evaluator

# The TCM recipe (lr multipliers as in every TCM config) with a toy-scale lr,
# evaluated and saved once, at the end.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-4))
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(
        type='PolyLR', power=0.9, eta_min=1e-7, by_epoch=True, end=max_epochs)
]
default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(interval=max_epochs))
find_unused_parameters = False
auto_scale_lr = dict(base_batch_size=4)
