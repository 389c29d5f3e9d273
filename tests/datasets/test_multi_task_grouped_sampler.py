# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""MultiTaskGroupedSampler: k samples of every task in every batch on every
rank, per-task shuffled streams with their own epochs, disjoint rank
shards, determinism from the seed."""
import itertools
from collections import Counter

import pytest
from mmengine.dataset import BaseDataset
from mmengine.dataset import ConcatDataset as EngineConcatDataset
from mmocr.datasets import ConcatDataset
from mmocr.registry import DATA_SAMPLERS

from mmocr_ext.datasets import MultiTaskGroupedSampler


class _Toy(BaseDataset):
    """``n`` empty samples of one task."""

    def __init__(self, n, task):
        self.n = n
        super().__init__(metainfo=dict(task=task), serialize_data=False)

    def load_data_list(self):
        return [dict(i=i) for i in range(self.n)]


SIZES = dict(text_removal=10, tamper_detection=7, text_segmentation=13)


def _concat(sizes=SIZES, engine=False):
    parts = [_Toy(n, task) for task, n in sizes.items()]
    if engine:
        return EngineConcatDataset(parts, ignore_keys=['task'])
    return ConcatDataset(parts, verify_meta=False)


def _bounds(sizes=SIZES):
    starts = list(itertools.accumulate([0] + list(sizes.values())))
    return [range(a, b) for a, b in zip(starts, starts[1:])]


def _take(sampler, n):
    return list(itertools.islice(iter(sampler), n))


def test_every_batch_has_k_per_task_on_every_rank():
    k, world = 2, 3
    bounds = _bounds()
    for rank in range(world):
        sampler = MultiTaskGroupedSampler(
            _concat(), samples_per_task=k, seed=5, rank=rank, world_size=world)
        assert sampler.batch_size == 6 and sampler.tasks == list(SIZES)
        stream = _take(sampler, 6 * 40)
        for b in range(40):
            batch = stream[6 * b:6 * b + 6]
            for t, rng in enumerate(bounds):
                assert all(i in rng for i in batch[2 * t:2 * t + 2]), batch


def test_rank_shards_are_disjoint_and_cover_an_epoch():
    sizes = dict(text_removal=8, tamper_detection=6, text_segmentation=4)
    bounds, k, world = _bounds(sizes), 1, 2
    seen = []
    for rank in range(world):
        sampler = MultiTaskGroupedSampler(
            _concat(sizes),
            samples_per_task=k,
            seed=1,
            rank=rank,
            world_size=world)
        # 2 rounds = 2 samples/rank of every task: inside epoch 0 everywhere
        seen.append(_take(sampler, 3 * 2))
    for t, rng in enumerate(bounds):
        per_rank = [{i for i in s if i in rng} for s in seen]
        assert per_rank[0].isdisjoint(per_rank[1])
    # the segmentation set (4 items, 2 per rank) is covered exactly once
    full = []
    for rank in range(world):
        sampler = MultiTaskGroupedSampler(
            _concat(sizes),
            samples_per_task=k,
            seed=1,
            rank=rank,
            world_size=world)
        full += [i for i in _take(sampler, 3 * 2) if i in bounds[2]]
    assert sorted(full) == list(bounds[2])


def test_per_task_epochs_and_determinism():
    sizes = dict(text_removal=4, tamper_detection=6)
    bounds = _bounds(sizes)
    a = _take(
        MultiTaskGroupedSampler(_concat(sizes), samples_per_task=2, seed=3),
        4 * 12)
    b = _take(
        MultiTaskGroupedSampler(_concat(sizes), samples_per_task=2, seed=3),
        4 * 12)
    c = _take(
        MultiTaskGroupedSampler(_concat(sizes), samples_per_task=2, seed=4),
        4 * 12)
    assert a == b and a != c
    removal = [i for i in a if i in bounds[0]]
    ttd = [i for i in a if i in bounds[1]]
    # each task's epoch is a permutation of it, epochs advance separately
    for e in range(len(removal) // 4):
        assert sorted(removal[4 * e:4 * e + 4]) == list(bounds[0])
    for e in range(len(ttd) // 6):
        assert sorted(ttd[6 * e:6 * e + 6]) == list(bounds[1])
    assert removal[:4] != removal[4:8]  # reshuffled per epoch
    s = MultiTaskGroupedSampler(_concat(sizes), samples_per_task=2, seed=3)
    s.set_epoch(1)
    assert [i for i in _take(s, 8) if i in bounds[0]] == removal[4:8]


def test_unshuffled_drop_last_and_chaining():
    sizes = dict(text_removal=5, text_segmentation=3)
    s = MultiTaskGroupedSampler(
        _concat(sizes), samples_per_task=2, shuffle=False, seed=0)
    # removal epoch = 0..4, the incomplete block [4] is dropped
    assert _take(s, 12) == [0, 1, 5, 6, 2, 3, 5, 6, 0, 1, 5, 6]
    s = MultiTaskGroupedSampler(
        _concat(sizes),
        samples_per_task=2,
        shuffle=False,
        seed=0,
        drop_last=False)
    assert _take(s, 12) == [0, 1, 5, 6, 2, 3, 7, 5, 4, 0, 6, 7]


def test_same_task_datasets_share_a_stream_and_engine_concat():
    sizes = dict(text_removal=3, tamper_detection=2)
    parts = [
        _Toy(3, 'text_removal'),
        _Toy(2, 'tamper_detection'),
        _Toy(4, 'text_removal')
    ]
    s = MultiTaskGroupedSampler(
        ConcatDataset(parts, verify_meta=False), samples_per_task=1, seed=0)
    assert s.tasks == ['text_removal', 'tamper_detection']
    stream = _take(s, 2 * 7)
    assert sorted(stream[0::2]) == [0, 1, 2, 5, 6, 7, 8]
    assert set(stream[1::2]) == {3, 4}
    e = MultiTaskGroupedSampler(
        _concat(sizes, engine=True), samples_per_task=1, seed=0)
    assert e.tasks == list(sizes) and len(e) == 3 * 2
    lazy = EngineConcatDataset(
        [_Toy(3, 'text_removal'),
         _Toy(2, 'tamper_detection')],
        lazy_init=True,
        ignore_keys=['task'])
    assert _take(MultiTaskGroupedSampler(lazy, samples_per_task=1, seed=0),
                 6) == _take(e, 6)


def test_errors_and_registry():
    with pytest.raises(ValueError, match=r'8 x 3 = 24.*got 16'):
        MultiTaskGroupedSampler(
            _concat(), samples_per_task=8, seed=0, batch_size=16)
    with pytest.raises(ValueError, match="'tamper_detection' has 7"):
        MultiTaskGroupedSampler(_concat(), samples_per_task=8, seed=0)
    with pytest.raises(TypeError, match='ConcatDataset'):
        MultiTaskGroupedSampler(_Toy(3, 'text_removal'), seed=0)
    built = DATA_SAMPLERS.build(
        dict(type='MultiTaskGroupedSampler', samples_per_task=2),
        default_args=dict(dataset=_concat(), seed=None))
    counts = Counter(
        t for i in _take(built, 60) for t, r in zip(SIZES, _bounds())
        if i in r)
    assert counts == Counter({t: 20 for t in SIZES})


def test_dist_info_is_read_from_mmengine(monkeypatch):
    import mmocr_ext.datasets.samplers.multi_task_grouped_sampler as mod
    monkeypatch.setattr(mod, 'get_dist_info', lambda: (1, 2))
    s = MultiTaskGroupedSampler(_concat(), samples_per_task=1, seed=9)
    assert (s.rank, s.world_size) == (1, 2)
    ref = MultiTaskGroupedSampler(
        _concat(), samples_per_task=1, seed=9, rank=1, world_size=2)
    assert _take(s, 30) == _take(ref, 30)
