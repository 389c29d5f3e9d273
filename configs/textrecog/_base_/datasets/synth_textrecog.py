# Our synthetic word crops (docs/synth.md) with per-character quadrilaterals
# (`char_polygons`), for E2STR's split strategy. One folder per split: the
# generator replaces its whole --out folder, and tools/run_demo.sh replaces
# data/synth, so the crops do not live there.
#   python tools/dataset_converters/generate_synth.py --tasks rec \
#       --split train --seed 0 --num 1000 --out data/synth_textrecog_train
#   python tools/dataset_converters/generate_synth.py --tasks rec \
#       --split test --seed 2 --num 100 --out data/synth_textrecog_test
# write data/synth_textrecog_train/textrecog_train.json and
# data/synth_textrecog_test/textrecog_test.json (images in
# textrecog_imgs/<split>/).
synth_textrecog_train_data_root = (
    '{{ fileDirname }}/../../../../data/synth_textrecog_train')
synth_textrecog_test_data_root = (
    '{{ fileDirname }}/../../../../data/synth_textrecog_test')

synth_textrecog_train = dict(
    type='OCRDataset',
    data_root=synth_textrecog_train_data_root,
    ann_file='textrecog_train.json',
    pipeline=None)

synth_textrecog_test = dict(
    type='OCRDataset',
    data_root=synth_textrecog_test_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None)
