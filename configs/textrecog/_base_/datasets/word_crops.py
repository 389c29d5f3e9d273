# The bundled REAL word crops (data/word_crops, see its SOURCE.txt): 36
# crops from the mmocr, clovaai, PaddleOCR and PARSeq repositories,
# labelled in data/word_crops/textrecog_test.json. A smoke test set only.
word_crops_textrecog_data_root = (
    '{{ fileDirname }}/../../../../data/word_crops')

word_crops_textrecog_test = dict(
    type='OCRDataset',
    data_root=word_crops_textrecog_data_root,
    ann_file='textrecog_test.json',
    test_mode=True,
    pipeline=None)
