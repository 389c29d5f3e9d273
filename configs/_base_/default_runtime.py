# The runtime settings every mmocr_ext config shares, defined once.
#
# Leaves do not list this file: each task runtime
# (configs/<task>/_base_/default_runtime.py) lists it next to its task base
# and applies ``mmocr_ext_runtime`` key by key, e.g.
#   env_cfg = _base_.mmocr_ext_runtime.env_cfg
# mmengine refuses a key defined in two sibling bases, and mmocr's task
# runtimes (``mmocr::<task>/_base_/default_runtime.py``) define every runtime
# key, so the shared values cannot be top-level keys here. Only
# ``custom_imports`` is: no mmocr runtime sets it. Override the applied keys
# (``env_cfg.dist_cfg.backend=gloo``), not ``mmocr_ext_runtime``.

# Import mmocr_ext.registration before the Runner starts: it registers our
# modules and applies the compatibility patches (CPU/gloo distribution,
# weights_only loading).
custom_imports = dict(
    imports=['mmocr_ext.registration'], allow_failed_imports=False)

# Every rank's random states go into the checkpoints and come back on
# --resume, so a run resumed at an epoch boundary draws the same random
# numbers as the uninterrupted run (mmocr_ext.engine.hooks.RNGStateHook). No
# mmocr runtime sets custom_hooks; a leaf adding hooks keeps this one.
custom_hooks = [dict(type='RNGStateHook')]

mmocr_ext_runtime = dict(
    default_scope='mmocr',
    # 'auto': nccl with CUDA, gloo without (mmocr_ext.compat.dist). Set
    # 'gloo'/'nccl' explicitly to override.
    env_cfg=dict(dist_cfg=dict(backend='auto')),
    randomness=dict(seed=0),
    # Merged into the task's checkpoint hook, which sets the interval.
    checkpoint_hook=dict(type='CheckpointHook', max_keep_ckpts=3),
    vis_backends=[dict(type='LocalVisBackend')])
