# InstructOCR (AAAI 2025; spec Part B): CLIP-style ResNet-50 (C5) -> 1x1 to
# 512 + sine positions -> frozen BERT instruction (77 tokens, 768 -> 256)
# and 3 image-text fusion blocks -> 6 pre-norm encoder layers -> 6-layer
# autoregressive decoder over [x, y, c1..c25] x 60 instances (1196 tokens).
# The released sizes (parameter count tested: 63,111,692 without BERT).
#
# Weights from local paths only (nothing is downloaded):
# - BERT: ``bert-base-uncased`` (config.json + model.safetensors or
#   pytorch_model.bin) in ``data/pretrained/bert-base-uncased``, loaded when
#   training starts (init_weights), never saved in our checkpoints; its
#   tokenizer is the bundled vocab in data/tokenizers/bert-base-uncased.
# - the official checkpoints convert with
#   tools/model_converters/instructocr_official_to_mmocr_ext.py.
bert_tokenizer = '{{ fileDirname }}/../../../data/tokenizers/bert-base-uncased'
bert_pretrained = 'data/pretrained/bert-base-uncased'
#: bert-base-uncased's sizes (its config.json).
bert_base_uncased = dict(
    vocab_size=30522,
    hidden_size=768,
    num_hidden_layers=12,
    num_attention_heads=12,
    intermediate_size=3072,
    max_position_embeddings=512,
    type_vocab_size=2)
instructocr_dictionary = dict(type='InstructOCRDictionary', num_bins=1000)

model = dict(
    type='InstructOCR',
    data_preprocessor=dict(
        # the official ToTensor: RGB in [0, 1], no mean/std
        type='TextDetDataPreprocessor',
        mean=[0., 0., 0.],
        std=[255., 255., 255.],
        bgr_to_rgb=True,
        pad_size_divisor=32),
    backbone=dict(
        type='CLIPModifiedResNet',
        layers=(3, 4, 6, 3),
        width=64,
        out_indices=(3, )),
    encoder=dict(
        type='InstructOCREncoder',
        in_channels=2048,
        d_model=512,
        num_heads=8,
        ffn_dim=1024,
        num_layers=6,
        dropout=0.1,
        num_fusion_layers=3,
        text_encoder=dict(
            type='BertInstructionEncoder',
            tokenizer_dir=bert_tokenizer,
            bert_config=bert_base_uncased,
            pretrained=bert_pretrained,
            max_length=77,
            proj_dim=256)),
    decoder=dict(
        type='InstructOCRDecoder',
        dictionary=instructocr_dictionary,
        module_loss=dict(type='InstructOCRModuleLoss'),
        postprocessor=dict(type='InstructOCRPostprocessor'),
        d_model=512,
        num_heads=8,
        ffn_dim=1024,
        num_layers=6,
        dropout=0.1,
        max_num_text=60,
        max_text_len=25,
        decode_cfg=dict(use_cache=True, constrained=False)))

# Pipelines (spec B7). Train: random crop keeping whole words (>= 0.5 of
# each side), rotation with p 0.3 (mmocr's RandomRotate, uniform +-30
# degrees on a grown canvas; the official one also draws +-90/180 degrees
# with p 0.1 each: not reproduced), shorter side drawn from a list with the
# longer side capped (mmcv's keep-ratio scale (cap, short)), colour jitter
# with p 0.5 and Gaussian blur (sigma 0.1-2) with p 0.3, then the
# instruction and the filtering of the targets to its instances (after the
# geometric augmentation; GenerateInstruction(order='before_aug') placed
# before RandomCrop reproduces the official order).
instructocr_meta_keys = ('img_path', 'ori_shape', 'img_shape', 'scale_factor',
                         'instruction')
train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True,
        with_text=True),
    dict(type='RandomCrop', min_side_ratio=0.5),
    dict(
        type='RandomApply',
        prob=0.3,
        transforms=[
            dict(
                type='RandomRotate',
                max_angle=30,
                pad_with_fixed_color=True,
                use_canvas=True)
        ]),
    dict(
        type='RandomChoiceResize',
        scales=[(1024, s) for s in range(704, 1025, 32)],
        keep_ratio=True,
        resize_type='Resize'),
    dict(
        type='RandomApply',
        prob=0.5,
        transforms=[
            dict(
                type='TorchVisionWrapper',
                op='ColorJitter',
                brightness=0.5,
                contrast=0.5,
                saturation=0.5,
                hue=0.5)
        ]),
    dict(
        type='RandomApply',
        prob=0.3,
        transforms=[
            dict(
                type='TorchVisionWrapper',
                op='GaussianBlur',
                kernel_size=9,
                sigma=(0.1, 2.0))
        ]),
    dict(type='DropDegenerateInstances'),
    dict(type='GenerateInstruction', stage='instruction'),
    dict(type='PackTextDetInputs', meta_keys=instructocr_meta_keys)
]
# Test: shorter side 1280 capped at 1920 (IC15); IC13 / Total-Text use
# (1600, 1024). Annotations are loaded after the resize, so the metrics see
# original coordinates (the predicted points are in original pixels).
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(1920, 1280), keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True,
        with_text=True),
    dict(type='GenerateInstruction', stage='test'),
    dict(type='PackTextDetInputs', meta_keys=instructocr_meta_keys)
]
