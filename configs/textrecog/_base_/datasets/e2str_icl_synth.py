# Synthetic word crops for E2STR's in-context learning check (docs/e2str.md),
# written by
#   python tools/misc/make_e2str_icl_data.py --out data/e2str_icl
# train/val: DejaVu fonts ("train style"), train lexicon; test: 300 words
# outside the train lexicon in held-out fonts (STIX, Computer Modern);
# pool_same: two other renderings of each test word in the held-out fonts;
# pool_unrelated: 300 other words, same style. Crops carry char_polygons.
e2str_icl_data_root = '{{ fileDirname }}/../../../../data/e2str_icl'


def _set(name, test_mode):
    return dict(
        type='OCRDataset',
        data_root=f'{e2str_icl_data_root}/{name}',
        ann_file=f'textrecog_{name}.json',
        test_mode=test_mode,
        pipeline=None)


e2str_icl_textrecog_train = _set('train', False)
e2str_icl_textrecog_val = _set('val', True)
e2str_icl_textrecog_test = _set('test', True)
# in-context pools (annotation files; E2STR caches their features)
e2str_icl_pool_same = (
    f'{e2str_icl_data_root}/pool_same/textrecog_pool_same.json')
e2str_icl_pool_unrelated = (
    f'{e2str_icl_data_root}/pool_unrelated/textrecog_pool_unrelated.json')
