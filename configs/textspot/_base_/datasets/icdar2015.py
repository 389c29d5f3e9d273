# ICDAR 2015 end-to-end text spotting in mmocr's dataset-preparer layout
# (data/README.md): images in data/icdar2015/textdet_imgs/{train,test}/ and
# mmocr 1.x textspotting annotations (polygon, bbox, text; '###' = ignore)
# in data/icdar2015/textspotting_{train,test}.json, written by mmocr 1.0.1's
# preparer (run from a source checkout: its dataset_zoo/ is not in the wheel)
#   python tools/dataset_converters/prepare_dataset.py icdar2015 \
#       --task textspotting
# or from InstructOCR's TSV files (spec B7) by
#   python tools/dataset_converters/instructocr_tsv_to_mmocr.py \
#       icdar2015_train.tsv data/icdar2015/textspotting_train.json \
#       --img-dir data/icdar2015/textdet_imgs/train
# and the same for the test split -> data/icdar2015/textspotting_test.json.
icdar2015_textspotting_data_root = (
    '{{ fileDirname }}/../../../../data/icdar2015')

icdar2015_textspotting_train = dict(
    type='CheckedOCRDataset',
    data_root=icdar2015_textspotting_data_root,
    ann_file='textspotting_train.json',
    pipeline=None)

icdar2015_textspotting_test = dict(
    type='CheckedOCRDataset',
    data_root=icdar2015_textspotting_data_root,
    ann_file='textspotting_test.json',
    test_mode=True,
    pipeline=None)
