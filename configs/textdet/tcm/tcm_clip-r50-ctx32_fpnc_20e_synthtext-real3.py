# Pretraining of the 32-token TCM models used for CTW1500 and Total-Text
# (spec B5, "st_st150k_real3"): same schedule as the 4-token pretraining.
# Deviation: the official mix also holds SynthText150K, MLT17 train+val,
# MSRA-TD500 and HUST-TR400; only SynthText + IC15 + CTW1500 + Total-Text
# have dataset bases here (append the others to ``datasets`` when prepared).
_base_ = ['tcm_clip-r50_fpnc_20e_synthtext-real3.py']

clip_checkpoint = '{{ fileDirname }}/../../../checkpoints/clip_rn50_tcm_ctx46.pth'  # noqa

model = dict(
    backbone=dict(init_cfg=dict(checkpoint=clip_checkpoint)),
    text_encoder=dict(
        context_length=46, init_cfg=dict(checkpoint=clip_checkpoint)),
    num_learnable_tokens=32)
