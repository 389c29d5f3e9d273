# RCTW-17 text detection, training split (the test labels are not public).
# Layout (what mmocr's converter expects): data/rctw/imgs/*.jpg,
# data/rctw/annotations/*.txt (RCTW's train image_*.jpg / image_*.txt)
#   C=$(python -c 'import mmocr; print(mmocr.__path__[0])')
#   C=$C/.mim/tools/dataset_converters
#   python $C/textdet/rctw_converter.py data/rctw --nproc 4
#   python tools/dataset_converters/textdet_relabel.py \
#       data/rctw/instances_training.json data/rctw/textdet_train.json
# (the converter writes bbox_label 1; textdet_relabel.py makes it 0).
rctw_textdet_data_root = '{{ fileDirname }}/../../../../data/rctw'

rctw_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=rctw_textdet_data_root,
    ann_file='textdet_train.json',
    data_prefix=dict(img_path='imgs/'),
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)
