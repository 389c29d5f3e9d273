# TCM-DBNet (CLIP RN50, 32 learnable tokens) finetuned on Total-Text (the
# released Total-Text config, docs/tcm.md): AdamW 1e-4, weight decay 1e-4,
# poly LR over 1200 epochs, evaluation every 10 epochs, test short side 800,
# polygon output. README F-measure: 85.9 (no released weights). The official
# model starts from the SynthText+SynthText150K+MLT17+TD500+TR400+real
# pretraining: set ``load_from`` to your pretraining checkpoint.
_base_ = [
    '_base_tcm_clip-r50-ctx32_fpnc.py',
    '../_base_/datasets/totaltext.py',
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
            mask_thr=0.347,
            min_text_score=min_text_score,
            min_text_width=5,
            unclip_ratio=1.95,
            epsilon_ratio=0.004,
            max_candidates=3000)))

test_pipeline = [
    dict(t, scale=(2944, 800)) if t.type == 'Resize' else t  # short side 800
    for t in _base_.test_pipeline
]

train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        _base_.totaltext_textdet_train, pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(_base_.totaltext_textdet_test, pipeline=test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(score_thr=min_text_score)
test_evaluator = val_evaluator

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-4, weight_decay=1e-4))
train_cfg = dict(val_interval=10)
