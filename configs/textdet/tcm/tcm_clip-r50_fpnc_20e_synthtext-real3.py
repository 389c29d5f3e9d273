# TCM-DBNet (CLIP RN50, 4 learnable tokens) pretraining (the released
# "st_real3" config, docs/tcm.md): SynthText (800k) + ICDAR2015 + CTW1500 +
# Total-Text train sets, plainly concatenated; Ranger 1e-3, no weight decay,
# poly LR over 20 epochs, batch 20 per GPU x 8 GPUs, a checkpoint every
# epoch, evaluated on ICDAR2015 test with the default DB post-processing
# (quad, 0.3/0.3/5/1.5/0.01).
# The finetuning configs start from its last checkpoint via ``load_from``.
_base_ = [
    '_base_tcm_clip-r50_fpnc.py',
    '../_base_/datasets/synthtext.py',
    '../_base_/datasets/icdar2015.py',
    '../_base_/datasets/ctw1500.py',
    '../_base_/datasets/totaltext.py',
    '../_base_/schedules/schedule_tcm_ranger_20e.py',
]

# The score threshold the model is deployed with: the post-processor drops
# text below it, and the metric's ``icdar/hmean`` counts exactly the rest.
min_text_score = 0.3

model = dict(
    det_head=dict(
        postprocessor=dict(
            type='DBPostprocessor',
            text_repr_type='quad',
            mask_thr=0.3,
            min_text_score=min_text_score,
            min_text_width=5,
            unclip_ratio=1.5,
            epsilon_ratio=0.01,
            max_candidates=3000)))

# CTW1500/Total-Text polygons may have < 4 points: drop those right after
# loading, for every set.
fix_invalid_polygon = dict(type='FixInvalidPolygon', min_poly_points=4)
train_pipeline = [
    step for t in _base_.train_pipeline for step in (
        [t, fix_invalid_polygon] if t.type == 'LoadOCRAnnotations' else [t])
]

train_dataloader = dict(
    batch_size=20,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            _base_.synthtext_textdet_train, _base_.icdar2015_textdet_train,
            _base_.ctw1500_textdet_train, _base_.totaltext_textdet_train
        ],
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(_base_.icdar2015_textdet_test, pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(score_thr=min_text_score)
test_evaluator = val_evaluator
