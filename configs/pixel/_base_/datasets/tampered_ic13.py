# Tampered-IC13 (tampered-text detection, built from ICDAR 2013):
#   data/tampered_ic13/{train_img,train_gt,test_img,test_gt}/
# one ``x1,y1,x2,y2,label`` line per box in ``<phase>_gt/<stem>.txt`` (label
# 1 real text, 2 tampered text), rendered to the colour map red background /
# green real / blue tampered (boxes filled in file order).
tampered_ic13_pixel_data_root = (
    '{{ fileDirname }}/../../../../data/tampered_ic13')

tampered_ic13_pixel_train = dict(
    type='TamperedIC13Dataset',
    data_root=tampered_ic13_pixel_data_root,
    phase='train',
    pipeline=None)

tampered_ic13_pixel_test = dict(
    type='TamperedIC13Dataset',
    data_root=tampered_ic13_pixel_data_root,
    phase='test',
    test_mode=True,
    pipeline=None)
