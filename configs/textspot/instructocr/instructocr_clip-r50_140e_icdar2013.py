# InstructOCR fine-tuning on ICDAR 2013 (spec B7): as the ICDAR 2015
# recipe with the longer side capped at 1600; test shorter side 1024,
# longer capped at 1600; lexicons Generic / Weak / Strong (paper 91.7 /
# 94.1 / 94.9), files in data/icdar2013/lexicons/.
_base_ = [
    'instructocr_clip-r50_140e_icdar2015.py', '../_base_/datasets/icdar2013.py'
]

train_pipeline = [
    dict(t, scales=[(1600, s) for s in range(704, 1601, 32)])
    if t.type == 'RandomChoiceResize' else t for t in _base_.train_pipeline
]
test_pipeline = [
    dict(t, scale=(1600, 1024)) if t.type == 'Resize' else t
    for t in _base_.test_pipeline
]
train_dataloader = dict(
    dataset=dict(_base_.icdar2013_textspotting_train, pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(_base_.icdar2013_textspotting_test, pipeline=test_pipeline))
test_dataloader = val_dataloader

lexicons = '{{ fileDirname }}/../../../data/icdar2013/lexicons'
val_evaluator = [
    dict(type='PointSpottingMetric', prefix='icdar2013/none'),
    dict(
        type='PointSpottingMetric',
        prefix='icdar2013/generic',
        lexicon_type='generic',
        lexicon=lexicons + '/GenericVocabulary_new.txt',
        pairs=lexicons + '/GenericVocabulary_pair_list.txt'),
    dict(
        type='PointSpottingMetric',
        prefix='icdar2013/weak',
        lexicon_type='weak',
        lexicon=lexicons + '/ch2_test_vocabulary_new.txt',
        pairs=lexicons + '/ch2_test_vocabulary_pair_list.txt'),
    dict(
        type='PointSpottingMetric',
        prefix='icdar2013/strong',
        lexicon_type='strong',
        lexicon=lexicons + '/strong_lexicon',
        strong_template='new_voc_{stem}.txt',
        pairs=lexicons + '/strong_lexicon',
        strong_pair_template='pair_voc_{stem}.txt'),
]
test_evaluator = val_evaluator
