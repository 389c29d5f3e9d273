# I3CL with the ViTAEv2-S backbone (spec A2.4; the official one-stage ArT
# model, "ViTAE_Window_NoShift"): the I3CL-R50 model of
# _base_i3cl_resnet50_fpn.py with the backbone replaced; its C2..C5 outputs
# (64, 128, 256, 512 channels) feed the FPN. Stochastic depth 0.3 (the
# training config's value; the official model file says 0.2).
# ImageNet weights from a local file (never a download):
#   python tools/model_converters/vitae_to_mmocr_ext.py \
#       <ViTAE>/model_best.pth.tar checkpoints/vitaev2-s_imagenet.pth
_base_ = ['_base_i3cl_resnet50_fpn.py']

vitae_checkpoint = ('{{ fileDirname }}/../../../checkpoints/'
                    'vitaev2-s_imagenet.pth')

model = dict(
    cfg=dict(
        backbone=dict(
            _delete_=True,
            type='ViTAEv2WindowNoShift',
            drop_path_rate=0.3,
            out_indices=(0, 1, 2, 3),
            init_cfg=dict(type='Pretrained', checkpoint=vitae_checkpoint)),
        neck=dict(in_channels=[64, 128, 256, 512])))
