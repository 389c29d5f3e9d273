# Test the jointly trained UPOCR on SCUT-EnsText text removal (813 images):
# PSNR, MSSIM (the official script's, bug-compatible) and a correct MS-SSIM,
# MSE, AGE, pEPs, pCEPs at 512x512 against the clean images (spec §6.1).
#   bash tools/dist_test.sh \
#       configs/pixel/upocr/upocr_swinv2-s_80k_scut-enstext.py CKPT 2
# FID: ``test_evaluator.compute_fid=True`` with ``inception_weights`` a local
# Inception-v3 state dict (docs/upocr.md: not the paper's FID weights).
_base_ = ['upocr_swinv2-s_80k_joint.py']

test_dataloader = dict(
    dataset=dict(
        _base_.scut_enstext_pixel_test, pipeline=_base_.removal_test_pipeline))
test_evaluator = dict(type='TextRemovalMetric')
