# icdar2015 text detection in mmocr's dataset-preparer layout (data/README.md):
#   data/icdar2015/textdet_imgs/{train,test}/, textdet_{train,test}.json
icdar2015_textdet_data_root = '{{ fileDirname }}/../../../../data/icdar2015'

icdar2015_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=icdar2015_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

icdar2015_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=icdar2015_textdet_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)
