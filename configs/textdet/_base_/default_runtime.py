# Text-detection runtime: mmocr's, with the settings every mmocr_ext config
# shares (configs/_base_/default_runtime.py) applied by key, the
# fixed-threshold hmean-iou as metric and test drawings from every rank.
_base_ = [
    'mmocr::textdet/_base_/default_runtime.py',
    '../../_base_/default_runtime.py',
]

default_scope = _base_.mmocr_ext_runtime.default_scope
env_cfg = _base_.mmocr_ext_runtime.env_cfg
randomness = _base_.mmocr_ext_runtime.randomness
default_hooks = dict(checkpoint=_base_.mmocr_ext_runtime.checkpoint_hook)
vis_backends = _base_.mmocr_ext_runtime.vis_backends

# hmean-iou at a fixed score threshold as ``icdar/hmean`` (what checkpoints
# are kept by) and, separately, the best of mmocr's threshold sweep as
# ``icdar/best_hmean`` (docs/evaluation.md). Leaves set ``score_thr`` to the
# ``min_text_score`` of their post-processor; the default 0 (every output
# polygon) counts the same polygons.
val_evaluator = dict(type='ExtHmeanIOUMetric')
test_evaluator = val_evaluator

# mmocr's TextDetLocalVisualizer, but with several processes every rank saves
# its own test drawings (mmengine saves rank 0's only).
visualizer = dict(type='TextDetAllRanksVisualizer', vis_backends=vis_backends)
