# LSVT (ICDAR2019-LSVT) text detection, fully annotated training images (the
# test labels are not public). Layout (what mmocr's converter expects):
#   data/lsvt/imgs/gt_*.jpg, data/lsvt/annotations/train_full_labels.json
#   C=$(python -c 'import mmocr; print(mmocr.__path__[0])')
#   C=$C/.mim/tools/dataset_converters
#   python $C/textdet/lsvt_converter.py data/lsvt
#   python tools/dataset_converters/textdet_relabel.py \
#       data/lsvt/instances_training.json data/lsvt/textdet_train.json
# (the converter writes bbox_label 1; textdet_relabel.py makes it 0).
# Pseudo-labelled sets of I3CL's SSL stage, from its released COCO files
# (names as downloaded; LSVT's unlabelled test images in data/lsvt/imgs_test/):
#   python tools/dataset_converters/i3cl_coco_to_mmocr.py \
#       <i3cl>/lsvt_train_lossweight.json \
#       data/lsvt/textdet_train_lossweight.json --img-prefix imgs/
#   python tools/dataset_converters/i3cl_coco_to_mmocr.py \
#       <i3cl>/lsvt_test_lossweight.json \
#       data/lsvt/textdet_test_lossweight.json --img-prefix imgs_test/
# I3CL's LSVT training annotations come in two parts: convert each (e.g. to
# textdet_train{1,2}_lossweight.json) and set ann_file per part.
lsvt_textdet_data_root = '{{ fileDirname }}/../../../../data/lsvt'

lsvt_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=lsvt_textdet_data_root,
    ann_file='textdet_train.json',
    data_prefix=dict(img_path='imgs/'),
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

lsvt_ssl_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=lsvt_textdet_data_root,
    ann_file='textdet_train_lossweight.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

# LSVT's test images with I3CL's pseudo labels (training data of the SSL
# stage, not a test set).
lsvt_test_ssl_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=lsvt_textdet_data_root,
    ann_file='textdet_test_lossweight.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)
