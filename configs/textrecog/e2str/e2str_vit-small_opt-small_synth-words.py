# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
# The small E2STR (plain recognition, no in-context stage) trained from
# scratch on CPU on the word crops of the synthetic spotting images
# (data/instructocr_synth_words, tools/misc/make_synth_word_crops.py): the
# recognizer of the composed pipeline's learning check (docs/ocr.md,
# tools/misc/ocr_e2e_learning_check.py). 150-word lexicon plus numbers,
# case kept. Validation: crops of 200 training images held out from train;
# test: the crops of the 200 held-out test images.
_base_ = [
    '_base_e2str_vit-small_opt-small.py',
    '../_base_/datasets/synth_words.py',
    '../_base_/schedules/schedule_e2str_adamw_cos_10e.py',
    '../_base_/default_runtime.py',
]

max_iters = 900
train_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.synth_words_textrecog_train],
        pipeline=_base_.light_train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.synth_words_textrecog_val],
        pipeline=_base_.test_pipeline))
test_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.synth_words_textrecog_test],
        pipeline=_base_.test_pipeline))
val_evaluator = dict(dataset_prefixes=['val'])
test_evaluator = dict(dataset_prefixes=['test'])

model = dict(decode_cfg=dict(num_beams=1))  # greedy decoding (speed)
optim_wrapper = dict(optimizer=dict(lr=1e-3), clip_grad=dict(max_norm=1.0))
train_cfg = dict(
    _delete_=True,
    type='IterBasedTrainLoop',
    max_iters=max_iters,
    val_interval=max_iters // 3)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=100),
    dict(
        type='CosineAnnealingLR',
        T_max=max_iters,
        eta_min=1e-5,
        by_epoch=False,
        begin=0,
        end=max_iters)
]
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(by_epoch=False, interval=max_iters // 6))
log_processor = dict(by_epoch=False)
