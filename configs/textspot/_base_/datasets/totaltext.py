# Total-Text end-to-end text spotting in mmocr's dataset-preparer layout
# (data/README.md): images in data/totaltext/textdet_imgs/{train,test}/ and
# mmocr 1.x textspotting annotations (polygon, bbox, text; ignore: the
# preparer's '#', the TSVs' '###') in
# data/totaltext/textspotting_{train,test}.json, written by mmocr 1.0.1's
# preparer (run from a source checkout: its dataset_zoo/ is not in the wheel)
#   python tools/dataset_converters/prepare_dataset.py totaltext \
#       --task textspotting
# or from InstructOCR's TSV files (spec B7),
# whose 16-value Bezier curves become min-area quads, by
#   python tools/dataset_converters/instructocr_tsv_to_mmocr.py \
#       totaltext_train.tsv data/totaltext/textspotting_train.json \
#       --img-dir data/totaltext/textdet_imgs/train
# and the same for the test split -> data/totaltext/textspotting_test.json.
totaltext_textspotting_data_root = (
    '{{ fileDirname }}/../../../../data/totaltext')

totaltext_textspotting_train = dict(
    type='CheckedOCRDataset',
    data_root=totaltext_textspotting_data_root,
    ann_file='textspotting_train.json',
    pipeline=None)

totaltext_textspotting_test = dict(
    type='CheckedOCRDataset',
    data_root=totaltext_textspotting_data_root,
    ann_file='textspotting_test.json',
    test_mode=True,
    pipeline=None)
