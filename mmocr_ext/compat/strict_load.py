# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Strict checkpoint loading: a checkpoint that does not fit is refused.

Upstream behaviour (mmengine 0.10.7): ``Runner.load_checkpoint`` (used by
``load_from``, ``--resume`` and mmocr's ``tools/test.py CHECKPOINT``) and the
inferencers' ``_load_checkpoint_to_model`` load with ``strict=False``: a
checkpoint of another architecture prints one line per missing, unexpected or
size-mismatched key (77 for a DBNet checkpoint on a TCM model) and the run
continues with randomly initialised weights, e.g. ``tools/test.py`` exits 0
with the numbers of an untrained model. With ``strict=True`` mmengine raises
on rank 0 only, with the full key lists.

Fix (patch ``strict_load``): ``Runner.load_checkpoint`` first compares the
checkpoint's ``state_dict`` (after the same ``revise_keys``) with the model's
and, on every rank, raises :class:`CheckpointMismatchError`: counts of
missing keys, unexpected keys and shape mismatches, the first few keys of
each kind, and the checkpoint file. ``allow_partial_checkpoint=True`` at the
top level of the config (``--cfg-options allow_partial_checkpoint=True``;
``--allow-partial`` of our ``tools/test.py``) loads what fits and logs the same
summary as a warning. Missing BatchNorm ``num_batches_tracked`` buffers are
ignored, as mmengine does. Pretrained weights loaded by ``init_cfg`` (e.g.
CLIP into TCM's backbone) do not go through this path and stay partial by
design. :func:`strict_inferencer_loading` applies the same check to mmengine's
inferencers (``tools/infer.py``).
"""
import contextlib
import logging
import re
from collections import OrderedDict
from typing import Any, Iterator, List, Optional, Tuple

import torch
from mmengine.logging import print_log

_PATCHED_ATTR = '_mmocr_ext_patched'
#: Config key (top level) that accepts partial loads.
ALLOW_PARTIAL_KEY = 'allow_partial_checkpoint'
#: Keys of each kind shown in the summary.
SHOW_KEYS = 3


class CheckpointMismatchError(RuntimeError):
    """A checkpoint's state dict does not fit the model."""


class CheckpointMismatch:
    """Missing, unexpected and shape-mismatched keys of a checkpoint.

    Args:
        filename (str): The checkpoint file (for the messages).
        missing (list[str]): Model keys absent from the checkpoint.
        unexpected (list[str]): Checkpoint keys the model does not have.
        mismatched (list[tuple]): ``(key, checkpoint shape, model shape)``.
    """

    def __init__(self, filename: str, missing: List[str],
                 unexpected: List[str],
                 mismatched: List[Tuple[str, tuple, tuple]]) -> None:
        self.filename = filename
        self.missing = missing
        self.unexpected = unexpected
        self.mismatched = mismatched

    def __bool__(self) -> bool:
        return bool(self.missing or self.unexpected or self.mismatched)

    def summary(self) -> str:
        """A few lines: counts and the first keys of each kind."""

        def first(keys: List[str]) -> str:
            more = len(keys) - SHOW_KEYS
            shown = ', '.join(keys[:SHOW_KEYS])
            return shown + (f', ... ({more} more)' if more > 0 else '')

        lines = [
            f'checkpoint {self.filename} does not fit the model: '
            f'{len(self.missing)} missing, {len(self.unexpected)} unexpected, '
            f'{len(self.mismatched)} shape-mismatched keys'
        ]
        if self.missing:
            lines.append(f'  missing in the checkpoint: {first(self.missing)}')
        if self.unexpected:
            lines.append('  not in the model: ' + first(self.unexpected))
        if self.mismatched:
            shapes = [
                f'{k} {list(a)} vs {list(b)}' for k, a, b in self.mismatched
            ]
            lines.append('  shape (checkpoint vs model): ' + first(shapes))
        return '\n'.join(lines)


def _unwrap(model: torch.nn.Module) -> torch.nn.Module:
    """The module whose keys a checkpoint holds (no DDP/TTA wrapper)."""
    from mmengine.model import BaseTTAModel, is_model_wrapper
    while is_model_wrapper(model) or isinstance(model, BaseTTAModel):
        model = model.module
    return model


def revise_state_dict(checkpoint: Any,
                      revise_keys: List[Tuple[str, str]]) -> 'OrderedDict':
    """The ``state_dict`` of a checkpoint with ``revise_keys`` applied.

    As mmengine's ``_load_checkpoint_to_model`` does before loading.
    """
    state_dict = checkpoint.get('state_dict', checkpoint) if isinstance(
        checkpoint, dict) else checkpoint
    for pattern, repl in revise_keys:
        state_dict = OrderedDict(
            (re.sub(pattern, repl, k), v) for k, v in state_dict.items())
    return state_dict


def find_mismatch(model: torch.nn.Module, state_dict: dict,
                  filename: str) -> CheckpointMismatch:
    """Compare ``state_dict`` with the model's own state dict.

    Args:
        model (nn.Module): The model (wrappers are looked through).
        state_dict (dict): Checkpoint weights, keys already revised.
        filename (str): Checkpoint file, for the messages.

    Returns:
        CheckpointMismatch: false when the checkpoint fits exactly.
    """
    own = _unwrap(model).state_dict()
    missing = [
        k for k in own
        if k not in state_dict and not k.endswith('num_batches_tracked')
    ]
    unexpected = [k for k in state_dict if k not in own]
    mismatched = []
    for key, value in state_dict.items():
        target = own.get(key)
        if not (torch.is_tensor(value) and torch.is_tensor(target)):
            continue
        if isinstance(target, torch.nn.parameter.UninitializedParameter):
            continue
        if tuple(value.shape) != tuple(target.shape):
            mismatched.append((key, tuple(value.shape), tuple(target.shape)))
    return CheckpointMismatch(filename, missing, unexpected, mismatched)


def check_state_dict(model: torch.nn.Module,
                     state_dict: dict,
                     filename: str,
                     allow_partial: bool = False) -> dict:
    """Refuse (or, if allowed, warn about) a checkpoint that does not fit.

    Args:
        model (nn.Module): The model to load into.
        state_dict (dict): Checkpoint weights, keys already revised.
        filename (str): Checkpoint file, named in the message.
        allow_partial (bool): Warn instead of raising. Defaults to False.

    Returns:
        dict: ``state_dict`` without the shape-mismatched entries (what can
        be loaded); the same object when everything fits.

    Raises:
        CheckpointMismatchError: missing/unexpected keys or shape mismatches
            and ``allow_partial`` is false.
    """
    found = find_mismatch(model, state_dict, filename)
    if not found:
        return state_dict
    if not allow_partial:
        raise CheckpointMismatchError(
            f'{found.summary()}\nRefusing a partial load: pass '
            f'--allow-partial (tools/test.py, tools/infer.py) or set '
            f'{ALLOW_PARTIAL_KEY}=True in the config (--cfg-options) to '
            'load the matching weights anyway.')
    print_log(
        f'{found.summary()}\nLoading the matching weights only '
        f'({ALLOW_PARTIAL_KEY}/--allow-partial).',
        logger='current',
        level=logging.WARNING)
    bad = {k for k, _, _ in found.mismatched}
    kept = OrderedDict((k, v) for k, v in state_dict.items() if k not in bad)
    metadata = getattr(state_dict, '_metadata', None)
    if metadata is not None:
        kept._metadata = metadata
    return kept


def _quiet_logger() -> logging.Logger:
    """A logger that drops mmengine's per-key listing (summary says it)."""
    logger = logging.getLogger('mmocr_ext.strict_load.quiet')
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
    return logger


def load_checked(model: torch.nn.Module,
                 checkpoint: dict,
                 filename: str,
                 allow_partial: bool = False,
                 strict: bool = False,
                 revise_keys: Optional[List[Tuple[str, str]]] = None) -> dict:
    """Check, then load ``checkpoint`` into ``model`` (mmengine's loader).

    Returns:
        dict: ``checkpoint``.
    """
    from mmengine.runner.checkpoint import load_state_dict
    if revise_keys is None:
        revise_keys = [(r'^module\.', '')]
    state_dict = revise_state_dict(checkpoint, revise_keys)
    metadata = getattr(
        checkpoint.get('state_dict', checkpoint), '_metadata', None)
    if metadata is not None:
        state_dict._metadata = metadata
    state_dict = check_state_dict(model, state_dict, filename, allow_partial
                                  and not strict)
    load_state_dict(model, state_dict, strict, logger=_quiet_logger())
    return checkpoint


def patch_strict_load() -> None:
    """Make ``Runner.load_checkpoint`` refuse checkpoints that do not fit."""
    from mmengine.runner import Runner
    if getattr(Runner.load_checkpoint, _PATCHED_ATTR, False):
        return

    def load_checkpoint(self,
                        filename: str,
                        map_location: Any = 'cpu',
                        strict: bool = False,
                        revise_keys: list = [(r'^module.', '')]):
        """mmengine's ``Runner.load_checkpoint``, checked (mmocr_ext)."""
        from mmengine.runner.checkpoint import _load_checkpoint
        checkpoint = _load_checkpoint(filename, map_location=map_location)
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        allow = bool(self.cfg.get(ALLOW_PARTIAL_KEY, False))
        load_checked(self.model, checkpoint, filename, allow, strict,
                     revise_keys)
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint

    setattr(load_checkpoint, _PATCHED_ATTR, True)
    load_checkpoint.__wrapped__ = Runner.load_checkpoint
    Runner.load_checkpoint = load_checkpoint


@contextlib.contextmanager
def strict_inferencer_loading(allow_partial: bool = False) -> Iterator[None]:
    """Check every checkpoint mmengine's inferencers load in this block.

    mmengine's ``BaseInferencer._init_model`` (mmocr's ``TextDetInferencer``,
    ``MMOCRInferencer`` ...) calls ``_load_checkpoint(weights)`` then
    ``_load_checkpoint_to_model(model, checkpoint)`` with ``strict=False``;
    both names are replaced in ``mmengine.infer.infer`` for the duration of
    the block, so the second raises :class:`CheckpointMismatchError` (or
    warns with ``allow_partial``) naming the file the first one read.
    """
    import mmengine.infer.infer as infer_mod
    orig_load, orig_to_model = (infer_mod._load_checkpoint,
                                infer_mod._load_checkpoint_to_model)
    files: List[str] = []

    def load(filename, *args, **kwargs):
        files.append(str(filename))
        return orig_load(filename, *args, **kwargs)

    def to_model(model,
                 checkpoint,
                 strict=False,
                 logger=None,
                 revise_keys=[(r'^module\.', '')]):
        filename = files[-1] if files else '<checkpoint>'
        return load_checked(model, checkpoint, filename, allow_partial, strict,
                            revise_keys)

    infer_mod._load_checkpoint = load
    infer_mod._load_checkpoint_to_model = to_model
    try:
        yield
    finally:
        infer_mod._load_checkpoint = orig_load
        infer_mod._load_checkpoint_to_model = orig_to_model
