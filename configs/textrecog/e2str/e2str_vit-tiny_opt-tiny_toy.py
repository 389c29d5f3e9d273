# A tiny random E2STR on the bundled real word crops (data/word_crops, 36
# crops) plus 28 synthetic crops rendered on the fly (SynthRenderDataset,
# no disk step; they carry character boxes): the whole train -> test ->
# infer cycle on a CPU in about a minute, for tests and for trying the
# tools. Same classes as the released
# model, sizes of spec A8's CI substitutes, character-level tokenizer
# (data/tokenizers/e2str-char), no pretrained weights.
_base_ = [
    '_base_e2str_vit-b4_opt-125m.py',
    '../_base_/datasets/word_crops.py',
    '../_base_/schedules/schedule_e2str_adamw_cos_10e.py',
    '../_base_/default_runtime.py',
]

e2str_tokenizer = '{{ fileDirname }}/../../../data/tokenizers/e2str-char'

model = dict(
    vision_encoder=dict(embed_dim=64, depth=2, num_heads=2, pretrained=None),
    perceiver=dict(dim=64, depth=1, dim_head=16, heads=2, num_latents=8),
    language_model=dict(
        tokenizer=e2str_tokenizer,
        pretrained=None,
        config=dict(
            hidden_size=64,
            num_hidden_layers=2,
            ffn_dim=128,
            num_attention_heads=2,
            max_position_embeddings=512,
            word_embed_proj_dim=64),
        dim_visual=64,
        xattn_cfg=dict(dim_head=16, heads=2)),
    decode_cfg=dict(num_beams=3, max_new_tokens=12))

word_crops_train = dict(
    _base_.word_crops_textrecog_test,
    test_mode=False,
    pipeline=_base_.train_pipeline)
synth_crops_train = dict(
    type='SynthRenderDataset',
    num_samples=28,
    seed=0,
    task='textrecog',
    renderer=dict(height=128, width=320, num_words=(2, 4)),
    pipeline=[
        dict(type='LoadImageFromNDArray'),
        dict(type='LoadOCRAnnotations', with_text=True),
        dict(type='Resize', scale=(128, 32)),
        dict(
            type='PackTextRecogInputs',
            meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
    ])
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        # real and synthetic crops carry different metainfo
        verify_meta=False,
        datasets=[word_crops_train, synth_crops_train]))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.word_crops_textrecog_test],
        pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(dataset_prefixes=['word_crops'])
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(lr=1e-3))
train_cfg = dict(max_epochs=2, val_interval=1)
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=2,
        eta_min=1e-5,
        convert_to_iter_based=True)
]
default_hooks = dict(logger=dict(interval=1))
