# Union14M-L training data (Mountchicken/Union14M), E2STR's training set in
# both stages (spec A6), with its released mmocr 1.0 annotations:
#   data/Union14M-L/train_annos/mmocr1.0/train_<subset>.json
# (paths inside are relative to data/Union14M-L). The official E2STR list
# declares `challenging` with test_mode=True inside the training list (a
# bug: a sample the pipeline drops then raises instead of being replaced by
# another one); here every subset is a plain training set. The
# Union14M-Benchmark test sets are not configured.
union14m_textrecog_data_root = '{{ fileDirname }}/../../../../data/Union14M-L'

union14m_challenging_textrecog_train = dict(
    type='OCRDataset',
    data_root=union14m_textrecog_data_root,
    ann_file='train_annos/mmocr1.0/train_challenging.json',
    pipeline=None)

union14m_hard_textrecog_train = dict(
    type='OCRDataset',
    data_root=union14m_textrecog_data_root,
    ann_file='train_annos/mmocr1.0/train_hard.json',
    pipeline=None)

union14m_medium_textrecog_train = dict(
    type='OCRDataset',
    data_root=union14m_textrecog_data_root,
    ann_file='train_annos/mmocr1.0/train_medium.json',
    pipeline=None)

union14m_normal_textrecog_train = dict(
    type='OCRDataset',
    data_root=union14m_textrecog_data_root,
    ann_file='train_annos/mmocr1.0/train_normal.json',
    pipeline=None)

union14m_easy_textrecog_train = dict(
    type='OCRDataset',
    data_root=union14m_textrecog_data_root,
    ann_file='train_annos/mmocr1.0/train_easy.json',
    pipeline=None)

# All five, for a ConcatDataset in the leaf:
#   dict(type='ConcatDataset', datasets=_base_.union14m_textrecog_train_list,
#        pipeline=train_pipeline)
union14m_textrecog_train_list = [
    union14m_challenging_textrecog_train, union14m_hard_textrecog_train,
    union14m_medium_textrecog_train, union14m_normal_textrecog_train,
    union14m_easy_textrecog_train
]
