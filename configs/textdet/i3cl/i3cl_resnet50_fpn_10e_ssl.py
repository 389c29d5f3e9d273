# I3CL-R50 semi-supervised stage (spec A3, A5, ms_ssl): the
# pseudo-labelled *_lossweight sets (ArT, LSVT train, LSVT *test* images,
# MLT19; positives' RPN and R-CNN box losses scaled by their instance's
# weight), the I3CL modules OFF, SGD 5e-4, x0.1 after epochs 4 and 8, 10
# epochs, 1 image x 4 GPUs, from stage 2 (mixtrain) epoch_10.
# Next: i3cl_resnet50_fpn_6e_ssl-finetune.py.
_base_ = ['i3cl_resnet50_fpn_10e_mixtrain.py']

load_from = 'work_dirs/i3cl_resnet50_fpn_10e_mixtrain/epoch_10.pth'

model = dict(cfg=dict(intracl_on=False, roi_head=dict(intercl_on=False)))

train_dataloader = dict(
    dataset=dict(
        datasets=[
            _base_.art_ssl_textdet_train,
            _base_.lsvt_ssl_textdet_train,
            _base_.lsvt_test_ssl_textdet_train,
            _base_.mlt19_ssl_textdet_train,
        ],
        pipeline=_base_.i3cl_ssl_train_pipeline))

optim_wrapper = dict(optimizer=dict(lr=5e-4))
