# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's learnable task prompts."""
from typing import List, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class UPOCRTaskPrompt(BaseModule):
    """One learnable vector per task, broadcast over the bottleneck
    (spec §1.4).

    ``task_embedding`` = Embedding(len(task_list), embed_dim), initialised
    with ``kaiming_normal_`` (fan-in = embed_dim, std ~ 0.051 for 768).
    Row i belongs to ``task_list[i]``, so the order of ``task_list`` is the
    checkpoint's (official: text removal, tamper detection, text
    segmentation).

    Args:
        task_list (Sequence[str]): Task names, in prompt-row order.
        embed_dim (int): Prompt channels. Defaults to 768.
    """

    def __init__(self, task_list: Sequence[str], embed_dim: int = 768) -> None:
        super().__init__()
        self.task_list = list(task_list)
        if not self.task_list or len(set(self.task_list)) != len(task_list):
            raise ValueError(f'task_list must be non-empty and unique, got '
                             f'{self.task_list}')
        self.task_embedding = nn.Embedding(len(self.task_list), embed_dim)
        nn.init.kaiming_normal_(self.task_embedding.weight)

    def task_ids(self, tasks: Sequence[str]) -> List[int]:
        """Prompt rows of task names.

        Raises:
            ValueError: A name not in ``task_list``.
        """
        ids = []
        for task in tasks:
            if task not in self.task_list:
                raise ValueError(f'unknown task {task!r}: the model\'s '
                                 f'task_list is {self.task_list}')
            ids.append(self.task_list.index(task))
        return ids

    def forward(self, tasks: Sequence[Union[str, int]],
                size: Tuple[int, int]) -> Tensor:
        """Prompts of a batch.

        Args:
            tasks (Sequence[str or int]): Per-sample task names (or ids).
            size (tuple[int, int]): (h, w) of the bottleneck.

        Returns:
            Tensor: (B, embed_dim, h, w).
        """
        ids = [
            t if isinstance(t, int) else self.task_ids([t])[0] for t in tasks
        ]
        weight = self.task_embedding.weight
        index = torch.tensor(ids, dtype=torch.long, device=weight.device)
        prompt = self.task_embedding(index)  # (B, C)
        return prompt[:, :, None, None].expand(-1, -1, *size)
