# TCM-DBNet (CLIP RN50, 32 learnable tokens) finetuned on CTW1500 (the
# released CTW1500 config, docs/tcm.md): AdamW 1e-4, weight decay 1e-4, poly
# LR over 1200 epochs, evaluation every 15 epochs, test short side 1024,
# polygon output. README F-measure: 85.1 (no released weights). The official
# model starts from the SynthText+SynthText150K+MLT17+TD500+TR400+real
# pretraining: set ``load_from`` to your pretraining checkpoint.
_base_ = [
    '_base_tcm_clip-r50-ctx32_fpnc.py',
    '../_base_/datasets/ctw1500.py',
    '../_base_/schedules/schedule_tcm_adam_1200e.py',
]

load_from = None

# The score threshold the model is deployed with: the post-processor drops
# text below it, and the metric's ``icdar/hmean`` counts exactly the rest.
min_text_score = 0.3

model = dict(
    det_head=dict(
        postprocessor=dict(
            type='DBPostprocessor',
            text_repr_type='poly',
            mask_thr=0.08,
            min_text_score=min_text_score,
            min_text_width=3,
            unclip_ratio=2.0,
            epsilon_ratio=0.0001,
            max_candidates=3000)))

train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(_base_.ctw1500_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    # The base test pipeline: Resize (4068, 1024), short side 1024.
    dataset=dict(_base_.ctw1500_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(score_thr=min_text_score)
test_evaluator = val_evaluator

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-4, weight_decay=1e-4))
train_cfg = dict(val_interval=15)
