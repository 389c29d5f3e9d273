# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Random states in checkpoints, so that a resumed run reproduces the run."""
import random
from typing import Any, Dict, List, Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmocr.registry import HOOKS


def get_rng_states() -> Dict[str, Any]:
    """The random states of this process: python, numpy, torch, CUDA."""
    states = dict(
        python=random.getstate(),
        numpy=np.random.get_state(),
        torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        states['cuda'] = torch.cuda.get_rng_state_all()
    return states


def _imgaug_augmenters(dataset) -> List[Any]:
    """The imgaug augmenters of a dataset's pipeline (wrappers included).

    imgaug augmenters keep random states of their own, created when the
    pipeline is built and advanced by every call (mmocr's ``ImgAugWrapper``
    holds one in ``augmenter``).
    """
    found = []
    for sub in getattr(dataset, 'datasets', None) or [dataset]:
        if sub is not dataset:
            found += _imgaug_augmenters(sub)
            continue
        pipeline = getattr(sub, 'pipeline', None)
        for transform in getattr(pipeline, 'transforms', None) or []:
            augmenter = getattr(transform, 'augmenter', None)
            if hasattr(augmenter, 'seed_'):
                found.append(augmenter)
    inner = getattr(dataset, 'dataset', None)  # RepeatDataset & co.
    if inner is not None:
        found += _imgaug_augmenters(inner)
    return found


def set_rng_states(states: Dict[str, Any]) -> None:
    """Restore states written by :func:`get_rng_states`."""
    random.setstate(states['python'])
    np.random.set_state(states['numpy'])
    torch.set_rng_state(states['torch'])
    if 'cuda' in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states['cuda'])


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Save every rank's random states with the checkpoint; restore on resume.

    mmengine's ``--resume`` restores the iteration counter, the optimizer and
    the schedulers but not the random states, so the augmentations, dropout
    and data-loader seeds after a resume differ from those of the
    uninterrupted run. This hook makes an epoch-based run resumed at an epoch
    boundary draw exactly the same random numbers:

    1. ``after_train_epoch`` (before :class:`CheckpointHook`, which runs at
       ``VERY_LOW`` priority): the states of every rank are gathered
       (python ``random``, numpy, torch CPU and, when initialised, CUDA).
    2. ``before_save_checkpoint`` (rank 0): they go into
       ``checkpoint['rng_states']``, a list indexed by rank.
    3. ``after_load_checkpoint`` on ``--resume`` only (``load_from`` starts
       a new run and keeps its own seed): each rank takes its own states if
       the world size is the same; otherwise a warning says the random
       stream cannot be reproduced.
    4. ``before_train_epoch``: the states of the end of the previous epoch
       are set. In an uninterrupted run this undoes what validation drew in
       between, so both runs start each epoch from the same states.

    The imgaug augmenters of the training pipeline (whose random states live
    in the pipeline objects, not in the checkpoint) are then reseeded from
    numpy's restored state, in both runs. The data order needs nothing:
    mmengine's ``DefaultSampler`` shuffles with ``seed + epoch``; data
    workers are re-seeded by mmengine from the seed and draw their base seed
    from torch's restored state (non-persistent workers; persistent ones keep
    the states they had). Mid-epoch or iteration-based resumes get the
    counter, optimizer and schedulers back, not the random stream
    (docs/reliability.md).
    """

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._gathered: Optional[List[Dict[str, Any]]] = None
        self._epoch_end: Optional[Dict[str, Any]] = None

    def after_train_epoch(self, runner) -> None:
        """Remember this rank's states; gather every rank's for saving."""
        self._epoch_end = get_rng_states()
        if get_world_size() > 1:
            self._gathered = all_gather_object(self._epoch_end)
        else:
            self._gathered = [self._epoch_end]

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Put the gathered states into the checkpoint."""
        if self._gathered is not None:
            checkpoint['rng_states'] = self._gathered

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """On resume, take this rank's states from the checkpoint."""
        if not getattr(runner, '_resume', False):
            return
        states = checkpoint.get('rng_states')
        if states is None:
            print_log(
                'the checkpoint has no random states (saved without '
                'RNGStateHook): the resumed run draws other random numbers '
                'than the uninterrupted one',
                'current',
                level=30)
        elif len(states) != get_world_size():
            print_log(
                f'the checkpoint holds the random states of {len(states)} '
                f'processes, this run has {get_world_size()}: the random '
                'stream is not reproduced',
                'current',
                level=30)
        else:
            self._epoch_end = states[get_rank()]

    def before_train_epoch(self, runner) -> None:
        """Start the epoch from the states of the previous epoch's end."""
        if self._epoch_end is not None:
            set_rng_states(self._epoch_end)
            dataset = runner.train_dataloader.dataset
            for augmenter in _imgaug_augmenters(dataset):
                augmenter.seed_(int(np.random.randint(2**31)))
