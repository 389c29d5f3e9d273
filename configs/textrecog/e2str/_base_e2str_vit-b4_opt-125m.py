# E2STR (CVPR 2024), the released configuration (spec A1-A2):
# MAE ViT-B/4 on 32x128 crops -> Perceiver resampler (6 layers, 64 latents)
# -> OPT-125M with a gated cross-attention block before every layer.
# Pretrained weights are read from local paths when training starts
# (init_weights), so the model builds without them (docs/e2str.md,
# "Weights"):
#   data/pretrained/opt-125m/        Hugging Face facebook/opt-125m folder
#   data/pretrained/mae_vit_b4.pth   Union14M's MAE ViT-B/4 ({'model': ...})
# The OPT tokenizer is bundled (data/tokenizers/opt-125m, rebuilt from the
# GPT-2 BPE files: tools/misc/build_opt_tokenizer.py).
e2str_lm_dir = 'data/pretrained/opt-125m'
e2str_mae = 'data/pretrained/mae_vit_b4.pth'
e2str_opt_tokenizer = '{{ fileDirname }}/../../../data/tokenizers/opt-125m'
# facebook/opt-125m's config.json (sizes); the embedding table is resized
# to the tokenizer (50,267 rows: + <|endofchunk|>, <image>).
e2str_opt_125m = dict(
    model_type='opt',
    vocab_size=50272,
    hidden_size=768,
    num_hidden_layers=12,
    num_attention_heads=12,
    ffn_dim=3072,
    max_position_embeddings=2048,
    word_embed_proj_dim=768,
    do_layer_norm_before=True,
    dropout=0.1,
    attention_dropout=0.0,
    activation_function='relu',
    pad_token_id=1,
    bos_token_id=2,
    eos_token_id=2)

# One normalisation everywhere (the official code had two, spec A2.4): RGB,
# ImageNet mean/std, applied by the data preprocessor to queries, training
# crops, in-context views and pool crops alike.
model = dict(
    type='E2STR',
    data_preprocessor=dict(
        type='TextRecogDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    vision_encoder=dict(
        type='E2STRViT',
        img_size=(32, 128),
        patch_size=4,
        embed_dim=768,
        depth=12,
        num_heads=12,
        pretrained=e2str_mae),
    perceiver=dict(
        type='PerceiverResampler',
        dim=768,
        depth=6,
        dim_head=64,
        heads=8,
        num_latents=64),
    language_model=dict(
        type='E2STRLanguageModel',
        tokenizer=e2str_opt_tokenizer,
        pretrained=e2str_lm_dir,
        config=e2str_opt_125m,
        dim_visual=768,
        xattn_every=1,
        xattn_cfg=dict(dim_head=64, heads=8, ff_mult=4)),
    postprocessor=dict(type='E2STRPostprocessor'),
    train_vision=True,
    train_mode='plain',
    icl_train_cfg=dict(max_images=80, samples_per_sequence=None),
    # pipeline: the test pipeline, so pool crops are read as queries are.
    icl_test_cfg=dict(pool=None, k=2, candidates=20, cache_dir=None),
    decode_cfg=dict(num_beams=3, max_new_tokens=48))

# MAERec's augmentation (spec A6) minus Albumentations' GaussNoise/MotionBlur
# (albumentations is not a dependency): mmocr's ImgAugWrapper gives the same
# two operations.
train_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=2),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='Resize', scale=(128, 32)),
    dict(
        type='RandomApply',
        prob=0.5,
        transforms=[
            dict(
                type='RandomChoice',
                transforms=[
                    dict(type='RandomRotate', max_angle=15),
                    dict(
                        type='TorchVisionWrapper',
                        op='RandomAffine',
                        degrees=15,
                        translate=(0.3, 0.3),
                        scale=(0.5, 2.),
                        shear=(-45, 45)),
                    dict(
                        type='TorchVisionWrapper',
                        op='RandomPerspective',
                        distortion_scale=0.5,
                        p=1),
                ])
        ]),
    dict(
        type='RandomApply',
        prob=0.25,
        transforms=[
            dict(type='PyramidRescale'),
            dict(
                type='ImgAugWrapper',
                args=[
                    dict(cls='AdditiveGaussianNoise', scale=(0, 0.08 * 255)),
                    dict(cls='MotionBlur', k=7)
                ]),
        ]),
    dict(
        type='RandomApply',
        prob=0.25,
        transforms=[
            dict(
                type='TorchVisionWrapper',
                op='ColorJitter',
                brightness=0.5,
                saturation=0.5,
                contrast=0.5,
                hue=0.1),
        ]),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]

# Stage 2 (in-context training): the split and transform views are made
# from the raw crop, before Resize (spec A3.2).
icl_train_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=2),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='LoadCharBoxes'),
    dict(type='E2STRICLViews', num_transforms=1, split=True),
    dict(type='Resize', scale=(128, 32)),
    dict(
        type='PackE2STRInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]

test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(128, 32)),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]

# A leaf that changes test_pipeline sets this again.
model['icl_test_cfg']['pipeline'] = test_pipeline
