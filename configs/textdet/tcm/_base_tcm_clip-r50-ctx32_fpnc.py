# TCM-DBNet with 32 learnable context tokens (the "_32" configs of CTW1500
# and Total-Text in the official release, docs/tcm.md): text sequence
# 14 + 32 = 46 tokens, so the CLIP text positional embedding is truncated to
# 46 rows. Checkpoints are not interchangeable with the 4-token (18) models.
_base_ = ['_base_tcm_clip-r50_fpnc.py']

num_learnable_tokens = 32
context_length = _base_.prompt_length + num_learnable_tokens  # 46

#   python tools/model_converters/clip_to_tcm.py --src RN50.pt \
#       --out checkpoints/clip_rn50_tcm_ctx46.pth --input-resolution 640 \
#       --context-length 46
clip_checkpoint = ('{{ fileDirname }}/../../../checkpoints/'
                   f'clip_rn50_tcm_ctx{context_length}.pth')

model = dict(
    backbone=dict(init_cfg=dict(checkpoint=clip_checkpoint)),
    text_encoder=dict(
        context_length=context_length,
        init_cfg=dict(checkpoint=clip_checkpoint)),
    num_learnable_tokens=num_learnable_tokens)

# Curved-text sets: drop polygons with < 4 points right after loading them,
# as mmocr's own Total-Text/CTW1500 DBNet configs do.
fix_invalid_polygon = dict(type='FixInvalidPolygon', min_poly_points=4)
train_pipeline = [
    step for t in _base_.train_pipeline for step in (
        [t, fix_invalid_polygon] if t.type == 'LoadOCRAnnotations' else [t])
]
test_pipeline = [
    step for t in _base_.test_pipeline for step in (
        [t, fix_invalid_polygon] if t.type == 'LoadOCRAnnotations' else [t])
]
