# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STR's in-context pool: labelled crops, their features, retrieval."""
import hashlib
import io
import json
import logging
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.dataset import Compose
from mmengine.dist import barrier, get_rank, is_distributed
from mmengine.logging import print_log
from mmengine.registry import DefaultScope
from mmengine.utils import ProgressBar
from mmocr.registry import TASK_UTILS

from mmocr_ext.compat.atomic_save import atomic_write
from mmocr_ext.compat.checkpoint import load_checkpoint_safely

_LOADED: Dict[str, 'InContextPool'] = {}  # cache file -> pool, per process


def read_pool_items(ann_file: str) -> List[Dict[str, str]]:
    """Labelled crops of a pool annotation file.

    Accepts an mmocr 1.x textrecog json (``data_list`` of ``img_path`` +
    ``instances[0].text``) or the official E2STR list of ``{"img_path",
    "gt_text"}``. Relative image paths are relative to the file's folder.

    Returns:
        list[dict]: ``img_path`` (absolute) and ``text`` per crop.

    Raises:
        FileNotFoundError: No such file.
        ValueError: Unknown format, or no item (the file is named).
    """
    if not osp.isfile(ann_file):
        raise FileNotFoundError(f'in-context pool file {ann_file} not found')
    with open(ann_file, encoding='utf-8') as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f'{ann_file}: not valid JSON ({e})') from e
    root = osp.dirname(osp.abspath(ann_file))
    items = []
    if isinstance(data, dict) and 'data_list' in data:
        entries, official = data['data_list'], False
    elif isinstance(data, list):
        entries, official = data, True
    else:
        raise ValueError(f'{ann_file}: expected an mmocr textrecog json or a '
                         'list of {"img_path", "gt_text"}')
    for i, entry in enumerate(entries):
        try:
            text = (
                entry['gt_text']
                if official else entry['instances'][0]['text'])
            items.append(dict(img_path=str(entry['img_path']), text=text))
        except (KeyError, IndexError, TypeError) as e:
            raise ValueError(f'{ann_file}: item {i} has no ' +
                             ('"img_path"/"gt_text"' if official else
                              '"img_path"/instances[0].text') +
                             f' ({e!r})') from e
        if not isinstance(text, str):
            raise ValueError(f'{ann_file}: item {i}: text {text!r} is not a '
                             'string')
    if not items:
        raise ValueError(f'{ann_file}: the in-context pool is empty')
    for item in items:
        if not osp.isabs(item['img_path']):
            item['img_path'] = osp.join(root, item['img_path'])
    return items


def _sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def pool_cache_key(ann_file: str, model, pipeline: Sequence[dict]) -> str:
    """Hash of what pool features depend on: the annotation file, the
    pipeline, the data preprocessor's normalisation and the weights of
    the vision encoder and Perceiver."""
    h = hashlib.sha256()
    h.update(_sha256_file(ann_file).encode())
    h.update(json.dumps(pipeline, sort_keys=True, default=str).encode())
    dp = model.data_preprocessor
    for name in ('mean', 'std'):
        value = getattr(dp, name, None)
        if isinstance(value, torch.Tensor):
            h.update(value.detach().cpu().numpy().tobytes())
    h.update(str(getattr(dp, '_channel_conversion', False)).encode())
    for part in (model.vision_encoder, model.perceiver):
        for key, tensor in part.state_dict().items():
            h.update(key.encode())
            h.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


@TASK_UTILS.register_module()
class InContextPool:
    """Labelled crops of the target domain and their retrieval features.

    Args:
        texts (list[str]): Labels.
        feats (Tensor): (P, D) L2-normalised features.
        images (Tensor): (P, 3, H, W) uint8 crops after the test pipeline
            (so demonstrations need no disk access).
        key (str): :func:`pool_cache_key` of the build.
        source (str): Annotation file it was built from.
        skipped (list[str]): Items that could not be read.
    """

    def __init__(self,
                 texts: List[str],
                 feats: torch.Tensor,
                 images: torch.Tensor,
                 key: str = '',
                 source: str = '',
                 skipped: Optional[List[str]] = None) -> None:
        if not texts:
            raise ValueError(f'in-context pool {source or ""} is empty')
        if not len(texts) == len(feats) == len(images):
            raise ValueError('texts, feats and images differ in length: '
                             f'{len(texts)}, {len(feats)}, {len(images)}')
        self.texts, self.feats, self.images = list(texts), feats, images
        self.key, self.source = key, source
        self.skipped = list(skipped or [])

    def __len__(self) -> int:
        return len(self.texts)

    def retrieve(self,
                 query: torch.Tensor,
                 k: int = 2,
                 candidates: int = 20) -> torch.Tensor:
        """Most similar pool items, by cosine similarity.

        One matrix product and one top-k: the official code took the top
        ``candidates`` and kept the first ``k``, which is the top ``k``.

        Args:
            query (Tensor): (B, D) L2-normalised query features.
            k (int): Demonstrations per query.
            candidates (int): Kept for parity (``k`` is clipped to it).

        Returns:
            Tensor: (B, min(k, candidates, P)) long indices, most similar
            first.
        """
        k = min(k, candidates, len(self))
        feats = self.feats.to(query.device, query.dtype)
        return (query @ feats.T).topk(k, dim=1).indices

    # ------------------------------------------------------------ build/IO
    @classmethod
    @torch.no_grad()
    def build(cls,
              ann_file: str,
              model,
              pipeline: Sequence[dict],
              batch_size: int = 64,
              key: str = '') -> 'InContextPool':
        """Read every crop of ``ann_file`` through ``pipeline`` (the test
        pipeline, ending with ``PackTextRecogInputs``) and compute its
        feature with ``model``. Unreadable crops are skipped with a logged
        warning naming them, and counted in :attr:`skipped`.

        Raises:
            ValueError: No pipeline, or no readable crop.
        """
        if not pipeline:
            raise ValueError('InContextPool.build needs the test pipeline '
                             '(icl_test_cfg.pipeline)')
        items = read_pool_items(ann_file)
        with DefaultScope.overwrite_default_scope('mmocr'):
            transform = Compose(list(pipeline))
        texts, images, skipped = [], [], []
        progress = ProgressBar(len(items))
        for item in items:
            data = dict(
                img_path=item['img_path'], instances=[dict(text=item['text'])])
            try:
                packed = transform(data)
                if packed is None:
                    raise ValueError('the pipeline returned None')
            except Exception as e:  # any unreadable/undecodable image
                skipped.append(item['img_path'])
                print_log(
                    f'InContextPool: skipped {item["img_path"]} of '
                    f'{ann_file}: {type(e).__name__}: {e}',
                    logger='current',
                    level=logging.WARNING)
                progress.update()
                continue
            texts.append(item['text'])
            images.append(packed['inputs'])
            progress.update()
        if not images:
            raise ValueError(f'{ann_file}: no readable crop in the '
                             f'in-context pool ({len(skipped)} skipped)')
        images = torch.stack(images)
        was_training = model.training
        model.eval()
        feats = torch.cat([
            model.pooled_feat(model.normalize(images[i:i + batch_size])).cpu()
            for i in range(0, len(images), batch_size)
        ])
        model.train(was_training)
        print_log(
            f'InContextPool: {len(texts)} crops from {ann_file} '
            f'({len(skipped)} skipped)',
            logger='current')
        return cls(texts, feats, images, key, osp.abspath(ann_file), skipped)

    def save(self, path: str) -> None:
        """Write the pool (atomically) to ``path``."""
        buffer = io.BytesIO()
        torch.save(
            dict(
                texts=self.texts,
                feats=self.feats,
                images=self.images,
                key=self.key,
                source=self.source,
                skipped=self.skipped), buffer)
        atomic_write(buffer.getvalue(), path)

    @classmethod
    def load(cls, path: str) -> 'InContextPool':
        """Read a pool written by :meth:`save`."""
        data = load_checkpoint_safely(path, map_location='cpu')
        return cls(data['texts'], data['feats'], data['images'], data['key'],
                   data['source'], data['skipped'])

    @staticmethod
    def cache_path(ann_file: str,
                   key: str,
                   cache_dir: Optional[str] = None) -> str:
        """``<cache_dir>/<ann stem>.icl_pool.<key[:16]>.pth``; the cache
        folder defaults to the annotation file's."""
        folder = cache_dir or osp.dirname(osp.abspath(ann_file))
        stem = osp.splitext(osp.basename(ann_file))[0]
        return osp.join(folder, f'{stem}.icl_pool.{key[:16]}.pth')

    @classmethod
    def load_or_build(cls,
                      pool: str,
                      model,
                      pipeline: Optional[Sequence[dict]],
                      cache_dir: Optional[str] = None) -> 'InContextPool':
        """The pool for ``model``, from the disk cache when it is current.

        ``pool`` is either a pool file (``.pth``, from
        ``tools/build_icl_pool.py``) or an annotation file. For the
        latter, the cache file named by :meth:`cache_path` is used when it
        exists (its name carries the key of the weights and pipeline, so
        new weights miss it); otherwise rank 0 builds and saves it while
        the other ranks wait, then every process loads it. Each process
        loads a cache file once.

        Raises:
            ValueError: A ``.pth`` pool built for other weights/pipeline.
        """
        if pool.endswith('.pth'):
            loaded = _LOADED.get(pool) or cls.load(pool)
            if pipeline is not None and loaded.source and osp.isfile(
                    loaded.source):
                key = pool_cache_key(loaded.source, model, pipeline)
                if key != loaded.key:
                    raise ValueError(
                        f'{pool} was built for other weights or another '
                        'pipeline; rebuild it with tools/build_icl_pool.py')
            elif pool not in _LOADED:
                print_log(
                    f'InContextPool: cannot check that {pool} matches the '
                    'weights (its source annotation file '
                    f'{loaded.source or "?"} is not readable here)',
                    logger='current',
                    level=logging.WARNING)
            _LOADED[pool] = loaded
            return loaded
        key = pool_cache_key(pool, model, pipeline)
        path = cls.cache_path(pool, key, cache_dir)
        if path in _LOADED:
            return _LOADED[path]
        if get_rank() == 0 and not osp.isfile(path):
            built = cls.build(pool, model, pipeline, key=key)
            os.makedirs(osp.dirname(path), exist_ok=True)
            built.save(path)
            print_log(f'InContextPool: cached at {path}', logger='current')
        if is_distributed():
            barrier()
        _LOADED[path] = cls.load(path)
        return _LOADED[path]
