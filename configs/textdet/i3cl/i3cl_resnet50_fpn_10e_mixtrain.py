# I3CL-R50 stage 2, mixed training (spec A5, ms_mixtrain): LSVT + MLT19 +
# RCTW-17 + ReCTS + ArT, the I3CL modules still OFF, SGD 1e-3 for 10
# epochs, 1 image x 4 GPUs, from stage 1's last checkpoint.
# Next: i3cl_resnet50_fpn_8e_finetune.py, or the SSL branch
# i3cl_resnet50_fpn_10e_ssl.py (both load this stage's epoch_10.pth).
# The three offline-augmented ArT copies (art_light/noise/sig) of the
# official data are not in configs/textdet/_base_/datasets/art.py: convert
# them as its header says and add e.g.
#   dict(_base_.art_textdet_train, ann_file='textdet_train_light.json')
# to ``datasets``. Validation/test: ArT train (a sanity check, not a
# result; ArT's test labels are not public, see
# i3cl_vitaev2-s_fpn_12e_art.py for submissions).
_base_ = [
    '_base_i3cl_resnet50_fpn.py',
    '_base_i3cl_pipelines.py',
    '../_base_/datasets/lsvt.py',
    '../_base_/datasets/mlt19.py',
    '../_base_/datasets/rctw.py',
    '../_base_/datasets/rects.py',
    '../_base_/datasets/art.py',
    '../_base_/schedules/schedule_i3cl_sgd_10e.py',
]

# tools/train.py's default work_dir of stage 1.
load_from = 'work_dirs/i3cl_resnet50_fpn_20e_synthtext150k/epoch_20.pth'

# I3CL's ArT post-processing (spec A4): one simplified polygon per mask,
# score > 0.45; the metric counts exactly what is output.
score_thr = 0.45

model = dict(
    postprocessor=dict(type='I3CLMaskPostprocessor', score_thr=score_thr),
    cfg=dict(intracl_on=False, roi_head=dict(intercl_on=False)))

train_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            _base_.lsvt_textdet_train,
            _base_.mlt19_textdet_train,
            _base_.rctw_textdet_train,
            _base_.rects_textdet_train,
            _base_.art_textdet_train,
        ],
        pipeline=_base_.i3cl_train_pipeline))
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

auto_scale_lr = dict(base_batch_size=4)
