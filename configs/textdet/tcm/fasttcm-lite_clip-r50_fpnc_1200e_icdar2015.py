# FastTCM with the lighter text branch of the released FastTCM spotter config
# (docs/tcm.md): 3 text-encoder layers (CLIP's first 3 blocks are loaded, the
# rest of the checkpoint is ignored by the non-strict Pretrained init),
# 2 context-decoder and 2 visual-prompt layers. Cheaper training; inference
# cost equals FastTCM's minus the decoder layers (the text embedding is cached
# either way). [unverified] for the detector: the released FastTCM-DBNet
# config keeps the 12/3/3 layers.
_base_ = ['fasttcm_clip-r50_fpnc_1200e_icdar2015.py']

model = dict(
    text_encoder=dict(transformer_layers=3),
    context_decoder=dict(transformer_layers=2),
    visual_prompt_generator=dict(transformer_layers=2))
