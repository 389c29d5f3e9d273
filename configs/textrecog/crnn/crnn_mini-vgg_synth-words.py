# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
# Control recognizer of the composed pipeline's learning check: mmocr's own
# CRNN (mini-VGG + BiLSTM + CTC, inherited through ``mmocr::``), trained from
# scratch on CPU on the word crops of the synthetic spotting images
# (data/instructocr_synth_words, tools/misc/make_synth_word_crops.py). Case
# kept: mmocr's English dictionary with digits and symbols.
_base_ = [
    'mmocr::textrecog/crnn/_base_crnn_mini-vgg.py',
    'mmocr::textrecog/_base_/schedules/schedule_adadelta_5e.py',
    '../_base_/datasets/synth_words.py',
    '../_base_/default_runtime.py',
]

# mmocr's dictionaries ship next to its configs: the base's path, other file
dictionary = dict(
    _base_.dictionary,
    dict_file=_base_.dictionary.dict_file.replace('lower_english_digits',
                                                  'english_digits_symbols'),
    with_unknown=True)
model = dict(
    decoder=dict(
        dictionary=dictionary, module_loss=dict(letter_case='unchanged')))

# CPU budget (2 shared cores; 1,500 iterations took ~75 min): the crops are
# resized to 64x32 (16 CTC steps, enough for the <= 7-character words and
# numbers) in training and test alike, Adam instead of Adadelta (faster
# start), and a constant learning rate so the run can be stopped at any
# checkpoint.
crop_scale = (64, 32)
train_pipeline = [
    dict(
        type='LoadImageFromFile',
        color_type='grayscale',
        ignore_empty=True,
        min_size=2),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='Resize', scale=crop_scale, keep_ratio=False),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='grayscale'),
    dict(type='Resize', scale=crop_scale, keep_ratio=False),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio'))
]

max_iters = 1500
train_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.synth_words_textrecog_train],
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.synth_words_textrecog_val],
        pipeline=test_pipeline))
test_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=False,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[_base_.synth_words_textrecog_test],
        pipeline=test_pipeline))
val_evaluator = dict(dataset_prefixes=['val'])
test_evaluator = dict(dataset_prefixes=['test'])

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Adam', lr=1e-3),
    clip_grad=dict(max_norm=5.0))
train_cfg = dict(
    _delete_=True,
    type='IterBasedTrainLoop',
    max_iters=max_iters,
    val_interval=100)
default_hooks = dict(
    logger=dict(interval=5), checkpoint=dict(by_epoch=False, interval=50))
log_processor = dict(by_epoch=False)
