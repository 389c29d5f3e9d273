# FastTCM pretraining: tcm_clip-r50_fpnc_20e_synthtext-real3.py with the
# FastTCM text branch (meta query + bimodal similarity matching).
_base_ = ['tcm_clip-r50_fpnc_20e_synthtext-real3.py']

model = dict(type='FastTCM', use_bsm=True, cache_text=True)
