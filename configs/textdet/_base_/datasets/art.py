# ArT (ICDAR2019-ArT) text detection, training split (the test labels are
# not public: submit with tools/make_submission.py --format art). Layout:
#   data/art/imgs/gt_*.jpg (ArT's train_images/),
#   data/art/textdet_train.json, data/art/textdet_train_lossweight.json
# mmocr 1.0.1's tools/dataset_converters/textdet/art_converter.py does not run
# (it imports convert_annotations, which mmocr 1.x no longer has); convert
# I3CL's released COCO files (names as downloaded) instead:
#   python tools/dataset_converters/i3cl_coco_to_mmocr.py \
#       <i3cl>/art_train.json data/art/textdet_train.json --img-prefix imgs/
#   python tools/dataset_converters/i3cl_coco_to_mmocr.py \
#       <i3cl>/art_train_lossweight.json \
#       data/art/textdet_train_lossweight.json --img-prefix imgs/
# The offline-augmented copies (art_light/noise/sig) convert the same way,
# each with its own image folder as --img-prefix.
art_textdet_data_root = '{{ fileDirname }}/../../../../data/art'

art_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=art_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)

# Pseudo-label loss weights per instance (I3CL SSL, LoadInstanceLossWeights).
art_ssl_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=art_textdet_data_root,
    ann_file='textdet_train_lossweight.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)
