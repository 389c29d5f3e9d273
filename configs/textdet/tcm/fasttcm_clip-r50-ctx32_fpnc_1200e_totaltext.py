# FastTCM (TPAMI 2024) variant of tcm_clip-r50-ctx32_fpnc_1200e_totaltext.py:
# meta-query language prompt (text embedding cached at inference) and bimodal
# similarity matching with a 1024x1024 projection (see docs/tcm.md).
_base_ = ['tcm_clip-r50-ctx32_fpnc_1200e_totaltext.py']

model = dict(type='FastTCM', use_bsm=True, cache_text=True)
