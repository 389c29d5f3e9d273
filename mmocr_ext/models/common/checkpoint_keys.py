# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Recognising a foreign checkpoint by its keys (weight converters)."""
from typing import Callable, Iterable, List, Mapping, Sequence

from torch import Tensor


def check_required_keys(keys: Iterable[str], required: Sequence[str],
                        what: str) -> None:
    """Raise unless every required key (or prefix, ending in ``.``) is in
    ``keys``.

    Args:
        keys (Iterable[str]): The checkpoint's keys.
        required (Sequence[str]): Exact keys, or prefixes ending in ``.``.
        what (str): What the checkpoint should be, for the message (e.g.
            ``'an I3CL (Mask R-CNN) checkpoint'``).

    Raises:
        ValueError: Naming the missing keys and a few keys it has.
    """
    keys = list(keys)
    missing = [
        k for k in required
        if not any(key == k or (k.endswith('.') and key.startswith(k))
                   for key in keys)
    ]
    if missing:
        sample = ', '.join(keys[:5]) or 'no keys at all'
        raise ValueError(f'not {what}: missing {missing}; it has '
                         f'{len(keys)} keys such as {sample}')


def load_mismatches(state_dict: Mapping[str, Tensor],
                    expected: Mapping[str, Tensor],
                    name: Callable[[str], str] = str) -> List[str]:
    """Missing, unexpected and mis-shaped keys of ``state_dict`` against a
    model's ``expected`` state dict: empty when a strict load succeeds.

    Args:
        state_dict (Mapping[str, Tensor]): The converted weights.
        expected (Mapping[str, Tensor]): ``model.state_dict()``.
        name (Callable[[str], str]): How a key is shown (e.g. with its
            official name). Defaults to the key itself.

    Returns:
        list[str]: One line per problem.
    """
    problems = [f'missing: {name(k)}' for k in expected if k not in state_dict]
    problems += [
        f'unexpected: {name(k)}' for k in state_dict if k not in expected
    ]
    problems += [
        f'shape: {name(k)} {tuple(v.shape)} in the checkpoint, '
        f'{tuple(expected[k].shape)} in the model'
        for k, v in state_dict.items()
        if k in expected and v.shape != expected[k].shape
    ]
    return problems
