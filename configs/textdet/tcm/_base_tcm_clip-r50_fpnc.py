# TCM-DBNet with CLIP RN50 (Yu et al., CVPR 2023; docs/tcm.md): mmocr's
# DBNet-R50 model and pipelines (inherited through ``mmocr::``) with the
# backbone swapped for the CLIP image encoder, the TCM text branch added and
# the score map concatenated to C5 (FPNC input 2048 + 1 channels).
_base_ = ['mmocr::textdet/dbnet/_base_dbnet_resnet50-dcnv2_fpnc.py']

# Sizes, each defined once here; everything else is derived from them.
# A config that changes one (the toy) sets the sub-dicts that use it again.
embed_dim = 1024  # CLIP RN50 joint embedding: g, V, text embeddings T
text_width = 512  # CLIP text transformer width: token embeddings, prompt p
clip_width = 64  # RN50 stem width; C2..C5 have 4, 8, 16, 32 x 64 channels
crop_size = (640, 640)  # training crop, also sizes the attention-pool grid
class_names = ['the pixels of many arbitrary-shape text instances.']
prompt_length = 14  # CLIP tokens of the prompt above, SOT and EOT included
num_learnable_tokens = 4
context_length = prompt_length + num_learnable_tokens  # 18

# CLIP RN50 converted for TCM (attnpool grid 20x20 for 640 px, text
# positional embedding truncated to ``context_length`` rows), written by
#   python tools/model_converters/clip_to_tcm.py --src RN50.pt \
#       --out checkpoints/clip_rn50_tcm_ctx18.pth --input-resolution 640 \
#       --context-length 18
clip_checkpoint = ('{{ fileDirname }}/../../../checkpoints/'
                   f'clip_rn50_tcm_ctx{context_length}.pth')

model = dict(
    type='TCM',
    backbone=dict(
        _delete_=True,
        type='CLIPResNetWithAttention',
        layers=(3, 4, 6, 3),
        width=clip_width,
        output_dim=embed_dim,
        heads=clip_width * 32 // 64,  # CLIP: one head per 64 channels of C5
        input_resolution=crop_size[0],
        out_indices=(0, 1, 2, 3),
        init_cfg=dict(
            type='Pretrained', checkpoint=clip_checkpoint,
            prefix='backbone.')),
    text_encoder=dict(
        type='CLIPTextContextEncoder',
        context_length=context_length,
        vocab_size=49408,
        transformer_width=text_width,
        transformer_heads=text_width // 64,
        transformer_layers=12,
        embed_dim=embed_dim,
        init_cfg=dict(
            type='Pretrained',
            checkpoint=clip_checkpoint,
            prefix='text_encoder.')),
    visual_prompt_generator=dict(
        type='TCMContextDecoder',
        transformer_width=256,
        transformer_heads=4,
        transformer_layers=3,
        visual_dim=embed_dim,
        dropout=0.1),
    context_decoder=dict(
        type='TCMContextDecoder',
        transformer_width=256,
        transformer_heads=4,
        transformer_layers=3,
        visual_dim=embed_dim,
        dropout=0.1),
    prompt_generator=dict(
        type='TCMPromptGenerator', visual_dim=embed_dim, text_dim=text_width),
    class_names=class_names,
    num_learnable_tokens=num_learnable_tokens,
    score_concat_index=3,
    # C2..C5 of the image encoder; C5 also carries one score map per prompt.
    neck=dict(
        in_channels=[
            clip_width * 4, clip_width * 8, clip_width * 16,
            clip_width * 32 + len(class_names)
        ],
        lateral_channels=256),
    det_head=dict(
        module_loss=dict(type='TCMModuleLoss', weight_pix=1.0, tau=0.07)),
    data_preprocessor=dict(
        mean=[122.67891434, 116.66876762, 104.00698793],
        std=[58.395, 57.12, 57.375]))

# mmocr's DBNet-R50 train pipeline, which is TCM's, except that the pad value
# mimics mmocr 0.4 padding after normalisation: the CLIP mean, in the BGR
# order of the image at this point of the pipeline.
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
    dict(type='Resize', scale=crop_size, keep_ratio=True),
    dict(type='Pad', size=crop_size, pad_val=dict(img=(104, 117, 123))),
    dict(
        type='PackTextDetInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape'))
]

# mmocr's DBNet-R50 test pipeline: keep-ratio Resize to (4068, 1024), i.e.
# short side 1024 for IC15-like images. Leaves change a step by its type:
#   test_pipeline = [
#       dict(t, scale=(4068, 736)) if t.type == 'Resize' else t
#       for t in _base_.test_pipeline
#   ]
test_pipeline = _base_.test_pipeline

# TCM's released configs enable DDP's unused-parameter search.
find_unused_parameters = True
