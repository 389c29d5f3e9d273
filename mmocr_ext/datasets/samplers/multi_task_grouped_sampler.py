# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""A fixed number of samples of every task in every batch, under DDP
(UPOCR spec §3.3, §10.5)."""
import itertools
from typing import Iterator, List, Optional

import torch
from mmengine.dataset import ConcatDataset as EngineConcatDataset
from mmengine.dist import get_dist_info, sync_random_seed
from mmocr.registry import DATA_SAMPLERS
from torch.utils.data import Sampler


@DATA_SAMPLERS.register_module()
class MultiTaskGroupedSampler(Sampler):
    """Infinite index stream ``[k x task0, k x task1, ..., k x task0, ...]``
    over a concatenation of per-task datasets.

    The dataset is an :class:`mmengine.dataset.ConcatDataset` (or mmocr's
    subclass): its sub-datasets are grouped by ``metainfo['task']`` in
    order of first appearance (sub-datasets without a task are groups of
    their own), so two removal datasets share one removal stream. Each
    group has its own stream, as one ``DistributedSampler`` per task in the
    official code:

    1. epoch ``e`` of group ``g``: a ``torch.randperm`` of its ``n`` global
       indices from a generator seeded ``seed + 1000003 * g + e``
       (``arange`` when not shuffling);
    2. padded by repetition to a multiple of ``world_size`` and sharded
       ``indices[rank::world_size]`` (disjoint shards when ``n`` divides);
    3. with ``drop_last`` (default, the official per-task
       ``BatchSampler(drop_last=True)``), only whole blocks of ``k`` of an
       epoch are used; otherwise epochs are chained and a block may span
       two epochs;
    4. when a group's epoch runs out its own epoch counter (starting at
       :meth:`set_epoch`'s value) advances.

    The stream yields one block of ``k = samples_per_task`` indices of each
    group in turn, forever. **The dataloader's batch_size must be
    ``k * num_groups``** (e.g. 8 x 3 = 24); then every batch on every rank
    holds exactly ``k`` samples of each task, in group order. The sampler
    cannot see the batch size: pass it as ``batch_size`` to have it
    checked. Use with ``IterBasedTrainLoop``; resuming replays the stream
    (mmengine skips the trained iterations), which is deterministic given
    the seed.

    Args:
        dataset (ConcatDataset): Per-task datasets.
        samples_per_task (int): ``k``. Defaults to 8.
        shuffle (bool): Defaults to True.
        seed (int, optional): Shared by all ranks; None: a random seed
            synchronised across ranks (as mmengine's samplers).
        drop_last (bool): See step 3. Defaults to True.
        batch_size (int, optional): The dataloader's batch size, checked
            against ``k * num_groups``.
        rank (int, optional): Defaults to mmengine's ``get_dist_info``.
        world_size (int, optional): Defaults to ``get_dist_info``.

    Raises:
        TypeError: ``dataset`` is not a ConcatDataset.
        ValueError: ``k < 1``, a batch size that is not ``k * num_groups``,
            or (``drop_last``) a group with fewer than ``k`` samples per
            rank (named with its task; use ``drop_last=False``).
    """

    def __init__(self,
                 dataset: EngineConcatDataset,
                 samples_per_task: int = 8,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 drop_last: bool = True,
                 batch_size: Optional[int] = None,
                 rank: Optional[int] = None,
                 world_size: Optional[int] = None) -> None:
        if not hasattr(dataset, 'datasets'):
            raise TypeError('MultiTaskGroupedSampler needs a ConcatDataset '
                            '(mmengine.dataset or mmocr.datasets) of per-task '
                            f'datasets, got {type(dataset).__name__}')
        if int(samples_per_task) < 1:
            raise ValueError('samples_per_task must be >= 1, got '
                             f'{samples_per_task}')
        dist_rank, dist_world = get_dist_info()
        self.rank = dist_rank if rank is None else int(rank)
        self.world_size = dist_world if world_size is None else int(world_size)
        self.dataset = dataset
        self.k = int(samples_per_task)
        self.shuffle, self.drop_last = shuffle, drop_last
        self.seed = sync_random_seed() if seed is None else int(seed)
        self.epoch = 0
        self.tasks, self.groups = _group_by_task(dataset)
        if batch_size is not None and int(batch_size) != self.batch_size:
            raise ValueError(
                f'MultiTaskGroupedSampler: the dataloader batch_size must be '
                f'samples_per_task x num_tasks = {self.k} x '
                f'{len(self.groups)} = {self.batch_size} (tasks '
                f'{self.tasks}), got {batch_size}')
        for task, group in zip(self.tasks, self.groups):
            per_rank = -(-len(group) // self.world_size)
            if len(group) == 0 or (drop_last and per_rank < self.k):
                raise ValueError(
                    f'MultiTaskGroupedSampler: task {task!r} has '
                    f'{len(group)} samples, {per_rank} per rank on '
                    f'{self.world_size} rank(s): fewer than '
                    f'samples_per_task={self.k} (use drop_last=False to '
                    'chain epochs)')

    @property
    def batch_size(self) -> int:
        """The batch size the dataloader must use: ``k * num_groups``."""
        return self.k * len(self.groups)

    def _epoch_indices(self, g: int, epoch: int) -> List[int]:
        """Group ``g``'s indices of ``epoch`` on this rank."""
        group = self.groups[g]
        n = len(group)
        if self.shuffle:
            gen = torch.Generator()
            gen.manual_seed(self.seed + 1000003 * g + epoch)
            order = torch.randperm(n, generator=gen).tolist()
        else:
            order = list(range(n))
        total = -(-n // self.world_size) * self.world_size
        while len(order) < total:
            order += order[:total - len(order)]
        return [group[i] for i in order[self.rank:total:self.world_size]]

    def _stream(self, g: int) -> Iterator[List[int]]:
        """Blocks of ``k`` indices of group ``g``, epoch after epoch."""
        epoch, carry = self.epoch, []
        while True:
            indices = carry + self._epoch_indices(g, epoch)
            epoch += 1
            whole = len(indices) // self.k * self.k
            for start in range(0, whole, self.k):
                yield indices[start:start + self.k]
            carry = [] if self.drop_last else indices[whole:]

    def __iter__(self) -> Iterator[int]:
        streams = [self._stream(g) for g in range(len(self.groups))]
        for stream in itertools.cycle(streams):
            yield from next(stream)

    def __len__(self) -> int:
        """Nominal length (the stream is infinite): the indices of one
        epoch of the largest task on this rank, in whole rounds."""
        per_rank = max(-(-len(g) // self.world_size) for g in self.groups)
        return -(-per_rank // self.k) * self.batch_size

    def set_epoch(self, epoch: int) -> None:
        """First epoch of every task stream at the next ``iter``."""
        self.epoch = int(epoch)


def _group_by_task(dataset) -> tuple:
    """Task names and global index lists, sub-datasets grouped by task."""
    if not getattr(dataset, '_fully_initialized', True):
        dataset.full_init()  # lazy_init: cumulative_sizes is set here
    starts = [0] + list(dataset.cumulative_sizes[:-1])
    tasks: List[str] = []
    groups: List[List[int]] = []
    for i, (sub, start) in enumerate(zip(dataset.datasets, starts)):
        task = getattr(sub, 'metainfo', {}).get('task')
        name = f'<dataset {i}>' if task is None else str(task)
        indices = list(range(start, start + len(sub)))
        if task is not None and name in tasks:
            groups[tasks.index(name)] += indices
        else:
            tasks.append(name)
            groups.append(indices)
    return tasks, groups
