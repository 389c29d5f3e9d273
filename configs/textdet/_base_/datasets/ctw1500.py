# ctw1500 text detection in mmocr's dataset-preparer layout (data/README.md):
#   data/ctw1500/textdet_imgs/{train,test}/, textdet_{train,test}.json
ctw1500_textdet_data_root = '{{ fileDirname }}/../../../../data/ctw1500'

ctw1500_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=ctw1500_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

ctw1500_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=ctw1500_textdet_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)
