# CPU smoke config: a slimmed TCM (same modules and data flow as TCM-DBNet,
# smaller widths/depths, random init, no download) trained on the bundled
# real ICDAR2015 toy set (10 train / 3 test images) in a few minutes on CPU
# with 2 processes, validated with hmean-iou.
#   bash tools/dist_train.sh configs/textdet/tcm/tcm_clip-r50-slim_fpnc_toy.py 2
# Full-size models: tcm_clip-r50_fpnc_1200e_icdar2015.py and friends.
_base_ = [
    '_base_tcm_clip-r50_fpnc.py',
    '../../_base_/default_runtime.py',
    '../../_base_/datasets/icdar2015_toy.py',
    '_base_tcm_schedule_1200e.py',
]

max_epochs = 40
crop_size = (480, 480)

# CLIP-RN with 1 bottleneck per stage and stem width 16 (C2..C5 = 64, 128,
# 256, 512 channels), a 2-layer 128-wide text encoder, 1-layer decoders.
model = dict(
    backbone=dict(
        layers=(1, 1, 1, 1),
        width=16,
        output_dim=256,
        heads=4,
        input_resolution=crop_size[0],
        init_cfg=None),
    text_encoder=dict(
        transformer_width=128,
        transformer_heads=2,
        transformer_layers=2,
        embed_dim=256,
        init_cfg=None),
    visual_prompt_generator=dict(
        transformer_width=64,
        transformer_heads=2,
        transformer_layers=1,
        visual_dim=256),
    context_decoder=dict(
        transformer_width=64,
        transformer_heads=2,
        transformer_layers=1,
        visual_dim=256),
    prompt_generator=dict(visual_dim=256, text_dim=128),
    neck=dict(
        in_channels=[64, 128, 256, 513], lateral_channels=128,
        out_channels=32),
    det_head=dict(in_channels=128))

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
test_pipeline = _base_.test_pipeline
test_pipeline[1]['scale'] = (1280, 736)

icdar2015_toy_textdet_train = _base_.icdar2015_toy_textdet_train
icdar2015_toy_textdet_train.pipeline = train_pipeline
icdar2015_toy_textdet_test = _base_.icdar2015_toy_textdet_test
icdar2015_toy_textdet_test.pipeline = test_pipeline

train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=icdar2015_toy_textdet_train)
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=icdar2015_toy_textdet_test)
test_dataloader = val_dataloader

# The TCM recipe (lr multipliers as in every TCM config) with a toy-scale lr.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-4))
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='PolyLR', power=0.9, eta_min=1e-7, by_epoch=True, end=max_epochs)
]
default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(interval=max_epochs))
find_unused_parameters = False
auto_scale_lr = dict(base_batch_size=4)
