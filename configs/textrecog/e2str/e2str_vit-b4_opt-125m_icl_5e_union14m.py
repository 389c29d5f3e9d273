# E2STR stage 2 (in-context training), the official recipe (spec A3.2, A6):
# from the stage-1 weights, 60 crops/GPU packed with their split views
# (when character boxes exist) and transformed views into one sequence of
# at most 80 images per GPU; AdamW 5e-6 cosine, 5 epochs, 8 GPUs:
#   bash tools/dist_train.sh THIS_CONFIG 8 \
#       --cfg-options load_from=work_dirs/<stage-1 run>/epoch_10.pth
# Union14M-L has no character boxes, so only the transform strategy acts on
# it (the official code crashed without a box file); our synthetic crops
# (tools/dataset_converters/generate_synth.py --tasks rec) carry boxes.
# Testing with an in-context pool from the target domain:
#   python tools/build_icl_pool.py THIS_CONFIG CKPT pool.json
#   python tools/test.py THIS_CONFIG CKPT \
#       --cfg-options model.icl_test_cfg.pool=pool.json
_base_ = ['e2str_vit-b4_opt-125m_10e_union14m.py']

model = dict(
    train_mode='icl',
    vision_encoder=dict(pretrained=None),  # everything from load_from
    icl_train_cfg=dict(max_images=80, samples_per_sequence=None))
train_dataloader = dict(
    batch_size=60, dataset=dict(pipeline=_base_.icl_train_pipeline))
optim_wrapper = dict(optimizer=dict(lr=5e-6))
train_cfg = dict(max_epochs=5)
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=5,
        eta_min=1e-8,
        convert_to_iter_based=True)
]
