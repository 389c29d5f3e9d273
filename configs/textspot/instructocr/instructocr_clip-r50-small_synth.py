# A small InstructOCR trained from scratch on CPU on synthetic spotting
# images (the learning check of docs/instructocr.md): 256x256 images with 1-3
# words from a 150-word lexicon (random case, some numbers), rendered by
#   python tools/misc/instructocr_learning_check.py --generate-only
# into data/instructocr_synth/{train,test} (4000 / 200 images, seeds 11 /
# 12). Instructions are sampled with the official templates and
# probabilities from the first iteration (GenerateInstruction stage
# 'instruction': 'all text' 30%, or 25% with numbers). Same classes as the
# released model; smaller sizes (ResNet [1,1,1,1] width 16, d_model 256, 3
# encoder / 3 decoder layers, one fusion block, random frozen 2-layer BERT
# with the bert-base-uncased vocabulary), no dropout, 100 coordinate bins,
# at most 4 instances of 16 characters, images resized to 160x160.
_base_ = [
    '_base_instructocr_clip-r50.py',
    '../_base_/schedules/schedule_instructocr_adamw.py',
    '../_base_/default_runtime.py',
]

small_bert = dict(
    vocab_size=30522,
    hidden_size=128,
    num_hidden_layers=2,
    num_attention_heads=2,
    intermediate_size=256,
    max_position_embeddings=128,
    type_vocab_size=2)
model = dict(
    backbone=dict(layers=(1, 1, 1, 1), width=16),
    encoder=dict(
        in_channels=512,
        d_model=256,
        text_dim=128,
        num_fusion_layers=1,
        fusion_cfg=dict(embed_dim=256, num_heads=4, drop_path=0.0),
        num_layers=3,
        num_heads=8,
        ffn_dim=512,
        dropout=0.0,
        text_encoder=dict(
            bert_config=small_bert, pretrained=None, proj_dim=128)),
    decoder=dict(
        dictionary=dict(num_bins=100),
        d_model=256,
        num_heads=8,
        ffn_dim=512,
        num_layers=3,
        dropout=0.0,
        max_num_text=4,
        max_text_len=16))

synth_root = '{{ fileDirname }}/../../../data/instructocr_synth'
small_train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True,
        with_text=True),
    dict(type='Resize', scale=(160, 160), keep_ratio=True),
    dict(type='DropDegenerateInstances'),
    dict(type='GenerateInstruction', stage='instruction'),
    dict(type='PackTextDetInputs', meta_keys=_base_.instructocr_meta_keys)
]
# Test: annotations loaded after the resize, so the metric compares the
# predicted points (original pixels) with original-size ground truth.
small_test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color_ignore_orientation'),
    dict(type='Resize', scale=(160, 160), keep_ratio=True),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True,
        with_text=True),
    dict(type='GenerateInstruction', stage='test'),
    dict(type='PackTextDetInputs', meta_keys=_base_.instructocr_meta_keys)
]
train_dataloader = dict(
    batch_size=8,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='CheckedOCRDataset',
        data_root=synth_root + '/train',
        ann_file='textspotting_train.json',
        pipeline=small_train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='CheckedOCRDataset',
        data_root=synth_root + '/test',
        ann_file='textspotting_test.json',
        test_mode=True,
        pipeline=small_test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='PointSpottingMetric', prefix='synth')
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(lr=5e-4))
# About 0.33 s per iteration on 2 idle CPU cores: 8k iterations in about
# 45 minutes.
train_cfg = dict(
    _delete_=True,
    type='IterBasedTrainLoop',
    max_iters=8000,
    val_interval=1000)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        end_factor=1.0,
        begin=0,
        end=100,
        by_epoch=False),
]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=20),
    checkpoint=dict(by_epoch=False, interval=1000))
log_processor = dict(by_epoch=False)
