# FastTCM (TPAMI 2024) variant of tcm_clip-r50_fpnc_1200e_msra-td500.py:
# meta-query language prompt (text embedding computed once and cached at
# inference) and bimodal similarity matching with a 1024x1024 projection (the
# released 1024x512 shape cannot broadcast, see docs/tcm.md). Everything else
# as TCM.
_base_ = ['tcm_clip-r50_fpnc_1200e_msra-td500.py']

model = dict(type='FastTCM', use_bsm=True, cache_text=True)
