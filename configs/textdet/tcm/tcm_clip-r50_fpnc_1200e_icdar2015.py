# TCM-DBNet (CLIP RN50) finetuned on ICDAR2015 (spec B4/B5): Adam 1e-4,
# weight decay 1e-4, poly LR over 1200 epochs, batch 16 on one GPU,
# evaluation every 5 epochs keeping the best hmean. README F-measure: 88.8.
# The official models start from the SynthText+real pretraining
# (tcm_clip-r50_fpnc_20e_synthtext-real3.py): set ``load_from`` to its last
# checkpoint. As in the released config, None here = finetune from CLIP.
_base_ = [
    '_base_tcm_clip-r50_fpnc.py',
    '../../_base_/default_runtime.py',
    '../../_base_/datasets/icdar2015.py',
    '_base_tcm_schedule_1200e.py',
]

load_from = None

# Post-processing of the released config (spec B4).
model = dict(
    det_head=dict(
        postprocessor=dict(
            type='DBPostprocessor',
            text_repr_type='quad',
            mask_thr=0.28,
            min_text_score=0.2,
            min_text_width=2,
            unclip_ratio=1.6,
            epsilon_ratio=0.001,
            max_candidates=3000)))

test_pipeline = _base_.test_pipeline  # Resize (4068, 1024): short side 1024

icdar2015_textdet_train = _base_.icdar2015_textdet_train
icdar2015_textdet_train.pipeline = _base_.train_pipeline
icdar2015_textdet_test = _base_.icdar2015_textdet_test
icdar2015_textdet_test.pipeline = test_pipeline

train_dataloader = dict(dataset=icdar2015_textdet_train)
val_dataloader = dict(dataset=icdar2015_textdet_test)
test_dataloader = val_dataloader

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4))
train_cfg = dict(val_interval=5)

# A checkpoint every 300 epochs plus the best hmean (spec B5).
default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook',
        interval=300,
        save_best='icdar/hmean',
        rule='greater'))
