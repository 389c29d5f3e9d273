# Test the jointly trained UPOCR on TextSeg text segmentation (1,038 test
# images): dataset-level fgIoU, precision, recall, F at the original size,
# prediction = channel mean of the output > 0.4 (spec §6.2).
#   bash tools/dist_test.sh \
#       configs/pixel/upocr/upocr_swinv2-s_80k_textseg.py CKPT 2
_base_ = ['upocr_swinv2-s_80k_joint.py']

test_dataloader = dict(
    dataset=dict(
        _base_.textseg_pixel_test,
        _delete_=True,
        pipeline=_base_.segmentation_test_pipeline))
test_evaluator = dict(type='TextSegMetric')
