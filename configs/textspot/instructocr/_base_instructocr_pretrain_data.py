# The pretraining / instruction data of spec B7 that mmocr's dataset
# preparer or our TSV converter provide: the ICDAR 2013, ICDAR 2015 and
# Total-Text training sets. The official runs also use MLT-2017,
# CurvedSynText150k (parts 1 and 2), TextOCR and HierText; their
# annotations in InstructOCR's TSV format were not released (issue #2), so
# add them here as mmocr textspotting json (e.g. converted with
# tools/dataset_converters/instructocr_tsv_to_mmocr.py) when you have them.
_base_ = [
    '../_base_/datasets/icdar2013.py',
    '../_base_/datasets/icdar2015.py',
    '../_base_/datasets/totaltext.py',
]
instructocr_pretrain_sets = [
    _base_.icdar2013_textspotting_train,
    _base_.icdar2015_textspotting_train,
    _base_.totaltext_textspotting_train,
]
