# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Read the text in images with the suite's models composed in one call.

::

    from mmocr_ext.apis import OCRPipeline

    ocr = OCRPipeline(det='tcm-synth', rec='e2str-synth', erase='upocr')
    results = ocr(['a.jpg', 'b.jpg'], instruction='text of number',
                  out_dir='out/')
    results[0]['instances'][0]  # {'polygon', 'point', 'text', 'score', ...}

Stages, each an mmocr inferencer of a preset (:mod:`.ocr_presets`) or a
config file:

1. detection (``det``: TCM, FastTCM, I3CL or any mmocr detector config;
   mmocr's ``TextDetInferencer``), a batch of images at a time;
2. every polygon scoring at least ``det_score_thr`` is cropped upright and
   rectified (:func:`~.text_crops.crop_text_region`; a degenerate polygon
   is counted, not recognised);
3. recognition (``rec``: E2STR, with its in-context ``pool`` when given, or
   any mmocr recogniser; mmocr's ``TextRecInferencer``) of all crops of all
   images of the batch together, ``rec_batch_size`` crops per forward;
4. ``instruction`` (optional): InstructOCR's template semantics
   (:func:`mmocr_ext.datasets.instructions.select_instances`) applied to
   the recognised texts; a free-form instruction is refused (only the
   spotter understands those);
5. ``erase`` (optional, UPOCR): text removal kept inside the polygons of
   the kept instances, the original pixels elsewhere.

``spotter='instructocr'`` replaces 1-4 by InstructOCR (points and texts;
the instruction is given to the model). Results are JSON-ready dicts (the
format is documented in ``docs/ocr.md``); :meth:`OCRPipeline.__call__`
with ``out_dir`` also writes ``preds/<name>.json``, ``vis/<name>.jpg``
and, with ``erase``, ``erased/<name>.png``.
"""
import os.path as osp
import sys
import time
from collections import defaultdict
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import ocr_stages as stages
from .ocr_presets import resolve

RANDOM_BANNER = ('WARNING: RANDOM WEIGHTS for {stages}: no checkpoint given '
                 'or found (see tools/ocr.py --list); their outputs are '
                 'meaningless.')

ERASE_NEEDS_OUTLINES = ('erase= needs text outlines: a point spotter gives '
                        'points only (use det= and rec=)')

InputType = Union[str, np.ndarray]


def _check_stages(det, rec, spotter) -> None:
    if spotter is not None and (det is not None or rec is not None):
        raise ValueError('give det and rec, or spotter, not both')
    if spotter is None and (det is None or rec is None):
        raise ValueError('give both det and rec (or spotter)')


class OCRPipeline:
    """Detector + recogniser (+ instruction filter, + eraser), or spotter.

    Args:
        det, rec, spotter, erase (str, optional): A preset name of that
            stage (``tools/ocr.py --list``) or a config file. Give ``det``
            and ``rec``, or ``spotter``; ``erase`` goes with either (with a
            point spotter it is refused: points have no outline).
        det_weights, rec_weights, spotter_weights, erase_weights (str,
            optional): Checkpoints; default: the preset's weight files.
            A stage without weights runs with random weights, which is
            said on stderr, in every result (``random_weights``) and on
            every drawing.
        pool (str, optional): In-context pool of the recogniser (E2STR):
            annotation file of labelled crops or a ``tools/build_icl_pool.py``
            file.
        device (str, optional): e.g. ``'cpu'``, ``'cuda:0'``.
        det_score_thr (float): Detections below are dropped (counted).
        rec_batch_size (int): Crops per recognition forward.
        dilate (int): Grow the erased polygons by this many pixels.
        weights_dir (str): Folder of the presets' expected weight files.
        allow_partial (bool): Load checkpoints that do not fit the model.
    """

    def __init__(self,
                 det: Optional[str] = None,
                 rec: Optional[str] = None,
                 spotter: Optional[str] = None,
                 erase: Optional[str] = None,
                 det_weights: Optional[str] = None,
                 rec_weights: Optional[str] = None,
                 spotter_weights: Optional[str] = None,
                 erase_weights: Optional[str] = None,
                 pool: Optional[str] = None,
                 device: Optional[str] = None,
                 det_score_thr: float = 0.3,
                 rec_batch_size: int = 32,
                 dilate: int = 2,
                 weights_dir: str = 'checkpoints',
                 allow_partial: bool = False) -> None:
        _check_stages(det, rec, spotter)
        if pool is not None and rec is None:
            raise ValueError('pool= goes with rec= (E2STR)')
        self._configure(det_score_thr, rec_batch_size, dilate)
        chosen = dict(
            det=(det, det_weights),
            rec=(rec, rec_weights),
            spotter=(spotter, spotter_weights),
            erase=(erase, erase_weights))
        self.configs: Dict[str, Tuple[str, Optional[str]]] = {}
        self.names: Dict[str, Optional[str]] = dict.fromkeys(chosen)
        for stage, (choice, weights) in chosen.items():
            if choice is not None:
                cfg, ckpt, name = resolve(stage, choice, weights, weights_dir)
                self.configs[stage] = (cfg, ckpt)
                self.names[stage] = name
        self.random_weights = [
            s for s, (_, ckpt) in self.configs.items() if ckpt is None
        ]
        self._build(device, allow_partial)
        if pool is not None:
            self.set_pool(pool)
        if self.random_weights:
            print(self.random_banner(), file=sys.stderr)

    def _configure(self, det_score_thr: float, rec_batch_size: int,
                   dilate: int) -> None:
        if rec_batch_size < 1:
            raise ValueError('rec_batch_size must be at least 1')
        self.det_score_thr = det_score_thr
        self.rec_batch_size = rec_batch_size
        self.dilate = dilate
        self.skipped: List[Tuple[str, str]] = []
        #: Seconds per stage (det, crop, rec, erase, spot) and counts
        #: (images, crops) since the pipeline was built.
        self.timings: Dict[str, float] = defaultdict(float)

    @classmethod
    def from_inferencers(cls,
                         det=None,
                         rec=None,
                         spotter=None,
                         erase=None,
                         names: Optional[Dict[str, str]] = None,
                         random_weights: Sequence[str] = (),
                         det_score_thr: float = 0.3,
                         rec_batch_size: int = 32,
                         dilate: int = 2) -> 'OCRPipeline':
        """A pipeline of inferencers built elsewhere.

        E.g. the two halves of mmocr's ``MMOCRInferencer``::

            mmocr = MMOCRInferencer(det=DET_CFG, det_weights=...,
                                    rec=REC_CFG, rec_weights=...)
            ocr = OCRPipeline.from_inferencers(
                det=mmocr.textdet_inferencer, rec=mmocr.textrec_inferencer)

        Args:
            det, rec, spotter, erase: mmocr ``TextDetInferencer``,
                ``TextRecInferencer``, a spotter inferencer
                (``PointSpotInferencer``) and a ``PixelOCRInferencer`` (or
                objects with the same call).
            names (dict, optional): Stage names shown in the results.
            random_weights (Sequence[str]): Stages without trained weights.
            det_score_thr, rec_batch_size, dilate: See the class.
        """
        _check_stages(det, rec, spotter)
        self = cls.__new__(cls)
        self._configure(det_score_thr, rec_batch_size, dilate)
        self.det, self.rec, self.spotter, self.erase = det, rec, spotter, erase
        if erase is not None and spotter is not None:
            raise ValueError(ERASE_NEEDS_OUTLINES)
        stages = dict(det=det, rec=rec, spotter=spotter, erase=erase)
        self.names = {
            k: (names or {}).get(k,
                                 type(v).__name__) if v is not None else None
            for k, v in stages.items()
        }
        self.configs = {}
        self.random_weights = list(random_weights)
        return self

    def _build(self, device: Optional[str], allow_partial: bool) -> None:
        from mmocr.apis import TextDetInferencer, TextRecInferencer

        from mmocr_ext import register_all_modules
        from mmocr_ext.compat import strict_inferencer_loading
        register_all_modules()
        self.det = self.rec = self.spotter = self.erase = None
        with strict_inferencer_loading(allow_partial):
            for stage, (cfg, ckpt) in self.configs.items():
                if stage == 'det':
                    self.det = TextDetInferencer(cfg, ckpt, device=device)
                elif stage == 'rec':
                    self.rec = TextRecInferencer(cfg, ckpt, device=device)
                elif stage == 'spotter':
                    from .point_spot_inferencer import (PointSpotInferencer,
                                                        check_text_spotter)
                    self.spotter = PointSpotInferencer(
                        cfg, ckpt, device=device)
                    check_text_spotter(self.spotter)
                else:
                    from .pixel_ocr_inferencer import PixelOCRInferencer
                    self.erase = PixelOCRInferencer(
                        cfg, ckpt, device=device, task='text_removal')
        if self.erase is not None and self.spotter is not None:
            raise ValueError(ERASE_NEEDS_OUTLINES)

    def set_pool(self, pool):
        """Give the recogniser (E2STR) an in-context pool, or None.

        Args:
            pool: See :func:`mmocr_ext.apis.set_recognizer_pool`.

        Returns:
            The loaded pool (None for ``pool=None``).

        Raises:
            TypeError: No recogniser, or one without a pool (not E2STR).
            FileNotFoundError, ValueError: The pool cannot be used.
        """
        from .icl import set_recognizer_pool
        if self.rec is None:
            raise TypeError('a pool needs a recogniser (rec=)')
        return set_recognizer_pool(self.rec, pool)

    def random_banner(self) -> str:
        """The random-weights warning ('' when every stage has weights)."""
        if not self.random_weights:
            return ''
        return RANDOM_BANNER.format(stages=', '.join(self.random_weights))

    def check_instruction(self, instruction: Optional[str]) -> None:
        """Refuse an instruction the pipeline cannot follow.

        Raises:
            ValueError: Empty, or free-form with det+rec (the composed
                pipeline applies the 10 InstructOCR templates only).
        """
        if instruction is None:
            return
        if not instruction.strip():
            raise ValueError('the instruction is empty')
        if self.spotter is None:
            from mmocr_ext.datasets.instructions import parse_instruction
            if parse_instruction(instruction) is None:
                raise ValueError(
                    f'{instruction!r} is not one of the InstructOCR '
                    'templates (e.g. "text of number", "text starts with '
                    "the character 'a'\"); det+rec applies templates only, "
                    'the InstructOCR spotter takes free-form ones')

    def predict(self,
                images: Sequence[np.ndarray],
                names: Sequence[str],
                instruction: Optional[str] = None) -> List[dict]:
        """Predict a batch of decoded images.

        Args:
            images (Sequence[np.ndarray]): (H, W, 3) uint8 BGR images.
            names (Sequence[str]): Their file names (``image`` of the
                results: what ground truth is matched by).
            instruction (str, optional): What to keep (see the class doc).

        Returns:
            list[dict]: One result per image (the JSON of ``docs/ocr.md``);
            with ``erase`` each also holds ``erased`` (H, W, 3) uint8 RGB,
            which :func:`save_result` writes as a PNG and not as JSON.
        """
        self.check_instruction(instruction)
        images = list(images)
        results = [
            stages.empty_result(self.names, self.random_weights, instruction)
            for _ in images
        ]
        for result, name, img in zip(results, names, images):
            result.update(
                image=name, width=int(img.shape[1]), height=int(img.shape[0]))
        clock = time.perf_counter
        start = clock()
        if self.spotter is not None:
            stages.spot(self.spotter, images, results, instruction)
            self.timings['spot'] += clock() - start
        else:
            crops, owners = stages.detect_and_crop(self.det, images, results,
                                                   self.det_score_thr,
                                                   self.timings)
            start = clock()
            stages.recognize_crops(self.rec, crops, owners,
                                   self.rec_batch_size)
            for result in results:
                stages.filter_by_instruction(result, instruction)
            self.timings['rec'] += clock() - start
            self.timings['crops'] += len(crops)
        if self.erase is not None:
            start = clock()
            stages.erase_kept(self.erase, images, results, self.dilate)
            self.timings['erase'] += clock() - start
        self.timings['images'] += len(images)
        return results

    def __call__(self,
                 inputs: Union[InputType, Sequence[InputType]],
                 instruction: Optional[str] = None,
                 batch_size: int = 8,
                 out_dir: Optional[str] = None,
                 save_vis: bool = True,
                 names: Optional[Sequence[str]] = None) -> List[dict]:
        """Read the text in images, ``batch_size`` images at a time.

        Args:
            inputs: Image file(s) or (H, W, 3) uint8 BGR array(s).
            instruction (str, optional): See the class doc.
            batch_size (int): Images per detection forward (all their crops
                are recognised together).
            out_dir (str, optional): Write the outputs there
                (:func:`save_result`), batch by batch.
            save_vis (bool): Also write the drawings.
            names (Sequence[str], optional): Output names (default: file
                names without extension, made unique; ``image_<i>`` for
                arrays). ``image`` in the results is the input's file name
                (``image_<i>.png`` for arrays).

        Returns:
            list[dict]: One result per image that could be read. Unreadable
            files are reported on stderr and listed in ``self.skipped``
            (``(path, reason)``).
        """
        from .infer_utils import load_image, output_names
        from .ocr_drawing import save_result
        if isinstance(inputs, (str, np.ndarray)):
            inputs = [inputs]
        inputs = list(inputs)
        paths = [
            x if isinstance(x, str) else f'image_{i}.png'
            for i, x in enumerate(inputs)
        ]
        if names is None:
            names = output_names(paths)
        if batch_size < 1:
            raise ValueError('batch_size must be at least 1')
        self.check_instruction(instruction)
        self.skipped = []
        results = []
        for start in range(0, len(inputs), batch_size):
            imgs, batch_names, files = [], [], []
            for item, name, path in zip(inputs[start:start + batch_size],
                                        names[start:start + batch_size],
                                        paths[start:start + batch_size]):
                try:
                    imgs.append(
                        item if isinstance(item, np.ndarray
                                           ) else load_image(item))
                except (OSError, ValueError) as exc:
                    reason = str(exc) or type(exc).__name__
                    print(f'skipped {item}: {reason}', file=sys.stderr)
                    self.skipped.append((item, reason))
                    continue
                batch_names.append(name)
                files.append(osp.basename(path))
            if not imgs:
                continue
            batch = self.predict(imgs, files, instruction)
            if out_dir is not None:
                for img, result, name in zip(imgs, batch, batch_names):
                    save_result(
                        result,
                        img,
                        out_dir,
                        save_vis,
                        self.random_banner(),
                        name=name)
            results.extend(batch)
        if out_dir is not None and self.random_weights:
            from mmocr_ext.compat.atomic_save import atomic_write
            atomic_write(self.random_banner() + '\n',
                         osp.join(out_dir, 'WARNING_RANDOM_WEIGHTS.txt'))
        return results
