# Synthetic pixel-level data (docs/synth.md): every image gives exact
# ground truth for the three tasks: the clean background (text removal; the
# removal mask is the filled word polygons, as SCUT-EnsText's), the text
# pixel mask (segmentation, no ignore) and a tampered twin with one word
# re-rendered in the same style (tamper detection; word boxes, label 2 for
# the replaced word). Written by
#   python tools/dataset_converters/generate_synth.py --tasks pixel \
#       --split train --seed 21 --num 2000 --height 128 --width 128 \
#       --num-words 1 4 --font-size 0.12 0.25 --out data/upocr_synth/train
# and the same with --split test --seed 22 --num 100 --out
# data/upocr_synth/test (tools/misc/upocr_learning_check.py --generate-only
# does both).
synth_pixel_data_root = '{{ fileDirname }}/../../../../data/upocr_synth'

synth_pixel_train = dict(
    type='SynthPixelDataset',
    data_root=synth_pixel_data_root + '/train',
    ann_file='pixel_train.json',
    pipeline=None)

synth_pixel_test = dict(
    type='SynthPixelDataset',
    data_root=synth_pixel_data_root + '/test',
    ann_file='pixel_test.json',
    test_mode=True,
    pipeline=None)
