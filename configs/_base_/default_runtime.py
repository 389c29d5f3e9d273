# mmocr's text-detection runtime, plus what every mmocr_ext config needs.
_base_ = 'mmocr::textdet/_base_/default_runtime.py'

# Import mmocr_ext.registration before the Runner starts: it registers our
# modules and applies the compatibility patches (CPU/gloo distribution,
# weights_only loading).
custom_imports = dict(
    imports=['mmocr_ext.registration'], allow_failed_imports=False)

default_scope = 'mmocr'
env_cfg = dict(
    # 'auto': nccl with CUDA, gloo without (mmocr_ext.compat.dist). Set
    # 'gloo'/'nccl' explicitly to override.
    dist_cfg=dict(backend='auto'))
randomness = dict(seed=0)

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=5),
    checkpoint=dict(type='CheckpointHook', interval=20, max_keep_ckpts=3))
log_processor = dict(type='LogProcessor', window_size=10, by_epoch=True)

val_evaluator = dict(type='HmeanIOUMetric')
test_evaluator = val_evaluator

vis_backends = [dict(type='LocalVisBackend')]
# mmocr's TextDetLocalVisualizer, but with several processes every rank saves
# its own test drawings (mmengine saves rank 0's only).
visualizer = dict(
    type='TextDetAllRanksVisualizer',
    name='visualizer',
    vis_backends=vis_backends)
