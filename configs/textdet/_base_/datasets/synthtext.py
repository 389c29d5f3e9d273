# SynthText (800k) text detection in mmocr's dataset-preparer layout
# (``python tools/dataset_converters/prepare_dataset.py synthtext --task
# textdet`` in an mmocr checkout):
#   data/synthtext/textdet_imgs/train/, textdet_train.json
# SynthText has no test split.
synthtext_textdet_data_root = '{{ fileDirname }}/../../../../data/synthtext'

synthtext_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=synthtext_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)
