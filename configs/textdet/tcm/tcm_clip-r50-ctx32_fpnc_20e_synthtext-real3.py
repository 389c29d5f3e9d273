# Pretraining of the 32-token TCM models used for CTW1500 and Total-Text (the
# released "st_st150k_real3" config, docs/tcm.md): same schedule and data as
# the 4-token pretraining. Deviation: the official mix also holds
# SynthText150K, MLT17 train+val, MSRA-TD500 and HUST-TR400; only SynthText +
# IC15 + CTW1500 + Total-Text have dataset bases here (append the others to
# ``datasets`` when prepared).
_base_ = ['tcm_clip-r50_fpnc_20e_synthtext-real3.py']

num_learnable_tokens = 32
context_length = _base_.prompt_length + num_learnable_tokens  # 46
clip_checkpoint = ('{{ fileDirname }}/../../../checkpoints/'
                   f'clip_rn50_tcm_ctx{context_length}.pth')

model = dict(
    backbone=dict(init_cfg=dict(checkpoint=clip_checkpoint)),
    text_encoder=dict(
        context_length=context_length,
        init_cfg=dict(checkpoint=clip_checkpoint)),
    num_learnable_tokens=num_learnable_tokens)
