# MSRA-TD500 text detection in mmocr's dataset-preparer layout:
#   data/msra_td500/textdet_imgs/{train,test}/, textdet_{train,test}.json
# mmocr's preparer has no MSRA-TD500 entry:
# tools/dataset_converters/prepare_msra_td500.py converts the official .gt
# files (one rotated box per line: index difficult x y w h theta) to 4-point
# polygons in mmocr 1.x JSON ("difficult" -> ``ignore: true``), optionally
# adding HUST-TR400 to the training split (--tr400).
msra_td500_textdet_data_root = '{{ fileDirname }}/../../../../data/msra_td500'

msra_td500_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=msra_td500_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

msra_td500_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=msra_td500_textdet_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)
