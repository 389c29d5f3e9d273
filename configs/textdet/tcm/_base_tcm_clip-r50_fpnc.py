# TCM-DBNet with CLIP RN50 (spec Part B): mmocr's DBNet-R50 model and
# pipelines (inherited through ``mmocr::``) with the backbone swapped for the
# CLIP image encoder, the TCM text branch added and the score map
# concatenated to C5 (FPNC input 2049 channels).
_base_ = ['mmocr::textdet/dbnet/_base_dbnet_resnet50-dcnv2_fpnc.py']

# CLIP RN50 converted for TCM (attnpool grid 20x20 for 640 px, text
# positional embedding truncated to 18 rows), written by
#   python tools/model_converters/clip_to_tcm.py --src RN50.pt \
#       --out checkpoints/clip_rn50_tcm_ctx18.pth --input-resolution 640 \
#       --context-length 18
clip_checkpoint = '{{ fileDirname }}/../../../checkpoints/clip_rn50_tcm_ctx18.pth'  # noqa
context_length = 18  # 14 prompt tokens + 4 learnable tokens

model = dict(
    type='TCM',
    backbone=dict(
        _delete_=True,
        type='CLIPResNetWithAttention',
        layers=(3, 4, 6, 3),
        width=64,
        output_dim=1024,
        heads=32,
        input_resolution=640,
        out_indices=(0, 1, 2, 3),
        init_cfg=dict(
            type='Pretrained', checkpoint=clip_checkpoint,
            prefix='backbone.')),
    text_encoder=dict(
        type='CLIPTextContextEncoder',
        context_length=context_length,
        vocab_size=49408,
        transformer_width=512,
        transformer_heads=8,
        transformer_layers=12,
        embed_dim=1024,
        init_cfg=dict(
            type='Pretrained',
            checkpoint=clip_checkpoint,
            prefix='text_encoder.')),
    visual_prompt_generator=dict(
        type='TCMContextDecoder',
        transformer_width=256,
        transformer_heads=4,
        transformer_layers=3,
        visual_dim=1024,
        dropout=0.1),
    context_decoder=dict(
        type='TCMContextDecoder',
        transformer_width=256,
        transformer_heads=4,
        transformer_layers=3,
        visual_dim=1024,
        dropout=0.1),
    prompt_generator=dict(
        type='TCMPromptGenerator', visual_dim=1024, text_dim=512),
    class_names=['the pixels of many arbitrary-shape text instances.'],
    num_learnable_tokens=4,
    score_concat_index=3,
    neck=dict(in_channels=[256, 512, 1024, 2049], lateral_channels=256),
    det_head=dict(
        module_loss=dict(type='TCMModuleLoss', weight_pix=1.0, tau=0.07)),
    data_preprocessor=dict(
        mean=[122.67891434, 116.66876762, 104.00698793],
        std=[58.395, 57.12, 57.375]))

# mmocr's DBNet-R50 train pipeline == TCM's (spec B5), except that the pad
# value mimics mmocr 0.4 padding after normalisation: the CLIP mean, in the
# BGR order of the image at this point of the pipeline.
train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_bbox=True,
        with_polygon=True,
        with_label=True,
    ),
    dict(
        type='TorchVisionWrapper',
        op='ColorJitter',
        brightness=32.0 / 255,
        saturation=0.5),
    dict(
        type='ImgAugWrapper',
        args=[['Fliplr', 0.5],
              dict(cls='Affine', rotate=[-10, 10]), ['Resize', [0.5, 3.0]]]),
    dict(type='RandomCrop', min_side_ratio=0.1),
    dict(type='Resize', scale=(640, 640), keep_ratio=True),
    dict(type='Pad', size=(640, 640), pad_val=dict(img=(104, 117, 123))),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape'))
]


# Test pipeline: mmocr's DBNet-R50 one (keep-ratio Resize to (4068, 1024),
# i.e. short side 1024 for IC15-like images); leaves change the scale.
test_pipeline = _base_.test_pipeline

# TCM's configs enable DDP's unused-parameter search (spec B5).
find_unused_parameters = True
