# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The image budget of one stage-2 (in-context training) sequence."""
import random
from typing import Any, List, Optional, Sequence, Tuple


def pack_icl_sequence(
        num_originals: int,
        split_ids: Sequence[int],
        transform_ids: Sequence[int],
        max_images: int = 80,
        rng: Optional[random.Random] = None) -> List[Tuple[str, int]]:
    """Choose and order the (image, text) pairs of one stage-2 sequence.

    E2STR's ``pos_preprocess`` (spec A3.2, step 3) turns a whole batch into
    one interleaved sequence ``<image>text<|endofchunk|>...``:

    1. every original: ``('orig', i)`` for ``i`` in ``range(num_originals)``;
    2. ``min(num_originals, len(split_ids))`` split views drawn without
       replacement: ``('split', id)``;
    3. ``k ~ U{2, ..., max(2, int(0.3 * len(transform_ids)))}`` transform
       views drawn without replacement: ``('transform', id)``;
    4. shuffle;
    5. keep the first ``max_images`` (the official "avoid cuda-oom" cut,
       which may drop originals too when the sequence is longer).

    Bug fix: the official code draws step 3 with
    ``random.sample(pool, randint(2, ...))``, which raises when fewer than
    2 transform views exist. Here ``k`` is clipped to what exists: with 0 or
    1 transform views, all of them are taken.

    Args:
        num_originals (int): Number of original images (>= 0).
        split_ids (Sequence[int]): Ids of the available split views.
        transform_ids (Sequence[int]): Ids of the available transform views.
        max_images (int): Longest sequence (>= 1). Defaults to 80.
        rng (random.Random, optional): Random source. Defaults to Python's
            global ``random`` module (seeded per worker by mmengine).

    Returns:
        list[tuple[str, int]]: ``(kind, id)`` pairs in sequence order,
        ``kind`` in ``'orig'``, ``'split'``, ``'transform'``.
    """
    if num_originals < 0:
        raise ValueError(f'num_originals must be >= 0, got {num_originals}')
    if max_images < 1:
        raise ValueError(f'max_images must be >= 1, got {max_images}')
    draw: Any = random if rng is None else rng
    split_ids, transform_ids = list(split_ids), list(transform_ids)
    seq = [('orig', i) for i in range(num_originals)]
    num_split = min(num_originals, len(split_ids))
    seq += [('split', i) for i in draw.sample(split_ids, num_split)]
    num_pool = len(transform_ids)
    num_transform = (
        draw.randint(2, max(2, int(0.3 *
                                   num_pool))) if num_pool >= 2 else num_pool)
    seq += [('transform', i)
            for i in draw.sample(transform_ids, num_transform)]
    draw.shuffle(seq)
    return seq[:max_images]
