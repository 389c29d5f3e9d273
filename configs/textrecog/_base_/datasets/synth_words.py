# Word crops of the synthetic spotting images (the composed pipeline's
# learning check, docs/ocr.md), written by
#   python tools/misc/make_synth_word_crops.py
# train: every GT word of the first 3,800 images of data/instructocr_synth/
# train; val: those of its last 200; test: those of the 200 held-out test
# images. Case kept.
synth_words_data_root = ('{{ fileDirname }}/../../../../data/'
                         'instructocr_synth_words')


def _split(name, test_mode):
    return dict(
        type='OCRDataset',
        data_root=f'{synth_words_data_root}/{name}',
        ann_file=f'textrecog_{name}.json',
        test_mode=test_mode,
        pipeline=None)


synth_words_textrecog_train = _split('train', False)
synth_words_textrecog_val = _split('val', True)
synth_words_textrecog_test = _split('test', True)
