# Text-recognition runtime: mmocr's (word and character metrics over several
# test sets, TextRecogLocalVisualizer, test-time augmentation model), with the
# settings every mmocr_ext config shares (configs/_base_/default_runtime.py)
# applied by key. Datasets and schedules: mmocr's
# (``mmocr::textrecog/_base_/{datasets,schedules}/``) and ours, in
# ``datasets/`` and ``schedules/`` next to this file.
_base_ = [
    'mmocr::textrecog/_base_/default_runtime.py',
    '../../_base_/default_runtime.py',
]

default_scope = _base_.mmocr_ext_runtime.default_scope
env_cfg = _base_.mmocr_ext_runtime.env_cfg
randomness = _base_.mmocr_ext_runtime.randomness
default_hooks = dict(checkpoint=_base_.mmocr_ext_runtime.checkpoint_hook)
vis_backends = _base_.mmocr_ext_runtime.vis_backends

visualizer = dict(vis_backends=vis_backends)
