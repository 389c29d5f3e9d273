# TextSeg (text segmentation; 2,646 train / 340 val / 1,038 test images):
#   data/textseg/{image/<id>.jpg, semantic_label/<id>_maskfg.png, split.json}
# maskfg: 0 background, 100 text, 200 text effect (-> background, as
# UPOCR), 255 ignore. UPOCR trains on train + val and tests on test.
textseg_pixel_data_root = '{{ fileDirname }}/../../../../data/textseg'

textseg_pixel_train = dict(
    type='TextSegDataset',
    data_root=textseg_pixel_data_root,
    splits=('train', 'val'),
    pipeline=None)

textseg_pixel_test = dict(
    type='TextSegDataset',
    data_root=textseg_pixel_data_root,
    splits=('test', ),
    test_mode=True,
    pipeline=None)
