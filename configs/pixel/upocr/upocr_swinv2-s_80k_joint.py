# UPOCR joint training (spec §3.3-§5): one model, three tasks, 80k
# iterations. Every batch holds 8 images of each task (MultiTaskGroupedSampler
# over one ConcatDataset; batch_size = 8 x 3); the official run used 2 GPUs,
# i.e. 16 images per task per iteration:
#   bash tools/dist_train.sh \
#       configs/pixel/upocr/upocr_swinv2-s_80k_joint.py 2 --amp
# Keep the per-task batch when changing the GPU count (the official code does
# no LR scaling). Initialisation: the official run starts from the SegMIM
# pretraining file (``load_from`` a converted copy); from scratch otherwise.
# The VGG-16 of the removal losses is read from ``vgg_pretrained`` (a local
# torchvision ``vgg16-397923af.pth``) at the first iteration.
# Validation at the end on SCUT-EnsText; the three test configs
# (upocr_swinv2-s_80k_{scut-enstext,textseg,tampered-ic13}.py) evaluate
# one task each.
_base_ = [
    '_base_upocr_swinv2-s.py',
    '../_base_/datasets/scut_enstext.py',
    '../_base_/datasets/tampered_ic13.py',
    '../_base_/datasets/textseg.py',
    '../_base_/schedules/schedule_upocr_adamw_80k.py',
]

upocr_samples_per_task = 8
train_dataloader = dict(
    batch_size=upocr_samples_per_task * 3,
    num_workers=6,
    persistent_workers=True,
    sampler=dict(
        type='MultiTaskGroupedSampler',
        samples_per_task=upocr_samples_per_task,
        batch_size=upocr_samples_per_task * 3,
        shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        verify_meta=False,
        # Prompt order = the model's task_list; batch order = this order.
        datasets=[
            dict(
                _base_.scut_enstext_pixel_train,
                pipeline=_base_.removal_train_pipeline),
            dict(
                _base_.tampered_ic13_pixel_train,
                pipeline=_base_.tamper_train_pipeline),
            dict(
                _base_.textseg_pixel_train,
                pipeline=_base_.segmentation_train_pipeline),
        ]))
val_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        _base_.scut_enstext_pixel_test, pipeline=_base_.removal_test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='TextRemovalMetric')
test_evaluator = val_evaluator
visualizer = dict(type='PixelOCRLocalVisualizer')
