# InstructOCR fine-tuning on Total-Text (spec B7): as the ICDAR 2013 recipe
# (longer side capped at 1600; test shorter side 1024, capped at 1600);
# metric without lexicon and with the Full lexicon (paper README 74.2 /
# 82.4), files in data/totaltext/lexicons/.
_base_ = [
    'instructocr_clip-r50_140e_icdar2013.py', '../_base_/datasets/totaltext.py'
]

train_dataloader = dict(
    dataset=dict(
        _base_.totaltext_textspotting_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(
    dataset=dict(
        _base_.totaltext_textspotting_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader

lexicons = '{{ fileDirname }}/../../../data/totaltext/lexicons'
val_evaluator = [
    dict(type='PointSpottingMetric', prefix='totaltext/none'),
    dict(
        type='PointSpottingMetric',
        prefix='totaltext/full',
        lexicon_type='full',
        lexicon=lexicons + '/weak_voc_new.txt',
        pairs=lexicons + '/weak_voc_pair_list.txt'),
]
test_evaluator = val_evaluator
