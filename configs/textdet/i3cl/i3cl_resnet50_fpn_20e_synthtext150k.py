# I3CL-R50 stage 1 of 3 (+ SSL), pretraining (spec A5, ms_pretrain):
# SynthText150K, the I3CL modules OFF (plain Mask R-CNN), ResNet-50 from
# torchvision, SGD 0.01 for 20 epochs, 2 images x 4 GPUs.
# Next: i3cl_resnet50_fpn_10e_mixtrain.py (loads its epoch_20.pth).
# SynthText150K has no test split: validation and test run on ArT train (a
# zero-shot sanity check, not a result); see i3cl_vitaev2-s_fpn_12e_art.py
# for ArT test submissions.
_base_ = [
    '_base_i3cl_resnet50_fpn.py',
    '_base_i3cl_pipelines.py',
    '../_base_/datasets/synthtext150k.py',
    '../_base_/datasets/art.py',
    '../_base_/schedules/schedule_i3cl_sgd_20e.py',
]

# I3CL's ArT post-processing (spec A4): one simplified polygon per mask,
# score > 0.45; the metric counts exactly what is output.
score_thr = 0.45

model = dict(
    postprocessor=dict(type='I3CLMaskPostprocessor', score_thr=score_thr),
    cfg=dict(intracl_on=False, roi_head=dict(intercl_on=False)))

train_dataloader = dict(
    batch_size=2,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        _base_.synthtext150k_textdet_train,
        pipeline=_base_.i3cl_pretrain_train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _base_.art_textdet_train,
        test_mode=True,
        pipeline=_base_.i3cl_test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(score_thr=score_thr)
test_evaluator = val_evaluator

auto_scale_lr = dict(base_batch_size=8)
