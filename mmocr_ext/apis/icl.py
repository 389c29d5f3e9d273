# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""In-context pools for the recognizer of mmocr's inferencers.

mmocr's ``TextRecInferencer`` (and ``MMOCRInferencer``, through its
``textrec_inferencer``) builds the recognizer from the config, so a config
whose ``model.icl_test_cfg.pool`` names a pool works as it is. To choose
the pool at run time instead::

    from mmocr.apis import TextRecInferencer
    from mmocr_ext.apis import set_recognizer_pool

    inferencer = TextRecInferencer(model=CONFIG, weights=CKPT)
    set_recognizer_pool(inferencer, 'data/target/textrecog_train.json')
    inferencer(['crop.jpg'])

The pool's crops are read through the model's ``icl_test_cfg.pipeline``
(the config's test pipeline, loading files), never through the
inferencer's own pipeline, whose loader takes in-memory arrays.
"""
import os.path as osp
import pickle
from typing import Any


def recognizer_model(inferencer: Any):
    """The recognition model of an inferencer.

    Args:
        inferencer: An mmocr ``TextRecInferencer``, an ``MMOCRInferencer``
            with a recognizer (``rec=...``), or a model itself.

    Returns:
        nn.Module: The recognizer (unwrapped from DDP-like ``module``).

    Raises:
        ValueError: An ``MMOCRInferencer`` without a recognizer.
    """
    if hasattr(inferencer, 'mode'):  # MMOCRInferencer
        inferencer = getattr(inferencer, 'textrec_inferencer', None)
        if inferencer is None:
            raise ValueError('the inferencer has no text recognizer (rec=)')
    model = getattr(inferencer, 'model', inferencer)
    return getattr(model, 'module', model)


def set_recognizer_pool(inferencer: Any, pool: Any, preload: bool = True):
    """Give an inferencer's recognizer (E2STR) an in-context pool.

    Args:
        inferencer: See :func:`recognizer_model`.
        pool: A pool annotation file (mmocr textrecog json or the official
            ``[{"img_path", "gt_text"}]`` list; its features are cached
            next to it, see ``InContextPool.load_or_build``), a pool file
            (``.pth`` of ``tools/build_icl_pool.py``), an
            ``InContextPool``, or None (no demonstrations).
        preload (bool): Load (or build and cache) the pool now, so that
            errors show here rather than at the first prediction (the
            model loads it lazily otherwise). Defaults to True.

    Returns:
        The loaded ``InContextPool`` (None for ``pool=None`` or without
        ``preload``).

    Raises:
        TypeError: The recognizer has no in-context pool (not E2STR).
        FileNotFoundError: ``pool`` names no file.
        ValueError: The pool cannot be used (empty, no readable crop,
            unreadable JSON, a ``.pth`` built for other weights); the
            recognizer is then left without a pool.
    """
    model = recognizer_model(inferencer)
    if not callable(getattr(model, 'set_pool', None)):
        raise TypeError(f'the recognizer {type(model).__name__} has no '
                        'in-context pool (only E2STR has one)')
    if isinstance(pool, str) and not osp.isfile(pool):
        raise FileNotFoundError(f'in-context pool {pool} not found')
    model.set_pool(pool)
    if not preload or pool is None:
        return None
    from mmengine.registry import DefaultScope

    # The pool pipeline is built from mmocr's registries, whatever scope
    # the caller is in (none, outside an inferencer or a Runner).
    try:
        with DefaultScope.overwrite_default_scope('mmocr'):
            return model.get_pool()
    except (KeyError, IndexError, EOFError, pickle.UnpicklingError) as e:
        model.set_pool(None)
        raise ValueError(f'{pool}: cannot be used as an in-context pool '
                         f'({type(e).__name__}: {e})') from e
    except Exception:
        model.set_pool(None)
        raise
