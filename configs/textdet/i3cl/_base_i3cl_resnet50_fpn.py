# I3CL-R50 (spec A1-A2.5): mmdet's Mask R-CNN R50-FPN with I3CL's intra-
# instance blocks on P2-P6 (I3CLMaskRCNN), the inter-instance transformer and
# global context on the mask branch (I3CLRoIHead), SSL-aware RPN and box head
# (no effect without per-instance `lossweight`), 1 text class, R-CNN NMS 0.35;
# wrapped for mmocr (polygons for hmean-iou) by I3CLWrapper.
# Backbone weights: torchvision's ResNet-50 from a local file, e.g.
#   python -c "import torchvision; torchvision.models.resnet50(\
#       weights='IMAGENET1K_V1')"  # then copy ~/.cache/torch/hub/checkpoints/
#   resnet50-0676ba61.pth to checkpoints/ (no download at run time).
_base_ = ['mmdet::_base_/models/mask-rcnn_r50_fpn.py']

r50_checkpoint = ('{{ fileDirname }}/../../../checkpoints/'
                  'resnet50-0676ba61.pth')

i3cl = _base_.pop('model')
i3cl.update(
    dict(
        type='I3CLMaskRCNN',
        intracl_on=True,
        # mmocr's MMOCR2MMDet gives bool masks, which mmdet cannot pad.
        data_preprocessor=dict(pad_mask=False, pad_size_divisor=32),
        backbone=dict(
            init_cfg=dict(type='Pretrained', checkpoint=r50_checkpoint)),
        rpn_head=dict(type='I3CLRPNHead'),
        roi_head=dict(
            type='I3CLRoIHead',
            intercl_on=True,
            inter_cl=dict(type='I3CLInterInstance'),
            bbox_head=dict(type='I3CLBBoxHead', num_classes=1),
            mask_head=dict(num_classes=1)),
        test_cfg=dict(
            rcnn=dict(
                score_thr=0.05,
                nms=dict(type='nms', iou_threshold=0.35),
                max_per_img=100,
                mask_thr_binary=0.5))))

model = dict(type='I3CLWrapper', text_repr_type='poly', cfg=i3cl)
