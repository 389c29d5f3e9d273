# Pixel-level OCR runtime (text removal, text segmentation, tampered-text
# detection: image-to-image tasks). mmocr has no such task, so this runtime
# is written on mmengine's defaults (the Runner's default hooks, environment
# and log processor) with the settings every mmocr_ext config shares
# (configs/_base_/default_runtime.py) applied by key. Models register into
# mmocr's registries like the others (``default_scope='mmocr'``); their
# configs set the evaluator and, if they draw, a visualization hook.
_base_ = ['../../_base_/default_runtime.py']

default_scope = _base_.mmocr_ext_runtime.default_scope
env_cfg = _base_.mmocr_ext_runtime.env_cfg
randomness = _base_.mmocr_ext_runtime.randomness
default_hooks = dict(
    checkpoint=dict(_base_.mmocr_ext_runtime.checkpoint_hook, interval=1),
    sync_buffer=dict(type='SyncBuffersHook'))
vis_backends = _base_.mmocr_ext_runtime.vis_backends

# mmengine's generic visualizer (images, feature maps, scalars).
visualizer = dict(
    type='Visualizer', name='visualizer', vis_backends=vis_backends)
