# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Write rendered samples to disk in mmocr 1.x formats: :class:`SynthWriter`.

Layout under the output root (the ``data_root`` of a config)::

    textdet_imgs/<split>/<name>.<ext>         # det + spot images
    textdet_<split>.json                      # det: polygons
    textspotting_<split>.json                 # spot: polygons + texts
    textrecog_imgs/<split>/<name>_<k>.<ext>   # rec: word k's crop
    textrecog_<split>.json                    # rec: texts + char quads
    pixel_imgs/<split>/{image,clean,text_mask,tampered,tamper_mask}/
        <name>.png                            # pixel: lossless PNG
    pixel_<split>.json                        # pixel: index of the above

``<name>`` is ``f'{index:07d}'``. Light (numpy, OpenCV, stdlib): usable in
worker processes. Output is atomic: everything goes to a sibling
``<out>.partial-<pid>`` folder renamed to ``<out>`` on :meth:`close`.
"""
import json
import os
import os.path as osp
import shutil
from typing import Any, Dict, List, Optional, Sequence

import cv2
import numpy as np

TASKS = ('det', 'rec', 'spot', 'pixel')
IMG_FORMATS = ('png', 'jpg')
PIXEL_DIRS = ('image', 'clean', 'text_mask', 'tampered', 'tamper_mask')
JPEG_QUALITY = 95
_TEXT = [dict(id=0, name='text')]
# task -> (json file prefix, metainfo)
METAINFO = dict(
    det=('textdet',
         dict(
             dataset_type='TextDetDataset',
             task_name='textdet',
             category=_TEXT)),
    rec=('textrecog',
         dict(dataset_type='TextRecogDataset', task_name='textrecog')),
    spot=('textspotting',
          dict(
              dataset_type='TextSpottingDataset',
              task_name='textspotting',
              category=_TEXT)),
    pixel=('pixel',
           dict(
               task_name='pixel',
               tasks=['text_removal', 'text_segmentation',
                      'tamper_detection'])))


def _flat(points: np.ndarray) -> List[float]:
    """``[x1, y1, x2, y2, ...]`` rounded to 2 decimals."""
    return [round(float(v), 2) for v in np.asarray(points, np.float64).ravel()]


def textdet_instances(words: Sequence[Any],
                      with_text: bool = True) -> List[Dict[str, Any]]:
    """mmocr 1.x textdet/textspotting ``instances`` of rendered words.

    Args:
        words (Sequence[SynthWord]): Words with a (K, 2) ``polygon``.
        with_text (bool): Add each word's ``text``. Defaults to True.

    Returns:
        list[dict]: ``polygon`` (flat, clockwise on screen from the
        top-left corner, 2 decimals), ``bbox`` ``[x1, y1, x2, y2]``,
        ``bbox_label`` 0, ``ignore`` False (and ``text``).
    """
    instances = []
    for word in words:
        poly = np.asarray(word.polygon, np.float64)
        inst = dict(
            polygon=_flat(poly),
            bbox=_flat(np.concatenate([poly.min(0), poly.max(0)])),
            bbox_label=0,
            ignore=False)
        if with_text:
            inst['text'] = word.text
        instances.append(inst)
    return instances


def _polygons_texts(words: Sequence[Any]) -> List[Dict[str, Any]]:
    return [dict(polygon=_flat(w.polygon), text=w.text) for w in words]


def _imwrite(path: str, img: np.ndarray, ext: str) -> None:
    params = [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY] if ext == 'jpg' else []
    ok, buf = cv2.imencode('.' + ext, img, params)
    if not ok:
        raise OSError(f'{path}: cannot encode image')
    with open(path, 'wb') as f:
        f.write(buf.tobytes())


def check_output(out: str, overwrite: bool = False) -> None:
    """Raise if ``out`` exists, is not an empty folder and not overwritten.

    Raises:
        FileExistsError: Naming ``out``.
    """
    if not osp.lexists(out) or overwrite:
        return
    if osp.isdir(out) and not os.listdir(out):
        return
    raise FileExistsError(f'{out}: output exists and is not empty (pass '
                          'overwrite=True / --overwrite to replace it)')


def write_sample(root: str, tasks: Sequence[str], split: str, img_format: str,
                 index: int, sample: Any) -> Dict[str, Any]:
    """Write one sample's files under ``root``; return its json entries.

    Args:
        root (str): Folder with the task sub-folders (see
            :meth:`SynthWriter.partial`).
        tasks (Sequence[str]): Subset of :data:`TASKS`.
        split (str): Split name.
        img_format (str): ``'png'`` or ``'jpg'`` for det/spot/rec images.
        index (int): Sample index (its name is ``f'{index:07d}'``).
        sample (SynthSample): The render.

    Returns:
        dict: ``task -> entry`` (``'rec'``: a list, one per word) plus
        ``'words'`` and ``'crops'`` counts.

    Raises:
        ValueError: ``rec`` without crops or ``pixel`` without a tampered
            variant.
    """
    name = f'{index:07d}'
    height, width = sample.image.shape[:2]
    record: Dict[str, Any] = dict(words=len(sample.words), crops=0)
    if 'det' in tasks or 'spot' in tasks:
        img_path = f'textdet_imgs/{split}/{name}.{img_format}'
        _imwrite(osp.join(root, img_path), sample.image, img_format)
        for task, with_text in (('det', False), ('spot', True)):
            if task in tasks:
                record[task] = dict(
                    instances=textdet_instances(sample.words, with_text),
                    img_path=img_path,
                    height=height,
                    width=width)
    if 'rec' in tasks:
        record['rec'] = []
        for k, word in enumerate(sample.words):
            if word.crop is None:
                raise ValueError('task rec needs word crops: build the '
                                 'renderer with with_crops=True')
            img_path = f'textrecog_imgs/{split}/{name}_{k}.{img_format}'
            _imwrite(osp.join(root, img_path), word.crop, img_format)
            record['rec'].append(
                dict(
                    img_path=img_path,
                    instances=[
                        dict(
                            text=word.text,
                            char_polygons=[
                                _flat(q) for q in word.crop_char_boxes
                            ])
                    ]))
        record['crops'] = len(record['rec'])
    if 'pixel' in tasks:
        if sample.tampered_image is None or sample.tamper_mask is None:
            raise ValueError('task pixel needs a tampered variant: build the '
                             'renderer with tamper_words >= 1')
        images = dict(
            image=sample.image,
            clean=sample.background,
            text_mask=(sample.text_mask > 0).astype(np.uint8) * 255,
            tampered=sample.tampered_image,
            tamper_mask=(sample.tamper_mask > 0).astype(np.uint8) * 255)
        entry: Dict[str, Any] = dict(name=name)
        for key in PIXEL_DIRS:
            entry[key] = f'pixel_imgs/{split}/{key}/{name}.png'
            _imwrite(osp.join(root, entry[key]), images[key], 'png')
        entry.update(
            height=height,
            width=width,
            words=_polygons_texts(sample.words),
            tampered_words=_polygons_texts(sample.tampered_words),
            tampered_indices=[int(i) for i in sample.tampered_indices])
        record['pixel'] = entry
    return record


class SynthWriter:
    """Writes samples of one split atomically under ``out``.

    Use it as a context manager; an exception inside removes everything::

        with SynthWriter('data/synth', ['det', 'rec'], 'test') as w:
            for i in range(n):
                w.add(i, renderer.render(seed, i))

    Files go to ``<out>.partial-<pid>``; :meth:`close` writes the json
    files (``data_list`` sorted by index) and renames the folder to
    ``out``. Names derive from sample indices, so samples may be added in
    any order, or written by other processes with :func:`write_sample`
    into :attr:`partial` and registered with :meth:`add_record`.

    Args:
        out (str): Output root.
        tasks (Sequence[str]): Subset of ``('det', 'rec', 'spot',
            'pixel')``.
        split (str): Split name. Defaults to 'test'.
        img_format (str): ``'png'`` (lossless) or ``'jpg'`` (quality 95)
            for det/spot/rec images; pixel images are always PNG.
        overwrite (bool): Replace an existing non-empty ``out`` (at the
            end). Defaults to False.

    Raises:
        ValueError: Unknown task or image format, bad split name.
        FileExistsError: ``out`` exists, is not empty, and not
            ``overwrite``; raised before anything is written.
    """

    def __init__(self,
                 out: str,
                 tasks: Sequence[str],
                 split: str = 'test',
                 img_format: str = 'png',
                 overwrite: bool = False) -> None:
        tasks = [tasks] if isinstance(tasks, str) else list(tasks)
        unknown = [t for t in tasks if t not in TASKS]
        if unknown or not tasks:
            raise ValueError(f'unknown task(s) {unknown} (tasks must be a '
                             f'non-empty subset of {", ".join(TASKS)})')
        if img_format not in IMG_FORMATS:
            raise ValueError(f'img_format must be one of {IMG_FORMATS}, got '
                             f'{img_format!r}')
        if not split or split != osp.basename(split) or split[0] == '.':
            raise ValueError(f'bad split name {split!r}')
        self.out = osp.abspath(str(out).rstrip('/') or '/')
        check_output(self.out, overwrite)
        self.tasks = [t for t in TASKS if t in tasks]
        self.split, self.img_format = split, img_format
        self.overwrite = overwrite
        self.partial = f'{self.out}.partial-{os.getpid()}'
        self.records: Dict[int, Dict[str, Any]] = {}
        self.summary: Dict[str, Any] = {}
        self.closed = False
        if osp.lexists(self.partial):
            shutil.rmtree(self.partial)
        for folder in self._folders():
            os.makedirs(osp.join(self.partial, folder))

    def _folders(self) -> List[str]:
        folders = []
        if 'det' in self.tasks or 'spot' in self.tasks:
            folders.append(f'textdet_imgs/{self.split}')
        if 'rec' in self.tasks:
            folders.append(f'textrecog_imgs/{self.split}')
        if 'pixel' in self.tasks:
            folders += [f'pixel_imgs/{self.split}/{d}' for d in PIXEL_DIRS]
        return folders

    def __enter__(self) -> 'SynthWriter':
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def add(self, index: int, sample: Any) -> Dict[str, Any]:
        """Write sample ``index``; return its record (see
        :func:`write_sample`)."""
        record = write_sample(self.partial, self.tasks, self.split,
                              self.img_format, index, sample)
        self.add_record(index, record)
        return record

    def add_record(self, index: int, record: Dict[str, Any]) -> None:
        """Register the entries of a sample written by :func:`write_sample`.

        Raises:
            ValueError: ``index`` was added before.
        """
        if self.closed:
            raise ValueError('SynthWriter is closed')
        if index in self.records:
            raise ValueError(f'sample {index} added twice')
        self.records[int(index)] = record

    def _dump(self, name: str, metainfo: dict, data_list: list) -> None:
        with open(osp.join(self.partial, name), 'w', encoding='utf-8') as f:
            json.dump(dict(metainfo=metainfo, data_list=data_list), f)

    def close(self) -> Dict[str, Any]:
        """Write the json files, move the folder to ``out``; a summary.

        Returns:
            dict: ``out``, ``images``, ``words``, ``crops`` (also kept in
            :attr:`summary`).
        """
        if self.closed:
            raise ValueError('SynthWriter is closed')
        try:
            ordered = [self.records[i] for i in sorted(self.records)]
            for task in self.tasks:
                name, metainfo = METAINFO[task]
                entries = [r[task] for r in ordered]
                if task == 'rec':
                    entries = [e for crops in entries for e in crops]
                self._dump(f'{name}_{self.split}.json', metainfo, entries)
            self._publish()
        except BaseException:
            self.abort()
            raise
        self.closed = True
        self.summary = dict(
            out=self.out,
            images=len(ordered),
            words=sum(r['words'] for r in ordered),
            crops=sum(r['crops'] for r in ordered))
        return dict(self.summary)

    def _publish(self) -> None:
        check_output(self.out, self.overwrite)  # appeared meanwhile?
        old: Optional[str] = None
        if osp.lexists(self.out):
            old = f'{self.out}.old-{os.getpid()}'
            os.rename(self.out, old)
        try:
            os.rename(self.partial, self.out)
        except BaseException:
            if old is not None:
                os.rename(old, self.out)
            raise
        if old is not None:
            if osp.isdir(old) and not osp.islink(old):
                shutil.rmtree(old)
            else:
                os.remove(old)

    def abort(self) -> None:
        """Remove the partial folder; ``out`` is left as it was."""
        self.closed = True
        shutil.rmtree(self.partial, ignore_errors=True)
