# I3CL's official training and test pipelines (spec A4, A5, A9), translated
# from mmdet 2.x to mmocr 1.x / mmdet 3.x. Every training pipeline is
#   LoadImageFromFile -> LoadOCRAnnotations [-> LoadInstanceLossWeights]
#   -> MMOCR2MMDet -> RandomFlip -> AutoAugment
#   -> FilterAnnotations -> PackDetInputs[WithLossWeights]
# where AutoAugment picks one policy per image, each ending with a
# multi-scale resize:
#   (ViTAE only) resize | rotate 10 deg + resize
#   | color + brightness + contrast + resize
#   | color + brightness + contrast + rotate 15 deg + resize
# Translation (2.x -> 3.x):
# - Resize(img_scale=[...], multiscale_mode='value', keep_ratio=True) ->
#   mmdet.RandomChoiceResize(scales=[...], keep_ratio=True), same list. With
#   keep_ratio the order inside a scale does not matter in either version
#   (mmcv.rescale_size: factor = min(max(scale) / long side,
#   min(scale) / short side)); (1333, 480) means "short side 480, long side
#   at most 1333". We write (long_max, short), mmdet 3's (w, h) habit.
#   resize_type='mmdet.Resize': the inner resize is built in the default
#   scope (mmocr), whose Resize does not resize gt_masks.
# - Rotate(level=10, max_rotate_angle=10) -> mmdet.Rotate(prob=0.5,
#   level=10, min_mag=0., max_mag=10.) (15 for policy 4); ColorTransform /
#   BrightnessTransform / ContrastTransform(level=8) ->
#   mmdet.Color / Brightness / Contrast(prob=0.5, level=8): the same
#   enhancement factor 8 / 10 * (1.9 - 0.1) + 0.1 = 1.54.
# - mmdet 2.x's Rotate dropped boxes rotated out of the image (zero width
#   or height); mmdet 3's keeps them: FilterAnnotations(min_gt_bbox_wh=(0,
#   0), keep_empty=False) drops exactly those and, like 2.x, keeps an image
#   left without text.
# - Normalize / Pad(32) are the detector's data_preprocessor.
# - Masks stay polygons (MMOCR2MMDet(poly2mask=False), PolygonMasks) through
#   flip, rotate and resize, and the mask head rasterises them per RoI (as
#   mmdet's poly2mask=False configs do). MMOCR2MMDet(poly2mask=True) gives
#   bool BitmapMasks, which mmdet's Resize and Rotate cannot warp (cv2 has
#   no bool images); 2.x rasterised to uint8 at loading instead.
# SSL pipelines wrap every transform that may drop instances in
# KeepInstancesAligned so the loss weights stay with their instances (the
# official pipeline could misalign them, spec A3/A10).
_load_image = dict(
    type='LoadImageFromFile', color_type='color_ignore_orientation')
_load_annotations = dict(
    type='LoadOCRAnnotations',
    with_polygon=True,
    with_bbox=True,
    with_label=True)
_to_mmdet = dict(type='MMOCR2MMDet', poly2mask=False)
# Quirk kept from the official configs (spec A10): flip_ratio [0.5, 0.5]
# leaves no probability for "no flip", so EVERY training image is flipped,
# horizontally or vertically (mmdet 3 samples the same way).
_always_flip = dict(
    type='mmdet.RandomFlip',
    prob=[0.5, 0.5],
    direction=['horizontal', 'vertical'])
_rotate10 = dict(
    type='mmdet.Rotate', prob=0.5, level=10, min_mag=0., max_mag=10.)
_rotate15 = dict(
    type='mmdet.Rotate', prob=0.5, level=10, min_mag=0., max_mag=15.)
_colour = [
    dict(type='mmdet.Color', prob=0.5, level=8),
    dict(type='mmdet.Brightness', prob=0.5, level=8),
    dict(type='mmdet.Contrast', prob=0.5, level=8),
]
_drop_rotated_out = dict(
    type='mmdet.FilterAnnotations', min_gt_bbox_wh=(0, 0), keep_empty=False)
_meta_keys = ('img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
              'flip_direction')
_pack = dict(type='mmdet.PackDetInputs', meta_keys=_meta_keys)
_pack_ssl = dict(type='PackDetInputsWithLossWeights', meta_keys=_meta_keys)

# Training scales (long side max, short side).
# ViTAE one-stage: short 480..768 with long <= 1333 (732, not 736, is the
# official value), 800..896 with long <= 1600.
i3cl_vitae_train_scales = [
    (1333, s) for s in (480, 512, 544, 576, 608, 640, 704, 732, 768)
] + [(1600, s) for s in (800, 832, 864, 896)]
# R50 stage 1 (SynthText150K pretraining).
i3cl_pretrain_train_scales = [(1200, s) for s in (800, 900, 1000, 1100)]
# R50 stages 2, 3, SSL and SSL finetuning.
i3cl_train_scales = [(1800, s) for s in (800, 1000, 1200, 1400, 1600)]

_resize_vitae = dict(
    type='mmdet.RandomChoiceResize',
    scales=i3cl_vitae_train_scales,
    keep_ratio=True,
    resize_type='mmdet.Resize')
_resize_pretrain = dict(_resize_vitae, scales=i3cl_pretrain_train_scales)
_resize = dict(_resize_vitae, scales=i3cl_train_scales)

_augment_vitae = dict(
    type='mmdet.AutoAugment',
    policies=[
        [_resize_vitae],
        [_rotate10, _resize_vitae],
        [*_colour, _resize_vitae],
        [*_colour, _rotate15, _resize_vitae],
    ])
_augment_pretrain = dict(
    type='mmdet.AutoAugment',
    policies=[
        [_rotate10, _resize_pretrain],
        [*_colour, _resize_pretrain],
        [*_colour, _rotate15, _resize_pretrain],
    ])
_augment = dict(
    type='mmdet.AutoAugment',
    policies=[
        [_rotate10, _resize],
        [*_colour, _resize],
        [*_colour, _rotate15, _resize],
    ])

i3cl_vitae_train_pipeline = [
    _load_image, _load_annotations, _to_mmdet, _always_flip, _augment_vitae,
    _drop_rotated_out, _pack
]
i3cl_pretrain_train_pipeline = [
    _load_image, _load_annotations, _to_mmdet, _always_flip, _augment_pretrain,
    _drop_rotated_out, _pack
]
i3cl_train_pipeline = [
    _load_image, _load_annotations, _to_mmdet, _always_flip, _augment,
    _drop_rotated_out, _pack
]
# Pseudo-labelled data: per-instance loss weights (spec A3).
i3cl_ssl_train_pipeline = [
    _load_image, _load_annotations,
    dict(type='LoadInstanceLossWeights'),
    dict(
        type='KeepInstancesAligned',
        keys=('gt_loss_weights', ),
        transforms=[_to_mmdet, _always_flip, _augment, _drop_rotated_out]),
    _pack_ssl
]

# Test (spec A4): keep-ratio resize to long side <= 1950, short <= 1185.
i3cl_test_pipeline = [
    _load_image,
    dict(type='Resize', scale=(1950, 1185), keep_ratio=True),
    _load_annotations,
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
