# totaltext text detection in mmocr's dataset-preparer layout (data/README.md):
#   data/totaltext/textdet_imgs/{train,test}/, textdet_{train,test}.json
totaltext_textdet_data_root = '{{ fileDirname }}/../../../../data/totaltext'

totaltext_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=totaltext_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

totaltext_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=totaltext_textdet_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)
