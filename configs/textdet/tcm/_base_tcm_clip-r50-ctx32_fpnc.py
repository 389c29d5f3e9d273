# TCM-DBNet with 32 learnable context tokens (the "_32" configs of CTW1500
# and Total-Text, spec B2.3/B10.9): text sequence 14 + 32 = 46 tokens, so the
# CLIP text positional embedding is truncated to 46 rows. Checkpoints are not
# interchangeable with the 4-token (18) models.
_base_ = ['_base_tcm_clip-r50_fpnc.py']

#   python tools/model_converters/clip_to_tcm.py --src RN50.pt \
#       --out checkpoints/clip_rn50_tcm_ctx46.pth --input-resolution 640 \
#       --context-length 46
clip_checkpoint = '{{ fileDirname }}/../../../checkpoints/clip_rn50_tcm_ctx46.pth'  # noqa

model = dict(
    backbone=dict(init_cfg=dict(checkpoint=clip_checkpoint)),
    text_encoder=dict(
        context_length=46, init_cfg=dict(checkpoint=clip_checkpoint)),
    num_learnable_tokens=32)

# Curved-text sets: drop polygons with < 4 points as mmocr's own
# Total-Text/CTW1500 DBNet configs do.
train_pipeline = _base_.train_pipeline
train_pipeline.insert(2, dict(type='FixInvalidPolygon', min_poly_points=4))
test_pipeline = _base_.test_pipeline
test_pipeline.insert(3, dict(type='FixInvalidPolygon', min_poly_points=4))
