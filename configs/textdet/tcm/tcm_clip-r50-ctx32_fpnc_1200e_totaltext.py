# TCM-DBNet (CLIP RN50, 32 learnable tokens) finetuned on Total-Text (spec
# B4/B5): AdamW 1e-4, weight decay 1e-4, poly LR over 1200 epochs,
# evaluation every 10 epochs, test short side 800, polygon output.
# README F-measure: 85.9 (no released weights). The official model starts
# from the SynthText+SynthText150K+MLT17+TD500+TR400+real pretraining: set
# ``load_from`` to your pretraining checkpoint.
_base_ = [
    '_base_tcm_clip-r50-ctx32_fpnc.py',
    '../../_base_/default_runtime.py',
    '../../_base_/datasets/totaltext.py',
    '_base_tcm_schedule_1200e.py',
]

load_from = None

model = dict(
    det_head=dict(
        postprocessor=dict(
            type='DBPostprocessor',
            text_repr_type='poly',
            mask_thr=0.347,
            min_text_score=0.3,
            min_text_width=5,
            unclip_ratio=1.95,
            epsilon_ratio=0.004,
            max_candidates=3000)))

test_pipeline = _base_.test_pipeline
test_pipeline[1]['scale'] = (2944, 800)  # short side 800

totaltext_textdet_train = _base_.totaltext_textdet_train
totaltext_textdet_train.pipeline = _base_.train_pipeline
totaltext_textdet_test = _base_.totaltext_textdet_test
totaltext_textdet_test.pipeline = test_pipeline

train_dataloader = dict(dataset=totaltext_textdet_train)
val_dataloader = dict(dataset=totaltext_textdet_test)
test_dataloader = val_dataloader

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-4, weight_decay=1e-4))
train_cfg = dict(val_interval=10)

# A checkpoint every 300 epochs plus the best hmean (spec B5).
default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook',
        interval=300,
        save_best='icdar/hmean',
        rule='greater'))
