# TCM-DBNet (CLIP RN50, 32 learnable tokens) finetuned on CTW1500 (spec
# B4/B5): AdamW 1e-4, weight decay 1e-4, poly LR over 1200 epochs,
# evaluation every 15 epochs, test short side 1024, polygon output.
# README F-measure: 85.1 (no released weights). The official model starts
# from the SynthText+SynthText150K+MLT17+TD500+TR400+real pretraining: set
# ``load_from`` to your pretraining checkpoint.
_base_ = [
    '_base_tcm_clip-r50-ctx32_fpnc.py',
    '../../_base_/default_runtime.py',
    '../../_base_/datasets/ctw1500.py',
    '_base_tcm_schedule_1200e.py',
]

load_from = None

model = dict(
    det_head=dict(
        postprocessor=dict(
            type='DBPostprocessor',
            text_repr_type='poly',
            mask_thr=0.08,
            min_text_score=0.3,
            min_text_width=3,
            unclip_ratio=2.0,
            epsilon_ratio=0.0001,
            max_candidates=3000)))

test_pipeline = _base_.test_pipeline  # Resize (4068, 1024)

ctw1500_textdet_train = _base_.ctw1500_textdet_train
ctw1500_textdet_train.pipeline = _base_.train_pipeline
ctw1500_textdet_test = _base_.ctw1500_textdet_test
ctw1500_textdet_test.pipeline = test_pipeline

train_dataloader = dict(dataset=ctw1500_textdet_train)
val_dataloader = dict(dataset=ctw1500_textdet_test)
test_dataloader = val_dataloader

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-4, weight_decay=1e-4))
train_cfg = dict(val_interval=15)

# A checkpoint every 300 epochs plus the best hmean (spec B5).
default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook',
        interval=300,
        save_best='icdar/hmean',
        rule='greater'))
