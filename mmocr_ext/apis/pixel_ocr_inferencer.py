# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Ground-truth-free inference of pixel-level OCR models (UPOCR): text
removal, text segmentation, tampered-text detection, on any image.

::

    from mmocr_ext.apis import PixelOCRInferencer

    inferencer = PixelOCRInferencer(CONFIG, weights=CKPT, device='cpu',
                                    task='text_removal')
    result = inferencer('img.jpg', out_dir='out/')['predictions'][0]
    result['output']        # (h, w, 3) uint8 RGB, the original size
    # out/preds/img_text_removal.png, out/vis/img_text_removal.png
    inferencer('img.jpg', task='tamper_detection')  # same weights

    # text removal only inside a detector's polygons
    from mmocr.apis import TextDetInferencer
    det = TextDetInferencer(DET_CONFIG, DET_CKPT, device='cpu')
    inferencer.erase_in_detections('img.jpg', det, dilate=3, out_dir='out/')
"""
import os
import os.path as osp
import sys
import warnings
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.dataset import Compose, pseudo_collate
from mmengine.infer.infer import BaseInferencer
from mmengine.registry import init_default_scope

from mmocr_ext.structures.pixel_ocr_data_sample import PIXEL_TASKS
from mmocr_ext.visualization.pixel_ocr_visualizer import (TAMPER_PALETTE,
                                                          class_map,
                                                          resize_image,
                                                          rgb_image,
                                                          write_image)
from .erase_in_polygons import erase_in_detections, erase_text_in_polygons
from .infer_utils import IMG_EXTS, load_image

#: Transforms of a test pipeline that read files or ground truth; the
#: inferencer decodes the image itself and has no ground truth.
LOADING_TRANSFORMS = ('LoadRGBImagePIL', 'LoadImageFromFile',
                      'LoadImageFromNDArray', 'InferencerLoader',
                      'LoadRemovalTargets', 'LoadTextSegLabel',
                      'RenderTamperedBoxMap', 'LoadOCRAnnotations')
#: Pipeline used when the config has no usable test pipeline.
DEFAULT_PIPELINE = (dict(type='PixelResize',
                         scale=(512, 512)), dict(type='PackPixelOCRInputs'))
RANDOM_WEIGHTS_WARNING = (
    'WARNING: no weights given: the pixel OCR model is RANDOMLY '
    'initialised, its outputs are meaningless.')

InputType = Union[str, np.ndarray]
Item = Tuple[str, np.ndarray, Optional[str]]  # name, RGB image, path


def inference_pipeline_cfg(cfg) -> List[dict]:
    """The config's test pipeline without loading / ground-truth steps.

    Looks in ``test_dataloader.dataset`` (through ``datasets[0]`` /
    ``dataset`` of wrappers); falls back to :data:`DEFAULT_PIPELINE`.
    """
    loader = cfg.get('test_dataloader', None)
    dataset = loader.get('dataset', None) if loader else None
    while dataset is not None and 'pipeline' not in dataset:
        inner = dataset.get('datasets', None)
        dataset = inner[0] if inner else dataset.get('dataset', None)
    pipeline = list(dataset['pipeline']) if dataset is not None else []
    kept = [dict(t) for t in pipeline if t['type'] not in LOADING_TRANSFORMS]
    if not kept or kept[-1]['type'] != 'PackPixelOCRInputs':
        return [dict(t) for t in DEFAULT_PIPELINE]
    return kept


def to_rgb(img: np.ndarray, name: str) -> np.ndarray:
    """A BGR ndarray input as (h, w, 3) uint8 RGB (grey: 3 channels,
    alpha dropped)."""
    arr = np.asarray(img)
    if arr.dtype != np.uint8:
        raise ValueError(f'{name}: expected a uint8 image, got {arr.dtype}')
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=2)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4) or 0 in arr.shape:
        raise ValueError(f'{name}: expected an (h, w, 3) image, got '
                         f'{arr.shape}')
    return np.ascontiguousarray(arr[..., 2::-1])


def output_image(data_sample, task: str):
    """The output of one image at its original size, as a PIL image.

    ``text_removal`` (and other tasks without class maps): the RGB
    ``pred_img.img`` (else ``pred_pixel.img`` resized bicubic);
    ``text_segmentation``: mode ``L``, 255 text / 0 background;
    ``tamper_detection``: mode ``P`` whose pixel values are the classes
    (0 background, 1 real, 2 tampered) and whose palette draws them black,
    green, blue.
    """
    from PIL import Image
    sem = data_sample.get('pred_sem_seg', None)
    if task in ('text_segmentation', 'tamper_detection') and sem is not None:
        classes = class_map(sem.data)
        if task == 'text_segmentation':
            return Image.fromarray(((classes == 1) * 255).astype(np.uint8))
        pil = Image.fromarray(classes.clip(0, 255).astype(np.uint8), 'P')
        pil.putpalette([v for color in TAMPER_PALETTE for v in color])
        return pil
    pred_img = data_sample.get('pred_img', None)
    if pred_img is not None:
        return Image.fromarray(rgb_image(pred_img.img))
    h, w = data_sample.ori_shape[:2]
    return Image.fromarray(
        resize_image(rgb_image(data_sample.pred_pixel.img), (h, w), False))


class PixelOCRInferencer(BaseInferencer):
    """Pixel-level OCR on images without ground truth, batched, CPU or GPU.

    The config's test pipeline is used without its loading and
    ground-truth steps (:data:`LOADING_TRANSFORMS`; by default
    ``PixelResize(512, 512)`` + ``PackPixelOCRInputs``); the image is
    decoded here: a file with mmcv (OpenCV: EXIF orientation applied,
    grey / 16-bit / RGBA made 8-bit RGB), an ndarray as BGR (mmocr's
    convention). The model predicts ``pred_img`` at the original size; the
    output of each image (:func:`output_image`) is returned and, with
    ``out_dir``, written to ``out_dir/preds/<name>_<task>.png`` with the
    panel ``input | prediction`` of ``PixelOCRLocalVisualizer`` in
    ``out_dir/vis/<name>_<task>.png`` (files written atomically).

    Args:
        model (str or dict): Config file (or config) of a pixel OCR model.
        weights (str, optional): Checkpoint. None: random weights, with a
            loud warning on stderr, in every prediction
            (``random_weights``) and a ``WARNING_RANDOM_WEIGHTS.txt`` in
            ``out_dir``.
        device (str, optional): 'cpu', 'cuda:0'... Defaults to None (cuda
            if available).
        task (str): Default task, one of the model's ``task_list``.
            Defaults to 'text_removal'.
        scope (str): Registry scope. Defaults to 'mmocr'.

    Raises:
        ValueError: ``task`` is not in the model's task list.
    """

    def __init__(self,
                 model: Union[str, dict],
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 task: str = 'text_removal',
                 scope: str = 'mmocr') -> None:
        from mmocr_ext import register_all_modules
        register_all_modules()
        init_default_scope(scope)
        self.random_weights = weights is None
        self.num_unnamed = 0
        super().__init__(
            model=model,
            weights=weights,
            device=device,
            scope=scope,
            show_progress=False)
        self.task_list = tuple(getattr(self.model, 'task_list', PIXEL_TASKS))
        self.task = self.check_task(task)

    def _load_weights_to_model(self, model, checkpoint, cfg) -> None:
        if checkpoint is None:
            print(
                f'\n{"!" * 72}\n{RANDOM_WEIGHTS_WARNING}\n{"!" * 72}',
                file=sys.stderr)
            warnings.warn(RANDOM_WEIGHTS_WARNING)
            return
        super()._load_weights_to_model(model, checkpoint, cfg)

    def _init_collate(self, cfg):
        return pseudo_collate

    def _init_pipeline(self, cfg) -> Compose:
        return Compose(inference_pipeline_cfg(cfg))

    def _init_visualizer(self, cfg):
        from mmengine.visualization import Visualizer

        from mmocr_ext.visualization import PixelOCRLocalVisualizer
        name = 'pixel_ocr_inferencer'
        n = 1
        while Visualizer.check_instance_created(f'{name}{n}'):
            n += 1
        return PixelOCRLocalVisualizer(name=f'{name}{n}')

    def visualize(self, inputs, preds, **kwargs):  # pragma: no cover
        raise NotImplementedError('drawn in __call__')

    def postprocess(self, *args, **kwargs):  # pragma: no cover
        raise NotImplementedError('done in __call__')

    def check_task(self, task: str) -> str:
        """``task`` if the model knows it, else ValueError naming both."""
        if task not in self.task_list:
            raise ValueError(f'unknown task {task!r}; the model knows '
                             f'{list(self.task_list)}')
        return task

    # ------------------------------------------------------------------
    def load_inputs(self,
                    inputs: Union[InputType, Sequence[InputType]],
                    names: Optional[Sequence[str]] = None) -> List[Item]:
        """Decode inputs (files, folders, BGR arrays) into RGB images.

        Returns:
            list[tuple[str, np.ndarray, str | None]]: output name (file
            stem, or a counter for arrays, or ``names[i]``), (h, w, 3)
            uint8 RGB image and path.

        Raises:
            FileNotFoundError: a path does not exist.
            ValueError: a file cannot be decoded (message names it), or a
                bad array.
        """
        if isinstance(inputs, (str, np.ndarray)):
            inputs = [inputs]
        expanded: list = []
        for item in inputs:
            if isinstance(item, str) and osp.isdir(item):
                expanded += sorted(
                    osp.join(item, n) for n in os.listdir(item)
                    if n.lower().endswith(IMG_EXTS))
            else:
                expanded.append(item)
        if names is not None and len(names) != len(expanded):
            raise ValueError(f'{len(names)} names for {len(expanded)} images')
        items = []
        for i, item in enumerate(expanded):
            if isinstance(item, str):
                if not osp.isfile(item):
                    raise FileNotFoundError(f'input {item} does not exist')
                try:
                    rgb = load_image(item)[..., ::-1]
                except (OSError, ValueError) as exc:
                    raise ValueError(f'{item}: {exc}') from None
                name = osp.splitext(osp.basename(item))[0]
                items.append((name, np.ascontiguousarray(rgb), item))
            else:
                name = str(self.num_unnamed)
                self.num_unnamed += 1
                items.append((name, to_rgb(item, f'array {name}'), None))
            if names is not None:
                items[-1] = (names[i], ) + items[-1][1:]
        return items

    def _pack(self, item: Item, task: str) -> dict:
        name, rgb, path = item
        h, w = rgb.shape[:2]
        meta = dict(
            img_path=path or f'{name}.png', ori_shape=(h, w), task=task)
        results = self.pipeline(dict(img=rgb, img_shape=(h, w), **meta))
        results['data_samples'].set_metainfo(meta)
        return results

    @torch.no_grad()
    def predict_items(self, items: List[Item], task: str) -> list:
        """Data samples with the predictions of ``items`` (one batch)."""
        data = pseudo_collate([self._pack(item, task) for item in items])
        return self.model.test_step(data)

    def _save(self, item: Item, sample, task: str, out_dir: Optional[str],
              save_vis: bool, show: bool, wait_time: float) -> dict:
        name, rgb, path = item
        out = output_image(sample, task)
        pred = dict(
            task=task,
            img_path=path,
            output=np.asarray(out),
            output_path=None,
            vis_path=None,
            random_weights=self.random_weights)
        if out_dir:
            pred['output_path'] = osp.join(out_dir, 'preds',
                                           f'{name}_{task}.png')
            write_image(out, pred['output_path'])
            if save_vis:
                pred['vis_path'] = osp.join(out_dir, 'vis',
                                            f'{name}_{task}.png')
        if pred['vis_path'] or show:
            pred['vis'] = self.visualizer.add_datasample(
                name,
                rgb,
                sample,
                draw_gt=False,
                show=show,
                wait_time=wait_time,
                out_file=pred['vis_path'])
        return pred

    def __call__(self,
                 inputs: Union[InputType, Sequence[InputType]],
                 task: Optional[str] = None,
                 batch_size: int = 1,
                 out_dir: Optional[str] = None,
                 save_vis: bool = True,
                 show: bool = False,
                 wait_time: float = 0,
                 return_datasamples: bool = False,
                 polygons: Optional[Sequence[Sequence]] = None,
                 dilate: int = 0,
                 names: Optional[Sequence[str]] = None) -> Dict[str, list]:
        """Predict, write and return the outputs of ``inputs``.

        Args:
            inputs: image file(s), folder(s) (their images, by name) or BGR
                ``(h, w, 3)`` uint8 array(s).
            task (str, optional): Task for this call. Defaults to the
                inferencer's.
            batch_size (int): Images per forward pass. Defaults to 1.
            out_dir (str, optional): Write ``preds/<name>_<task>.png`` and
                (``save_vis``) ``vis/<name>_<task>.png`` there.
            save_vis (bool): Write the panels. Defaults to True.
            show (bool): Show the panels. Defaults to False.
            wait_time (float): Seconds a panel is shown. Defaults to 0.
            return_datasamples (bool): Also return the data samples (key
                ``datasamples``). Defaults to False.
            polygons (Sequence, optional): Text removal only: per input
                image, text polygons in its pixels (e.g. a detector's
                ``pred_instances.polygons``); the output keeps the original
                pixels outside them (:func:`erase_text_in_polygons`).
            dilate (int): Grow those polygons by this many pixels.
            names (Sequence[str], optional): Output names, one per image.

        Returns:
            dict: ``predictions``: per image a dict with ``task``,
            ``img_path``, ``output`` (the output as an array at the
            original size: (h, w, 3) RGB for removal, (h, w) 0/255 mask for
            segmentation, (h, w) classes 0/1/2 for tamper detection),
            ``output_path``, ``vis_path`` and ``random_weights`` (and
            ``vis``, the panel, when drawn).
        """
        task = self.check_task(task or self.task)
        if polygons is not None and task != 'text_removal':
            raise ValueError('polygons= restricts text removal; task is '
                             f'{task!r}')
        if batch_size < 1:
            raise ValueError('batch_size must be at least 1')
        items = self.load_inputs(inputs, names)
        if polygons is not None and len(polygons) != len(items):
            raise ValueError(f'{len(polygons)} polygon lists for '
                             f'{len(items)} images')
        if out_dir and self.random_weights:
            from mmocr_ext.compat.atomic_save import atomic_write
            atomic_write(RANDOM_WEIGHTS_WARNING + '\n',
                         osp.join(out_dir, 'WARNING_RANDOM_WEIGHTS.txt'))
        results: Dict[str, list] = dict(predictions=[], datasamples=[])
        for start in range(0, len(items), batch_size):
            batch = items[start:start + batch_size]
            samples = self.predict_items(batch, task)
            for i, (item, sample) in enumerate(zip(batch, samples)):
                if polygons is not None:
                    erased = rgb_image(sample.pred_img.img)
                    composed = erase_text_in_polygons(item[1], erased,
                                                      polygons[start + i],
                                                      dilate)
                    sample.pred_img.img = torch.from_numpy(
                        composed.transpose(2, 0, 1).copy())
                results['predictions'].append(
                    self._save(item, sample, task, out_dir, save_vis, show,
                               wait_time))
                if return_datasamples:
                    results['datasamples'].append(sample)
        if not return_datasamples:
            del results['datasamples']
        return results

    def erase_in_detections(self,
                            inputs: Union[InputType, Sequence[InputType]],
                            det_inferencer,
                            det_score_thr: float = 0.3,
                            dilate: int = 0,
                            batch_size: int = 1,
                            names: Optional[Sequence[str]] = None,
                            **kwargs) -> Dict[str, list]:
        """Text removal only inside a text detector's polygons.

        See :func:`mmocr_ext.apis.erase_in_polygons.erase_in_detections`
        (``self`` is its ``pixel_inferencer``).
        """
        return erase_in_detections(self, inputs, det_inferencer, det_score_thr,
                                   dilate, batch_size, names, **kwargs)
