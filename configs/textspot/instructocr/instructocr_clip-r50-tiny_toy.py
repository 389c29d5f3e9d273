# A tiny random InstructOCR on synthetic spotting images rendered on the fly
# (SynthRenderDataset(task='textspotting'), no disk step): the whole train
# -> test -> infer cycle on a CPU in about a minute, for tests and for
# trying the tools. Same classes as the released model, sizes of spec B9's
# CI substitutes (ResNet [1,1,1,1] width 8, d_model 64, one layer each, 3
# instances, 100 bins), a random 1-layer BERT with the bundled
# bert-base-uncased vocabulary, no pretrained weights.
_base_ = [
    '_base_instructocr_clip-r50.py',
    '../_base_/schedules/schedule_instructocr_adamw.py',
    '../_base_/default_runtime.py',
]

tiny_bert = dict(
    vocab_size=30522,
    hidden_size=32,
    num_hidden_layers=1,
    num_attention_heads=2,
    intermediate_size=64,
    max_position_embeddings=128,
    type_vocab_size=2)
model = dict(
    backbone=dict(layers=(1, 1, 1, 1), width=8),
    encoder=dict(
        in_channels=256,
        d_model=64,
        text_dim=32,
        num_fusion_layers=1,
        fusion_cfg=dict(embed_dim=64, num_heads=2),
        num_layers=1,
        num_heads=4,
        ffn_dim=128,
        text_encoder=dict(bert_config=tiny_bert, pretrained=None,
                          proj_dim=32)),
    decoder=dict(
        dictionary=dict(num_bins=100),
        d_model=64,
        num_heads=4,
        ffn_dim=128,
        num_layers=1,
        max_num_text=3,
        max_text_len=12))

toy_renderer = dict(
    height=128, width=128, num_words=(1, 3), font_size=(0.12, 0.2))
toy_train_pipeline = [
    dict(type='LoadImageFromNDArray'),
    dict(
        type='LoadOCRAnnotations',
        with_polygon=True,
        with_bbox=True,
        with_label=True,
        with_text=True),
    dict(type='Resize', scale=(128, 128), keep_ratio=True),
    dict(type='DropDegenerateInstances'),
    dict(type='GenerateInstruction', stage='instruction'),
    dict(type='PackTextDetInputs', meta_keys=_base_.instructocr_meta_keys)
]
toy_test_pipeline = [
    dict(type='LoadImageFromNDArray'),
    dict(type='Resize', scale=(128, 128), keep_ratio=True),
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
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='SynthRenderDataset',
        num_samples=16,
        seed=0,
        task='textspotting',
        renderer=toy_renderer,
        pipeline=toy_train_pipeline))
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='SynthRenderDataset',
        num_samples=8,
        seed=1,
        task='textspotting',
        renderer=toy_renderer,
        test_mode=True,
        pipeline=toy_test_pipeline))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='PointSpottingMetric', prefix='synth'),
    dict(type='InstructionFollowingMetric', prefix='synth/instruction'),
]
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(lr=1e-3))
train_cfg = dict(max_epochs=2, val_interval=2)
default_hooks = dict(logger=dict(type='LoggerHook', interval=1))
