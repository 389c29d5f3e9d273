# SynthText150K (CurvedSynText150k, AdelaiDet's release: train1.json with
# syntext_word_eng/, train2.json with emcs_imgs/), I3CL's pretraining data.
# mmocr's legacy converter turns the Bezier curves into polygons (COCO
# layout); ours migrates that to mmocr 1.x with bbox_label 0:
#   C=$(python -c 'import mmocr; print(mmocr.__path__[0])')
#   C=$C/.mim/tools/dataset_converters
#   python $C/common/curvedsyntext_converter.py data/synthtext150k \
#       --nproc 4
#   python tools/dataset_converters/i3cl_coco_to_mmocr.py \
#       data/synthtext150k/instances_training.json \
#       data/synthtext150k/textdet_train.json
# (mmocr's textdet/data_migrator.py ... --task textdet does the same).
# No test split.
synthtext150k_textdet_data_root = \
    '{{ fileDirname }}/../../../../data/synthtext150k'

synthtext150k_textdet_train = dict(
    type='CheckedOCRDataset',
    data_root=synthtext150k_textdet_data_root,
    ann_file='textdet_train.json',
    filter_cfg=dict(filter_empty_gt=True, min_size=32),
    pipeline=None)
