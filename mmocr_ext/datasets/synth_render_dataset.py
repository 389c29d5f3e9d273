# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Synthetic scene text rendered on the fly: no disk step before training."""
from typing import Any, Dict, List, Optional, Sequence

from mmengine.dataset import BaseDataset
from mmocr.registry import DATASETS

from .synth import build_renderer
from .synth.writers import _flat, textdet_instances

TASKS = ('textdet', 'textspotting', 'textrecog')


@DATASETS.register_module()
class SynthRenderDataset(BaseDataset):
    """Renders sample ``i`` from ``(seed, i)`` when it is asked for.

    Every item is a pure function of ``(seed, index)`` and the renderer's
    settings, so epochs, processes and dataloader workers see the same data
    without writing it anywhere. Use
    ``dict(type='LoadImageFromNDArray')`` as the first transform: the image
    comes in ``results['img']`` (BGR uint8). ``img_path`` is a descriptive
    ``synth://<seed>/<index>`` name, not a file.

    Args:
        num_samples (int): Length of the dataset (> 0).
        seed (int): Stream seed; a held-out set uses another seed.
        task (str): ``'textdet'`` (polygons), ``'textspotting'`` (polygons
            and texts) or ``'textrecog'`` (one rectified word crop per item,
            the ``index % n``-th word of the image, with ``gt_text`` and
            per-character ``char_polygons`` in crop pixels).
        renderer (dict, optional): :func:`~mmocr_ext.datasets.synth.\
build_renderer` settings.
        pipeline (list): Transforms.
        **kwargs: :class:`mmengine.dataset.BaseDataset` arguments.
    """
    METAINFO = dict(category=[dict(id=0, name='text')])

    def __init__(self,
                 num_samples: int,
                 seed: int = 0,
                 task: str = 'textdet',
                 renderer: Optional[Dict[str, Any]] = None,
                 pipeline: Sequence = (),
                 **kwargs: Any) -> None:
        if int(num_samples) <= 0:
            raise ValueError(
                f'SynthRenderDataset: num_samples must be > 0, got '
                f'{num_samples}')
        if task not in TASKS:
            raise ValueError(
                f'SynthRenderDataset: task must be one of {TASKS}, got '
                f'{task!r}')
        self.num_samples, self.seed, self.task = int(num_samples), seed, task
        self.renderer_cfg = dict(renderer or {})
        if task != 'textrecog':
            self.renderer_cfg.setdefault('with_crops', False)
        self.renderer_cfg.setdefault('tamper_words', 0)
        self.renderer = build_renderer(**self.renderer_cfg)
        kwargs.setdefault('serialize_data', False)
        super().__init__(ann_file='', pipeline=list(pipeline), **kwargs)

    def load_data_list(self) -> List[dict]:
        return [dict(sample_idx=i) for i in range(self.num_samples)]

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        index = info['sample_idx']
        sample = self.renderer.render(self.seed, index)
        name = f'synth://{self.seed}/{index}'
        if self.task == 'textrecog':
            if not sample.words:
                raise RuntimeError(f'{name}: the render placed no word')
            word = sample.words[index % len(sample.words)]
            info.update(
                img=word.crop,
                img_path=name,
                height=word.crop.shape[0],
                width=word.crop.shape[1],
                instances=[
                    dict(
                        text=word.text,
                        char_polygons=[_flat(q) for q in word.crop_char_boxes])
                ])
            return info
        info.update(
            img=sample.image,
            img_path=name,
            height=sample.image.shape[0],
            width=sample.image.shape[1],
            instances=textdet_instances(
                sample.words, with_text=self.task == 'textspotting'))
        return info
