# SCUT-EnsText (text removal; 2,749 train / 813 test images). Layout, as the
# official code reads it (its README says SCUT-EnsText, its code SCUT-ENS):
#   data/scut_enstext/{train,test}/{image,label,mask}/<stem>.jpg
# ``image`` = the release's ``all_images``, ``label`` = ``all_labels`` (the
# erased ground truth); ``mask`` (white = non-text, polygons of
# ``all_gts/<stem>.txt`` filled black, JPEG) is generated offline as
# ViTEraser's ``tools/generate_mask.py`` does. The test masks are not used by
# the metric but are read when present (mask_dir=None skips them).
scut_enstext_pixel_data_root = (
    '{{ fileDirname }}/../../../../data/scut_enstext')

scut_enstext_pixel_train = dict(
    type='SCUTEnsTextDataset',
    data_root=scut_enstext_pixel_data_root + '/train',
    img_dir='image',
    label_dir='label',
    mask_dir='mask',
    pipeline=None)

scut_enstext_pixel_test = dict(
    type='SCUTEnsTextDataset',
    data_root=scut_enstext_pixel_data_root + '/test',
    img_dir='image',
    label_dir='label',
    mask_dir=None,
    test_mode=True,
    pipeline=None)
