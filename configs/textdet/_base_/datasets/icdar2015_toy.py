# The bundled REAL toy set (data/icdar2015_toy, see its SOURCE.txt): ICDAR2015
# train img_1..img_10 for training, test img_10/11/195 for evaluation, in
# mmocr's dataset-preparer layout.
icdar2015_toy_textdet_data_root = (
    '{{ fileDirname }}/../../../../data/icdar2015_toy')

icdar2015_toy_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=icdar2015_toy_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

icdar2015_toy_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=icdar2015_toy_textdet_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)
