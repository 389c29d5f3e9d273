# ICDAR2019-MLT text detection, training split (the test labels are not
# public). mmocr has no MLT19 converter; ours reads the official ground truth.
# Layout: data/mlt19/textdet_imgs/train/ (ImagesPart1 + ImagesPart2),
#   data/mlt19/annotations/train/ (the detection ground-truth .txt files)
#   python tools/dataset_converters/mlt19_converter.py \
#       data/mlt19/annotations/train data/mlt19/textdet_imgs/train \
#       --out-dir data/mlt19    # -> data/mlt19/textdet_train.json
# Pseudo-label loss weights (I3CL SSL) from I3CL's released COCO file (name as
# downloaded; convert each part if there are several):
#   python tools/dataset_converters/i3cl_coco_to_mmocr.py \
#       <i3cl>/icdar2019_mlt_lossweight.json \
#       data/mlt19/textdet_train_lossweight.json \
#       --img-prefix textdet_imgs/train/
mlt19_textdet_data_root = '{{ fileDirname }}/../../../../data/mlt19'

mlt19_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=mlt19_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

mlt19_ssl_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=mlt19_textdet_data_root,
    ann_file='textdet_train_lossweight.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)
