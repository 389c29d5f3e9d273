# ReCTS (ICDAR2019-ReCTS) text detection, training split (the test labels
# are not public). Layout (what mmocr's converter expects):
#   data/rects/imgs/*.jpg, data/rects/annotations/*.json
#   C=$(python -c 'import mmocr; print(mmocr.__path__[0])')
#   C=$C/.mim/tools/dataset_converters
#   python $C/textdet/rects_converter.py data/rects --nproc 4
#   python tools/dataset_converters/textdet_relabel.py \
#       data/rects/instances_training.json data/rects/textdet_train.json
# (the converter writes bbox_label 1; textdet_relabel.py makes it 0).
rects_textdet_data_root = '{{ fileDirname }}/../../../../data/rects'

rects_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=rects_textdet_data_root,
    ann_file='textdet_train.json',
    data_prefix=dict(img_path='imgs/'),
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)
