# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Recognising a foreign checkpoint by its keys (weight converters)."""
from typing import Iterable, Sequence


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
