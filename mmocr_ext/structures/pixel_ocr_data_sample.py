# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Data sample of the pixel-level OCR task (text removal, text
segmentation, tampered-text detection)."""
from mmengine.structures import BaseDataElement, PixelData

# Task names, in the official UPOCR prompt order (the order of the
# official training command's data configs): prompt row i is TASKS[i].
PIXEL_TASKS = ('text_removal', 'tamper_detection', 'text_segmentation')


class PixelOCRDataSample(BaseDataElement):
    """Image-valued targets and predictions of one image.

    Every :class:`~mmengine.structures.PixelData` holds maps of one size, so
    network-resolution and original-resolution maps live in different
    fields.

    Metainfo keys (set by the datasets and transforms): ``task`` (one of
    :data:`PIXEL_TASKS` or any name of the model's ``task_list``),
    ``img_path``, ``ori_shape`` (h, w), ``img_shape`` (h, w, network
    input), ``pad_shape``, ``gt_path`` (text removal: the clean image file
    the metric reads), ``flip``.

    Fields:
        gt_pixel (PixelData): Training targets at network resolution:
            ``img`` (3, H, W) uint8 target image (clean photo, text mask in
            3 channels with 128 = ignore, or the tamper colour map) and, for
            text removal, ``text_mask`` (1, H, W) uint8 (1 = non-text,
            0 = text).
        gt_sem_seg (PixelData): Evaluation ground truth at the ORIGINAL
            resolution: ``data`` (1, h, w) int64 class map ({0, 1} with 255 =
            ignore for text segmentation, {0, 1, 2} for tamper detection).
        pred_pixel (PixelData): ``img`` (3, H, W) float in [0, 1], the
            clamped full-resolution output at network resolution.
        pred_sem_seg (PixelData): ``data`` (1, h, w) int64 class map at the
            original resolution (segmentation and tamper detection).
        pred_img (PixelData): ``img`` (3, h, w) uint8 RGB output resized to
            the original resolution (what inference writes to disk).
    """

    @property
    def gt_pixel(self) -> PixelData:
        return self._gt_pixel

    @gt_pixel.setter
    def gt_pixel(self, value: PixelData) -> None:
        self.set_field(value, '_gt_pixel', dtype=PixelData)

    @gt_pixel.deleter
    def gt_pixel(self) -> None:
        del self._gt_pixel

    @property
    def gt_sem_seg(self) -> PixelData:
        return self._gt_sem_seg

    @gt_sem_seg.setter
    def gt_sem_seg(self, value: PixelData) -> None:
        self.set_field(value, '_gt_sem_seg', dtype=PixelData)

    @gt_sem_seg.deleter
    def gt_sem_seg(self) -> None:
        del self._gt_sem_seg

    @property
    def pred_pixel(self) -> PixelData:
        return self._pred_pixel

    @pred_pixel.setter
    def pred_pixel(self, value: PixelData) -> None:
        self.set_field(value, '_pred_pixel', dtype=PixelData)

    @pred_pixel.deleter
    def pred_pixel(self) -> None:
        del self._pred_pixel

    @property
    def pred_sem_seg(self) -> PixelData:
        return self._pred_sem_seg

    @pred_sem_seg.setter
    def pred_sem_seg(self, value: PixelData) -> None:
        self.set_field(value, '_pred_sem_seg', dtype=PixelData)

    @pred_sem_seg.deleter
    def pred_sem_seg(self) -> None:
        del self._pred_sem_seg

    @property
    def pred_img(self) -> PixelData:
        return self._pred_img

    @pred_img.setter
    def pred_img(self, value: PixelData) -> None:
        self.set_field(value, '_pred_img', dtype=PixelData)

    @pred_img.deleter
    def pred_img(self) -> None:
        del self._pred_img
