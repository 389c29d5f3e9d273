# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Render and write a synthetic split, in parallel: :func:`generate`.

Sample ``i`` is ``build_renderer(**renderer_cfg).render(seed, i)`` written
by :func:`~.writers.write_sample`, so the files are byte-identical for any
number of workers. Workers (a :mod:`multiprocessing` spawn pool: each
builds its renderer once from the plain settings) render and write their
samples' files into the writer's partial folder; the parent collects the
json entries and publishes the folder when every sample is done.
"""
import time
from multiprocessing import get_context
from typing import Any, Dict, Optional, Sequence, Tuple

import cv2

from . import build_renderer
from .writers import TASKS, SynthWriter, check_output, write_sample

_STATE: Dict[str, Any] = {}


def parse_tasks(tasks: Any) -> Tuple[str, ...]:
    """``'det,rec'`` or ``['det', 'rec']`` -> ``('det', 'rec')``.

    Raises:
        ValueError: An unknown task (named) or no task.
    """
    if isinstance(tasks, str):
        tasks = tasks.split(',')
    tasks = tuple(t.strip() for t in tasks if t.strip())
    for task in tasks:
        if task not in TASKS:
            raise ValueError(f'unknown task {task!r} (--tasks): choose from '
                             f'{",".join(TASKS)}')
    if not tasks:
        raise ValueError(f'no task given (--tasks): choose from '
                         f'{",".join(TASKS)}')
    return tasks


def renderer_settings(
        tasks: Sequence[str],
        renderer_cfg: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """:func:`build_renderer` settings for ``tasks``.

    Crops are cut only for ``rec`` and the tampered variant only made for
    ``pixel`` unless ``renderer_cfg`` says otherwise; neither changes the
    rest of a render.

    Raises:
        ValueError: ``pixel`` with ``tamper_words < 1`` or ``rec`` with
            ``with_crops=False``.
    """
    cfg = dict(renderer_cfg or {})
    cfg.setdefault('with_crops', 'rec' in tasks)
    cfg.setdefault('tamper_words', 1 if 'pixel' in tasks else 0)
    if 'pixel' in tasks and cfg['tamper_words'] < 1:
        raise ValueError('task pixel needs tamper_words >= 1 '
                         f'(--tamper-words), got {cfg["tamper_words"]}')
    if 'rec' in tasks and not cfg['with_crops']:
        raise ValueError('task rec needs with_crops=True')
    return cfg


def _init_worker(settings: Dict[str, Any]) -> None:
    """Pool initializer: one renderer per worker process."""
    cv2.setNumThreads(1)
    _STATE.update(settings)
    _STATE['renderer'] = build_renderer(**settings['renderer_cfg'])


def _work(index: int) -> Tuple[int, Dict[str, Any]]:
    sample = _STATE['renderer'].render(_STATE['seed'], index)
    return index, write_sample(_STATE['root'], _STATE['tasks'],
                               _STATE['split'], _STATE['img_format'], index,
                               sample)


def _progress(num: int, enabled: bool):
    if not enabled:
        return None
    from mmengine.utils import ProgressBar  # no torch import
    return ProgressBar(num)


def generate(out: str,
             num: int,
             tasks: Any,
             seed: int,
             workers: int = 1,
             split: str = 'test',
             renderer_cfg: Optional[Dict[str, Any]] = None,
             img_format: str = 'png',
             overwrite: bool = False,
             progress: bool = False) -> Dict[str, Any]:
    """Render samples ``0 .. num - 1`` of stream ``seed`` to ``out``.

    Everything is validated, and the renderer built, before anything is
    written; on any error ``out`` is left as it was and no partial folder
    remains.

    Args:
        out (str): Output root (see :class:`~.writers.SynthWriter`).
        num (int): Number of images (>= 1).
        tasks (str | Sequence[str]): Subset of det, rec, spot, pixel.
        seed (int): Stream seed.
        workers (int): Processes; 1 renders in this process.
        split (str): Split name. Defaults to 'test'.
        renderer_cfg (dict, optional): :func:`build_renderer` settings.
        img_format (str): ``'png'`` or ``'jpg'`` (det/spot/rec images).
        overwrite (bool): Replace a non-empty ``out``.
        progress (bool): Show a progress bar. Defaults to False.

    Returns:
        dict: out, split, tasks, seed, workers, images, words, crops,
        seconds, images_per_s.

    Raises:
        ValueError: Bad arguments or settings (a bad font, background or
            lexicon is named by its file).
        FileNotFoundError: A font/background folder or file is missing.
        FileExistsError: ``out`` is not empty and not ``overwrite``.
    """
    if isinstance(num, bool) or int(num) != num or num < 1:
        raise ValueError(f'--num must be a positive integer, got {num}')
    if isinstance(workers, bool) or int(workers) != workers or workers < 1:
        raise ValueError(f'--workers must be >= 1, got {workers}')
    tasks = parse_tasks(tasks)
    cfg = renderer_settings(tasks, renderer_cfg)
    check_output(out, overwrite)
    start = time.perf_counter()
    renderer = build_renderer(**cfg)
    num, workers = int(num), min(int(workers), int(num))
    bar = _progress(num, progress)
    with SynthWriter(out, tasks, split, img_format, overwrite) as writer:
        if workers == 1:
            for index in range(num):
                writer.add(index, renderer.render(seed, index))
                if bar is not None:
                    bar.update()
        else:
            settings = dict(
                renderer_cfg=cfg,
                seed=seed,
                root=writer.partial,
                tasks=writer.tasks,
                split=split,
                img_format=img_format)
            chunk = max(1, min(8, num // (4 * workers)))
            # spawn: a fork of a parent whose OpenCV/OpenMP thread pools
            # ran can deadlock in the child
            with get_context('spawn').Pool(workers, _init_worker,
                                           (settings, )) as pool:
                for index, record in pool.imap(_work, range(num), chunk):
                    writer.add_record(index, record)
                    if bar is not None:
                        bar.update()
    summary = dict(writer.summary)
    seconds = time.perf_counter() - start
    if bar is not None:
        print()
    summary.update(
        split=split,
        tasks=list(tasks),
        seed=seed,
        workers=workers,
        seconds=round(seconds, 3),
        images_per_s=round(summary['images'] / max(seconds, 1e-9), 2))
    return summary
