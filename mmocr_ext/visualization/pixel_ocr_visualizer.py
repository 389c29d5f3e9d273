# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Input | prediction | target panels of the pixel-level OCR tasks (UPOCR:
text removal, text segmentation, tampered-text detection)."""
import io
import os.path as osp
from typing import Optional, Sequence, Tuple

import numpy as np
from mmocr.registry import VISUALIZERS
from mmocr.visualization import BaseLocalVisualizer

#: Tamper-detection colours (RGB) of classes 0 background, 1 real text,
#: 2 tampered text.
TAMPER_PALETTE: Tuple[Tuple[int, int, int],
                      ...] = ((0, 0, 0), (0, 255, 0), (0, 0, 255))
#: Colour of ignored ground-truth pixels.
IGNORE_COLOR: Tuple[int, int, int] = (128, 128, 128)


def _numpy(value) -> np.ndarray:
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def _get(container, key: str):
    """``container[key]`` of a data element or a dict; None if absent."""
    if container is None:
        return None
    return container.get(key, None)


def class_map(value) -> np.ndarray:
    """A ``(1, h, w)`` / ``(h, w)`` class map as an (h, w) int64 array."""
    arr = _numpy(value)
    if arr.ndim == 3 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.ndim != 2:
        raise ValueError(f'expected a (1, h, w) class map, got {arr.shape}')
    return arr.astype(np.int64)


def rgb_image(value) -> np.ndarray:
    """A ``(3, h, w)`` image (uint8, or float in [0, 1]: ``floor(x * 255)``)
    as an (h, w, 3) uint8 array."""
    arr = _numpy(value)
    if arr.ndim != 3 or arr.shape[0] != 3:
        raise ValueError(f'expected a (3, h, w) image, got {arr.shape}')
    if arr.dtype != np.uint8:
        arr = np.floor(np.clip(arr.astype(np.float32), 0, 1) * 255).astype(
            np.uint8)
    return np.ascontiguousarray(arr.transpose(1, 2, 0))


def mask_image(classes: np.ndarray,
               ignore_color: Sequence[int] = IGNORE_COLOR) -> np.ndarray:
    """Text segmentation drawn white on black, other values grey.

    Args:
        classes: ``(h, w)`` map, 1 = text, 0 = background, anything else
            (e.g. 255) = ignored.
        ignore_color: RGB of the other values.

    Returns:
        np.ndarray: ``(h, w, 3)`` uint8.
    """
    out = np.empty(classes.shape + (3, ), dtype=np.uint8)
    out[...] = np.asarray(ignore_color, dtype=np.uint8)
    out[classes == 0] = 0
    out[classes == 1] = 255
    return out


def palette_image(classes: np.ndarray,
                  palette: Sequence[Sequence[int]] = TAMPER_PALETTE,
                  ignore_color: Sequence[int] = IGNORE_COLOR) -> np.ndarray:
    """Class ``i`` drawn in ``palette[i]``; values outside it in
    ``ignore_color``; ``(h, w)`` -> ``(h, w, 3)`` uint8."""
    out = np.empty(classes.shape + (3, ), dtype=np.uint8)
    out[...] = np.asarray(ignore_color, dtype=np.uint8)
    for idx, color in enumerate(palette):
        out[classes == idx] = color
    return out


def resize_image(img: np.ndarray, size: Tuple[int, int],
                 nearest: bool) -> np.ndarray:
    """PIL resize of an (h, w, 3) uint8 image to ``size = (h, w)``."""
    if img.shape[:2] == tuple(size):
        return img
    from PIL import Image
    resample = Image.NEAREST if nearest else Image.BICUBIC
    return np.asarray(
        Image.fromarray(img).resize((size[1], size[0]), resample))


def read_rgb(path: str) -> np.ndarray:
    """PIL ``open(path).convert('RGB')`` as an (h, w, 3) uint8 array."""
    from PIL import Image
    with Image.open(path) as im:
        return np.asarray(im.convert('RGB'))


def encode_image(img: np.ndarray, path: str) -> bytes:
    """Encode an RGB (or L / P-mode PIL) image for ``path``'s extension."""
    from PIL import Image
    ext = osp.splitext(path)[1].lower() or '.png'
    fmt = Image.registered_extensions().get(ext)
    if fmt is None:
        raise ValueError(f'{path}: unknown image extension {ext!r}')
    pil = img if isinstance(img, Image.Image) else Image.fromarray(img)
    if fmt == 'JPEG' and pil.mode not in ('RGB', 'L'):
        pil = pil.convert('RGB')
    buf = io.BytesIO()
    pil.save(buf, format=fmt)
    return buf.getvalue()


def write_image(img, path: str) -> None:
    """Write an RGB array (or PIL image) to ``path`` atomically."""
    from mmocr_ext.compat.atomic_save import atomic_write
    atomic_write(encode_image(img, path), path)


@VISUALIZERS.register_module()
class PixelOCRLocalVisualizer(BaseLocalVisualizer):
    """Panels ``input | prediction | target`` side by side, RGB.

    All panels have the size of the input image given to
    :meth:`add_datasample` (the original image); the data sample's task
    (metainfo ``task``) chooses the drawing:

    * ``text_removal`` (and unknown tasks): the RGB output
      (``pred_img.img`` (3, h, w) uint8 at the original size, else
      ``pred_pixel.img`` resized bicubic) and the clean image (the file
      ``gt_path``, else ``gt_pixel.img``);
    * ``text_segmentation``: binary masks, text white on black, ignored
      ground truth grey (``pred_sem_seg`` / ``gt_sem_seg``);
    * ``tamper_detection``: the palette background black, real text
      green, tampered text blue, ignored grey.

    A missing prediction or target is left out (inference: input |
    prediction). Works with mmocr's ``VisualizationHook``, which reads
    ``img_path`` with mmcv (RGB, EXIF orientation applied): when that image
    does not have the sample's ``ori_shape`` (an EXIF-rotated file decoded
    by the PIL-based dataset pipeline without rotation), the input is read
    again from ``img_path`` with PIL, as the model saw it.

    Args:
        name (str): Instance name. Defaults to 'visualizer'.
        tamper_palette (Sequence, optional): RGB colours of the tamper
            classes. Defaults to :data:`TAMPER_PALETTE`.
        ignore_color (Sequence[int]): RGB of ignored ground-truth pixels.
            Defaults to (128, 128, 128).
        **kwargs: Arguments of mmocr's ``BaseLocalVisualizer``
            (``vis_backends``, ``save_dir``...).
    """

    def __init__(self,
                 name: str = 'visualizer',
                 tamper_palette: Optional[Sequence[Sequence[int]]] = None,
                 ignore_color: Sequence[int] = IGNORE_COLOR,
                 **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self.tamper_palette = tuple(
            tuple(c) for c in (tamper_palette or TAMPER_PALETTE))
        self.ignore_color = tuple(ignore_color)

    # ------------------------------------------------------------------
    def _input_image(self, image: np.ndarray, data_sample) -> np.ndarray:
        """The input panel; re-read with PIL on an ``ori_shape`` mismatch."""
        ori_shape = _get(data_sample, 'ori_shape')
        img_path = _get(data_sample, 'img_path')
        if (ori_shape is not None
                and tuple(image.shape[:2]) != tuple(ori_shape[:2]) and img_path
                and osp.isfile(img_path)):
            try:
                return read_rgb(img_path)
            except OSError:
                pass
        return np.ascontiguousarray(image[..., :3])

    def _class_panel(self, classes: np.ndarray, task: str,
                     size: Tuple[int, int]) -> np.ndarray:
        if task == 'tamper_detection':
            panel = palette_image(classes, self.tamper_palette,
                                  self.ignore_color)
        else:
            panel = mask_image(classes, self.ignore_color)
        return resize_image(panel, size, nearest=True)

    def prediction_panel(self, data_sample,
                         size: Tuple[int, int]) -> Optional[np.ndarray]:
        """The prediction drawn at ``size = (h, w)``, or None."""
        task = _get(data_sample, 'task')
        sem = _get(_get(data_sample, 'pred_sem_seg'), 'data')
        if task in ('text_segmentation', 'tamper_detection') and \
                sem is not None:
            return self._class_panel(class_map(sem), task, size)
        img = _get(_get(data_sample, 'pred_img'), 'img')
        if img is None:
            img = _get(_get(data_sample, 'pred_pixel'), 'img')
        if img is None:
            return None
        return resize_image(rgb_image(img), size, nearest=False)

    def target_panel(self, data_sample,
                     size: Tuple[int, int]) -> Optional[np.ndarray]:
        """The ground truth drawn at ``size = (h, w)``, or None."""
        task = _get(data_sample, 'task')
        if task in ('text_segmentation', 'tamper_detection'):
            sem = _get(_get(data_sample, 'gt_sem_seg'), 'data')
            if sem is not None:
                return self._class_panel(class_map(sem), task, size)
        gt_path = _get(data_sample, 'gt_path')
        if gt_path and osp.isfile(gt_path):
            try:
                return resize_image(read_rgb(gt_path), size, nearest=False)
            except OSError:
                pass
        img = _get(_get(data_sample, 'gt_pixel'), 'img')
        if img is None:
            return None
        return resize_image(
            rgb_image(img), size, nearest=task != 'text_removal')

    def add_datasample(self,
                       name: str,
                       image: np.ndarray,
                       data_sample=None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: float = 0,
                       pred_score_thr: float = 0.3,
                       out_file: Optional[str] = None,
                       step: int = 0) -> np.ndarray:
        """Draw ``input | prediction | target`` and save / show it.

        Args:
            name (str): Image identifier (vis backends).
            image (np.ndarray): (H, W, 3) RGB input image, original size.
            data_sample (PixelOCRDataSample, optional): metainfo ``task``
                (and ``img_path``, ``ori_shape``, ``gt_path``), predictions
                ``pred_img`` / ``pred_pixel`` / ``pred_sem_seg`` and ground
                truth ``gt_sem_seg`` / ``gt_pixel``. Defaults to None (the
                input alone).
            draw_gt (bool): Add the target panel. Defaults to True.
            draw_pred (bool): Add the prediction panel. Defaults to True.
            show (bool): Show the drawing in a window. Defaults to False.
            wait_time (float): Seconds the window is shown. Defaults to 0.
            pred_score_thr (float): Unused (mmocr's hook passes it).
            out_file (str, optional): Also write the drawing there
                (atomically; format from the extension). Defaults to None.
            step (int): Global step (vis backends). Defaults to 0.

        Returns:
            np.ndarray: The drawing, (H, k * W, 3) uint8 RGB, k panels.
        """
        image = self._input_image(np.asarray(image), data_sample)
        size = image.shape[:2]
        panels = [image]
        if data_sample is not None:
            if draw_pred:
                panels.append(self.prediction_panel(data_sample, size))
            if draw_gt:
                panels.append(self.target_panel(data_sample, size))
        drawing = self._cat_image(panels, axis=1)
        if show:
            self.show(drawing, win_name=name, wait_time=wait_time)
        else:
            self.add_image(name, drawing, step)
        if out_file is not None:
            write_image(drawing, out_file)
        return drawing
