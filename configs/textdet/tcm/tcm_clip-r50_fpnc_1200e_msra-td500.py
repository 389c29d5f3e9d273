# TCM-DBNet (CLIP RN50) finetuned on MSRA-TD500 (spec B4/B5): Ranger 1e-3
# (pytorch-optimizer; RAdam + Lookahead + gradient centralization), no weight
# decay, poly LR over 1200 epochs, evaluation every 2 epochs, test short side
# 736. README F-measure: 88.8.
# The official run trains on TD500 + TR400 (HUST-TR400): build the data with
# tools/dataset_converters/prepare_msra_td500.py --td500 ... --tr400 ... to
# put both in textdet_train.json (without --tr400: TD500 only).
_base_ = [
    '_base_tcm_clip-r50_fpnc.py',
    '../../_base_/default_runtime.py',
    '../../_base_/datasets/msra_td500.py',
    '_base_tcm_schedule_1200e.py',
]

load_from = None

model = dict(
    det_head=dict(
        postprocessor=dict(
            type='DBPostprocessor',
            text_repr_type='quad',
            mask_thr=0.08,
            min_text_score=0.17,
            min_text_width=3,
            unclip_ratio=1.9,
            epsilon_ratio=0.0,  # the released config does not approximate
            max_candidates=1000)))

test_pipeline = _base_.test_pipeline
test_pipeline[1]['scale'] = (4068, 736)  # short side 736

msra_td500_textdet_train = _base_.msra_td500_textdet_train
msra_td500_textdet_train.pipeline = _base_.train_pipeline
msra_td500_textdet_test = _base_.msra_td500_textdet_test
msra_td500_textdet_test.pipeline = test_pipeline

train_dataloader = dict(dataset=msra_td500_textdet_train)
val_dataloader = dict(dataset=msra_td500_textdet_test)
test_dataloader = val_dataloader

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Ranger', lr=1e-3, weight_decay=0.0))
train_cfg = dict(val_interval=2)

# A checkpoint every 300 epochs plus the best hmean (spec B5).
default_hooks = dict(
    checkpoint=dict(
        type='CheckpointHook',
        interval=300,
        save_best='icdar/hmean',
        rule='greater'))
