# InstructOCR fine-tuning on ICDAR 2015 (spec B7): instruction templates,
# shorter side 704..1600 (step 32) with the longer side capped at 1920,
# 140 epochs (official 290 -> 430) at a constant 1e-5, 8 GPUs x 2 images.
# Test: shorter side 1280, longer capped at 1920, "all text", the
# point-based end-to-end metric with the Generic (90k), Weak (test
# vocabulary) and Strong (per-image) lexicons; paper: 80.6 / 84.2 / 87.5.
# The lexicon files are those of mmocr's SPTS project / the ICDAR 2015
# challenge, placed in data/icdar2015/lexicons/ (docs/instructocr.md).
#   --cfg-options load_from=work_dirs/<instruction run>/epoch_50.pth
_base_ = [
    '_base_instructocr_clip-r50.py',
    '../_base_/datasets/icdar2015.py',
    '../_base_/schedules/schedule_instructocr_adamw.py',
    '../_base_/default_runtime.py',
]

train_pipeline = [
    dict(t, scales=[(1920, s) for s in range(704, 1601, 32)])
    if t.type == 'RandomChoiceResize' else t for t in _base_.train_pipeline
]
train_dataloader = dict(
    batch_size=2,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(_base_.icdar2015_textspotting_train, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _base_.icdar2015_textspotting_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader

lexicons = '{{ fileDirname }}/../../../data/icdar2015/lexicons'
val_evaluator = [
    dict(type='PointSpottingMetric', prefix='icdar2015/none'),
    dict(
        type='PointSpottingMetric',
        prefix='icdar2015/generic',
        lexicon_type='generic',
        lexicon=lexicons + '/GenericVocabulary_new.txt',
        pairs=lexicons + '/GenericVocabulary_pair_list.txt'),
    dict(
        type='PointSpottingMetric',
        prefix='icdar2015/weak',
        lexicon_type='weak',
        lexicon=lexicons + '/ch4_test_vocabulary_new.txt',
        pairs=lexicons + '/ch4_test_vocabulary_pair_list.txt'),
    dict(
        type='PointSpottingMetric',
        prefix='icdar2015/strong',
        lexicon_type='strong',
        lexicon=lexicons + '/strong_lexicon',
        strong_template='new_voc_{stem}.txt',
        pairs=lexicons + '/strong_lexicon',
        strong_pair_template='pair_voc_{stem}.txt'),
]
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(lr=1e-5))
train_cfg = dict(max_epochs=140, val_interval=20)
auto_scale_lr = dict(base_batch_size=16)
