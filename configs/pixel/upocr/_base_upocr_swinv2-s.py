# UPOCR (ICML 2024; spec-upocr.md §1.7): SwinV2-S encoder (C 96, depths
# 2-2-18-2, heads 3-6-12-24, window 16, pretrained window 16) -> Linear
# ``proj`` 768 -> 768 + one of 3 task prompts (768) at 1/32 -> mirrored
# SwinV2 decoder (768..48 channels, depths 2-18-2-2-2, heads 24-12-6-3-2,
# window 8, patch splitting, 3 laterals) -> 3-channel outputs at 1/4, 1/2
# and 1/1. Drop path 0.3 in both. 108,157,401 parameters (encoder
# 48,960,762; decoder 58,603,743; proj 590,592; prompts 2,304), the
# official counts; the loss-only VGG-16 (1,735,488) is never saved.
#
# Prompt rows follow ``task_list``, the official order (the training
# command's data configs): 0 text removal, 1 tamper detection, 2 text
# segmentation. Inputs are RGB in [0, 1] (no mean/std); the model pads any
# size to a multiple of 32 and crops back.
#
# Weights from local paths only (nothing is downloaded): the VGG-16 of the
# text-removal losses is torchvision's ImageNet ``vgg16-397923af.pth``
# (or the official pretraining file's ``vgg16.enc_*``), read at the first
# training iteration; inference never needs it.
upocr_task_list = ['text_removal', 'tamper_detection', 'text_segmentation']
vgg_pretrained = 'data/pretrained/vgg16-397923af.pth'

model = dict(
    type='UPOCR',
    task_list=upocr_task_list,
    prompt_dim=768,
    seg_threshold=0.4,
    pad_size_divisor=32,
    data_preprocessor=dict(
        # the official ToTensor: RGB in [0, 1], no normalisation
        type='ImgDataPreprocessor',
        mean=[0., 0., 0.],
        std=[255., 255., 255.],
        bgr_to_rgb=False),
    encoder=dict(
        type='UPOCRSwinV2Encoder',
        embed_dim=96,
        depths=[2, 2, 18, 2],
        num_heads=[3, 6, 12, 24],
        window_size=16,
        pretrained_window_size=16,
        drop_path_rate=0.3),
    decoder=dict(
        type='UPOCRSwinV2Decoder',
        embed_dim=768,
        depths=[2, 18, 2, 2, 2],
        num_heads=[24, 12, 6, 3, 2],
        window_size=8,
        pretrained_window_size=8,
        drop_path_rate=0.3),
    loss_removal=[
        dict(
            type='MultiScaleMaskedL1Loss',
            scales=(0.25, 0.5, 1.0),
            weights=((5, 0.8), (6, 1), (10, 2))),
        dict(
            type='VGGPerceptualStyleLoss',
            perceptual_weight=0.01,
            style_weight=120.,
            vgg_pretrained=vgg_pretrained),
    ],
    loss_segmentation=dict(
        type='MultiScaleIgnoreSmoothL1Loss',
        weights=(5, 6, 10),
        ignore_value=128 / 255,
        beta=1.0),
    loss_tamper=dict(
        type='MultiScaleIgnoreSmoothL1Loss',
        weights=(5, 6, 10),
        ignore_value=128 / 255,
        beta=1.0,
        log_pos_neg=False))

# Pipelines (spec §3.2), PIL-exact: images are RGB uint8 arrays resized and
# rotated with PIL (bicubic images, nearest maps), as the official numbers
# depend on PIL's anti-aliased bicubic. Every training pipeline ends at
# 512x512; the test pipelines keep the ground truth at the original size
# (``keep_ori_target_for_eval``) for the segmentation / tamper metrics, and
# text removal is scored at 512x512 against the clean image read from
# ``gt_path`` (the official protocol).
upocr_input_size = (512, 512)
upocr_meta_keys = ('img_path', 'ori_shape', 'img_shape', 'task', 'gt_path',
                   'scale_factor', 'flip', 'flip_direction')

# SCUT-EnsText: the official random crop has probability 0 (off).
removal_train_pipeline = [
    dict(type='LoadRGBImagePIL'),
    dict(type='LoadRemovalTargets'),
    dict(type='PixelRandomHFlip', prob=0.3),
    dict(type='PixelRandomRotate', max_angle=30, prob=0.5),
    dict(type='PixelResize', scale=upocr_input_size),
    dict(type='PackPixelOCRInputs', meta_keys=upocr_meta_keys)
]
removal_test_pipeline = [
    dict(type='LoadRGBImagePIL'),
    dict(type='PixelResize', scale=upocr_input_size),
    dict(type='PackPixelOCRInputs', meta_keys=upocr_meta_keys)
]
segmentation_train_pipeline = [
    dict(type='LoadRGBImagePIL'),
    dict(type='LoadTextSegLabel'),
    dict(type='PixelRandomCrop', min_ratio=0.7, max_ratio=1.0, prob=1.0),
    dict(type='PixelRandomHFlip', prob=0.3),
    dict(
        type='PixelColorJitter',
        brightness=0.5,
        contrast=0.5,
        saturation=0.5,
        hue=0.5,
        prob=0.5),
    dict(type='PixelRandomRotate', max_angle=30, prob=0.5),
    dict(type='PixelResize', scale=upocr_input_size),
    dict(type='PackPixelOCRInputs', meta_keys=upocr_meta_keys)
]
segmentation_test_pipeline = [
    dict(type='LoadRGBImagePIL'),
    dict(type='LoadTextSegLabel'),
    dict(
        type='PixelResize',
        scale=upocr_input_size,
        keep_ori_target_for_eval=True),
    dict(type='PackPixelOCRInputs', meta_keys=upocr_meta_keys)
]
tamper_train_pipeline = [
    dict(type='LoadRGBImagePIL'),
    dict(type='RenderTamperedBoxMap'),
    dict(type='PixelRandomCrop', min_ratio=0.5, max_ratio=1.0, prob=1.0),
    dict(type='PixelRandomHFlip', prob=0.5),
    dict(type='PixelResize', scale=upocr_input_size),
    dict(type='PackPixelOCRInputs', meta_keys=upocr_meta_keys)
]
tamper_test_pipeline = [
    dict(type='LoadRGBImagePIL'),
    dict(type='RenderTamperedBoxMap'),
    dict(
        type='PixelResize',
        scale=upocr_input_size,
        keep_ori_target_for_eval=True),
    dict(type='PackPixelOCRInputs', meta_keys=upocr_meta_keys)
]
# Inference on any image, no ground truth (PixelOCRInferencer, infer.py).
infer_pipeline = removal_test_pipeline
