# Text-spotting runtime. mmocr 1.0.1 installs no spotting runtime (its
# spotters live in its projects/), so this one is written on mmengine's
# defaults (the Runner's default hooks, environment and log processor) with
# the settings every mmocr_ext config shares (configs/_base_/
# default_runtime.py) applied by key, plus mmocr's visualization hook and
# the point-spotting visualizer of mmocr_ext (mmocr's spotting layout, each
# instance a dot at its point with its text, not a polygon). mmocr's core
# has no end-to-end spotting metric: the model's configs set
# ``val_evaluator``/``test_evaluator``.
_base_ = ['../../_base_/default_runtime.py']

default_scope = _base_.mmocr_ext_runtime.default_scope
env_cfg = _base_.mmocr_ext_runtime.env_cfg
randomness = _base_.mmocr_ext_runtime.randomness
default_hooks = dict(
    checkpoint=dict(_base_.mmocr_ext_runtime.checkpoint_hook, interval=1),
    sync_buffer=dict(type='SyncBuffersHook'),
    visualization=dict(
        type='VisualizationHook',
        interval=1,
        enable=False,
        show=False,
        draw_gt=False,
        draw_pred=False))
vis_backends = _base_.mmocr_ext_runtime.vis_backends

visualizer = dict(
    type='PointSpottingLocalVisualizer',
    name='visualizer',
    vis_backends=vis_backends)
