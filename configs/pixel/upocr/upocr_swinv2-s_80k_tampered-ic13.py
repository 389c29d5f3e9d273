# Test the jointly trained UPOCR on Tampered-IC13 tampered-text detection:
# pixel-level IoU / P / R / F of real and tampered text, mIoU and mF at the
# original size, prediction = argmax over the colour channels (spec §6.3).
#   bash tools/dist_test.sh \
#       configs/pixel/upocr/upocr_swinv2-s_80k_tampered-ic13.py CKPT 2
_base_ = ['upocr_swinv2-s_80k_joint.py']

test_dataloader = dict(
    dataset=dict(
        _base_.tampered_ic13_pixel_test,
        _delete_=True,
        pipeline=_base_.tamper_test_pipeline))
test_evaluator = dict(type='TamperedTextMetric')
