# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's pixel transforms: PIL-exact, joint on image and targets, with
the official rotation fills, and clear errors on bad files."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from PIL import Image
from torchvision.transforms import ColorJitter

from mmocr_ext.datasets.transforms import (LoadRemovalTargets, LoadRGBImagePIL,
                                           LoadTextSegLabel,
                                           PackPixelOCRInputs,
                                           PixelColorJitter, PixelRandomCrop,
                                           PixelRandomHFlip, PixelRandomRotate,
                                           PixelResize, RenderTamperedBoxMap)
from mmocr_ext.structures.pixel_ocr_data_sample import PixelOCRDataSample
from conftest import REPO

SCUT = osp.join(REPO, 'data', 'scut_enstext_sample')
SCUT_IMG = osp.join(SCUT, 'all_images', '118.jpg')
SCUT_LABEL = osp.join(SCUT, 'all_labels', '118.jpg')
SCUT_MASK = osp.join(SCUT, 'mask', '118.jpg')


def _rand(shape, seed=0):
    return np.random.RandomState(seed).randint(0, 256, shape, np.uint8)


def _save(tmp_path, name, img):
    path = str(tmp_path / name)
    img.save(path)
    return path


# ---------------------------------------------------------------- loading
def test_load_rgb_matches_pil_and_handles_modes(tmp_path):
    res = LoadRGBImagePIL()(dict(img_path=SCUT_IMG))
    ref = np.asarray(Image.open(SCUT_IMG).convert('RGB'))
    assert res['img'].dtype == np.uint8 and np.array_equal(res['img'], ref)
    assert res['ori_shape'] == res['img_shape'] == (512, 512)

    grey = _rand((6, 5))
    out = LoadRGBImagePIL()(
        dict(img_path=_save(tmp_path, 'g.png', Image.fromarray(grey))))['img']
    assert out.shape == (6, 5, 3) and all(
        np.array_equal(out[..., c], grey) for c in range(3))

    rgba = _rand((4, 4, 4))
    out = LoadRGBImagePIL()(
        dict(img_path=_save(tmp_path, 'a.png', Image.fromarray(rgba, 'RGBA'))))
    assert np.array_equal(out['img'], rgba[..., :3])  # alpha dropped

    pal = Image.fromarray(grey).convert('P')
    out = LoadRGBImagePIL()(dict(img_path=_save(tmp_path, 'p.png', pal)))
    assert np.array_equal(out['img'], np.asarray(pal.convert('RGB')))


def test_load_rgb_scales_16_bit(tmp_path):
    wide = np.array([[0, 257, 65535], [32896, 128, 65280]], np.uint16)
    want = np.array([[0, 1, 255], [128, 0, 254]], np.uint8)
    path = _save(tmp_path, 'w.png', Image.fromarray(wide))
    assert Image.open(path).mode in ('I;16', 'I')
    out = LoadRGBImagePIL()(dict(img_path=path))['img']
    assert np.array_equal(out[..., 0], want), out[..., 0]
    # 16-bit colour: PIL keeps the high byte (scaled, not clipped)
    colour = np.stack([wide, wide[:, ::-1], wide], axis=2)
    path = str(tmp_path / 'c16.png')
    assert cv2.imwrite(path, colour[..., ::-1])
    out = LoadRGBImagePIL()(dict(img_path=path))['img']
    assert np.array_equal(out[..., 0], wide // 256)
    assert np.array_equal(out[..., 1], wide[:, ::-1] // 256)
    # mode I (32-bit) is read as 16-bit intensities too, clipped to range
    mode_i = Image.fromarray(np.array([[65535, 70000, -5]], np.int32))
    assert mode_i.mode == 'I'
    out = LoadRGBImagePIL()(dict(img=np.asarray(mode_i), img_path=None))
    assert out['img'][0, :, 1].tolist() == [255, 255, 0]


def test_load_rgb_bad_files_are_named(tmp_path):
    missing = str(tmp_path / 'nope.jpg')
    with pytest.raises(FileNotFoundError, match='nope.jpg'):
        LoadRGBImagePIL()(dict(img_path=missing))
    assert LoadRGBImagePIL(ignore_empty=True)(dict(img_path=missing)) is None
    broken = tmp_path / 'broken.png'
    broken.write_bytes(b'not an image at all')
    with pytest.raises(ValueError, match='broken.png'):
        LoadRGBImagePIL()(dict(img_path=str(broken)))


def test_load_removal_targets_scut_sample():
    res = LoadRGBImagePIL()(
        dict(img_path=SCUT_IMG, gt_path=SCUT_LABEL, mask_path=SCUT_MASK))
    res = LoadRemovalTargets()(res)
    assert np.array_equal(res['gt_img'],
                          np.asarray(Image.open(SCUT_LABEL).convert('RGB')))
    mask = res['gt_text_mask']
    assert mask.dtype == np.uint8 and set(np.unique(mask)) == {0, 1}
    assert np.array_equal(
        mask,
        np.asarray(Image.open(SCUT_MASK).convert('1')).astype(np.uint8))
    assert 0.1 < 1 - mask.mean() < 0.4  # ~22 % text (SOURCE.txt)


def test_load_removal_targets_polygons_and_white_text(tmp_path):
    img = np.zeros((8, 10, 3), np.uint8)
    res = LoadRemovalTargets()(
        dict(
            img=img,
            gt_path=_save(tmp_path, 'c.png', Image.fromarray(img)),
            mask_polygons=[[2, 1, 5, 1, 5, 3, 2, 3]]))
    want = np.ones((8, 10), np.uint8)
    want[1:4, 2:6] = 0
    assert np.array_equal(res['gt_text_mask'], want)
    text = np.zeros((8, 10), np.uint8)
    text[5:7, 1:3] = 255
    res = LoadRemovalTargets()(
        dict(
            img=img,
            gt_path=res['gt_path'],
            mask_path=_save(tmp_path, 't.png', Image.fromarray(text)),
            mask_format='text_is_white'))
    assert np.array_equal(res['gt_text_mask'], (text == 0).astype(np.uint8))


def test_removal_targets_bad_inputs(tmp_path):
    img = np.zeros((8, 10, 3), np.uint8)
    small = _save(tmp_path, 'small.png', Image.new('RGB', (9, 8)))
    with pytest.raises(
            ValueError, match=r'in\.png is 10x8.*small\.png '
            r'is 9x8'):
        LoadRemovalTargets()(dict(img=img, img_path='in.png', gt_path=small))
    with pytest.raises(FileNotFoundError, match='gone_mask.png'):
        LoadRemovalTargets()(
            dict(
                img=img,
                img_path='in.png',
                gt_path=_save(tmp_path, 'ok.png', Image.new('RGB', (10, 8))),
                mask_path=str(tmp_path / 'gone_mask.png')))


def test_load_text_seg_label_formats(tmp_path):
    maskfg = np.array([[0, 100, 200, 255, 7]], np.uint8)
    img = np.zeros((1, 5, 3), np.uint8)
    path = _save(tmp_path, 'm.png', Image.fromarray(maskfg))
    res = LoadTextSegLabel()(dict(img=img, seg_map_path=path))
    assert res['gt_img'].shape == (1, 5, 3)
    assert res['gt_img'][0, :, 2].tolist() == [0, 255, 0, 128, 128]
    binary = np.array([[0, 255, 127, 128, 255]], np.uint8)
    res = LoadTextSegLabel()(
        dict(
            img=img,
            seg_map_path=_save(tmp_path, 'b.png', Image.fromarray(binary)),
            label_format='binary'))
    assert res['gt_img'][0, :, 0].tolist() == [0, 255, 0, 255, 255]
    with pytest.raises(ValueError, match=r'img\.jpg is 4x1.*m\.png is 5x1'):
        LoadTextSegLabel()(
            dict(img=img[:, :4], img_path='img.jpg', seg_map_path=path))


def test_render_tampered_box_map():
    res = RenderTamperedBoxMap()(
        dict(
            img=np.zeros((5, 6, 3), np.uint8),
            gt_boxes=[[1, 1, 3, 2], [3, 0, 9, 1], [-2, 4, 0, 9]],
            gt_box_labels=[1, 2, 1]))
    cls = np.argmax(res['gt_img'], axis=2)
    assert cls.tolist() == [
        [0, 0, 0, 2, 2, 2],
        [0, 1, 1, 2, 2, 2],  # the later tampered box is on top
        [0, 1, 1, 1, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0, 0],
    ]
    assert res['gt_img'][0, 0].tolist() == [255, 0, 0]
    assert res['gt_img'][1, 1].tolist() == [0, 255, 0]
    assert res['gt_img'][0, 3].tolist() == [0, 0, 255]
    empty = RenderTamperedBoxMap()(
        dict(img=np.zeros((2, 2, 3), np.uint8), gt_boxes=[], gt_box_labels=[]))
    assert (np.argmax(empty['gt_img'], 2) == 0).all()


# ------------------------------------------------------------- geometry
def test_pixel_resize_is_pil_exact():
    img, gt = _rand((37, 50, 3), 1), _rand((37, 50, 3), 2)
    mask = (_rand((37, 50), 3) > 127).astype(np.uint8)
    res = PixelResize(scale=(64, 48))(
        dict(img=img, gt_img=gt, gt_text_mask=mask, task='text_removal'))

    def pil(x, interp):
        return np.asarray(Image.fromarray(x).resize((64, 48), interp))

    assert np.array_equal(res['img'], pil(img, Image.BICUBIC))
    assert np.array_equal(res['gt_img'], pil(gt, Image.BICUBIC))
    assert np.array_equal(res['gt_text_mask'], pil(mask, Image.NEAREST))
    assert res['img_shape'] == (48, 64)
    assert res['scale_factor'] == (64 / 50, 48 / 37)

    seg = np.zeros((37, 50, 3), np.uint8)
    seg[5:20, 10:30] = 255
    seg[0, 0] = 128
    res = PixelResize(
        scale=(16, 16), keep_ori_target_for_eval=True)(
            dict(img=img, gt_img=seg, task='text_segmentation'))
    assert np.array_equal(
        res['gt_img'],
        np.asarray(Image.fromarray(seg).resize((16, 16), Image.NEAREST)))
    sem = res['gt_sem_seg']
    assert sem.shape == (37, 50) and sem.dtype == np.int64
    assert sem[0, 0] == 255 and sem[5, 10] == 1 and sem[30, 40] == 0
    assert int((sem == 1).sum()) == 15 * 20


def test_pixel_resize_none_keeps_size_and_tamper_eval_map():
    img = _rand((6, 7, 3))
    gt = RenderTamperedBoxMap()(dict(
        img=img, gt_boxes=[[0, 0, 1, 1], [5, 4, 6, 5]],
        gt_box_labels=[2, 1]))['gt_img']
    res = PixelResize(
        scale=None, keep_ori_target_for_eval=True)(
            dict(img=img.copy(), gt_img=gt, task='tamper_detection'))
    assert np.array_equal(res['img'], img)
    assert res['gt_sem_seg'][0, 0] == 2 and res['gt_sem_seg'][5, 6] == 1
    assert res['gt_sem_seg'][3, 3] == 0


def test_pixel_resize_test_pipeline_without_gt():
    pipe = Compose([
        LoadRGBImagePIL(),
        PixelResize(scale=(512, 512)),
        PackPixelOCRInputs()
    ])
    out = pipe(dict(img_path=SCUT_IMG, task='text_removal'))
    assert out['inputs'].dtype == torch.uint8
    assert tuple(out['inputs'].shape) == (3, 512, 512)
    sample = out['data_samples']
    assert isinstance(sample, PixelOCRDataSample)
    assert sample.task == 'text_removal' and sample.ori_shape == (512, 512)
    assert 'gt_pixel' not in sample and 'gt_sem_seg' not in sample


def test_mismatched_sizes_are_named():
    res = dict(
        img=np.zeros((4, 5, 3), np.uint8),
        img_path='a.jpg',
        gt_img=np.zeros((4, 6, 3), np.uint8),
        gt_path='b.jpg',
        task='text_removal')
    for t in (PixelResize(), PixelRandomCrop(), PixelRandomHFlip(),
              PixelRandomRotate()):
        with pytest.raises(ValueError, match=r'a\.jpg.*5x4.*b\.jpg.*6x4'):
            t(dict(res))


def _joint_sample(h=20, w=30):
    img = _rand((h, w, 3), 4)
    return dict(
        img=img,
        gt_img=img.copy(),
        gt_text_mask=(img[..., 0] % 2).astype(np.uint8),
        task='text_removal')


def test_crop_and_flip_are_joint():
    np.random.seed(0)
    for _ in range(5):
        sample = _joint_sample()
        res = PixelRandomCrop(0.5, 0.8)(dict(sample))
        x1, y1, x2, y2 = res['crop_bbox']
        assert 15 <= x2 - x1 <= 24 and 10 <= y2 - y1 <= 16
        assert np.array_equal(res['img'], sample['img'][y1:y2, x1:x2])
        assert np.array_equal(res['gt_img'], res['img'])
        assert np.array_equal(res['gt_text_mask'], res['img'][..., 0] % 2)
    res = PixelRandomHFlip(prob=1.)(_joint_sample())
    assert res['flip'] and res['flip_direction'] == 'horizontal'
    assert np.array_equal(res['img'], _joint_sample()['img'][:, ::-1])
    assert np.array_equal(res['gt_img'], res['img'])
    assert np.array_equal(res['gt_text_mask'], res['img'][..., 0] % 2)
    assert not PixelRandomHFlip(prob=0.)(_joint_sample())['flip']
    res = PixelRandomCrop(prob=0.)(_joint_sample())
    assert res['img'].shape == (20, 30, 3) and 'crop_bbox' not in res


@pytest.mark.parametrize('task,fill', [('text_removal', [0, 0, 0]),
                                       ('text_segmentation', [128] * 3),
                                       ('tamper_detection', [128] * 3)])
def test_rotate_fills_and_pil_exactness(task, fill):
    np.random.seed(3)
    img = np.full((20, 30, 3), 255, np.uint8)
    gt = np.full((20, 30, 3), 200, np.uint8)
    mask = np.zeros((20, 30), np.uint8)
    res = PixelRandomRotate(
        max_angle=30, prob=1.)(
            dict(img=img, gt_img=gt, gt_text_mask=mask, task=task))
    angle = res['rotate_angle']
    assert angle != 0 and -30 <= angle <= 30
    assert res['img'].shape[:2] == res['gt_img'].shape[:2] == res[
        'gt_text_mask'].shape == res['img_shape']
    assert res['img'].shape[0] > 20 and res['img'].shape[1] > 30  # expand
    assert res['img'][0, 0].tolist() == [0, 0, 0]
    assert res['gt_img'][0, 0].tolist() == fill
    assert res['gt_text_mask'][0, 0] == 1
    rot = Image.fromarray(gt).rotate(
        angle, Image.NEAREST, expand=True, fillcolor=tuple(fill))
    assert np.array_equal(res['gt_img'], np.asarray(rot))
    # the same pixels are new in every output
    new = res['img'][..., 0] == 0
    assert np.array_equal(new, res['gt_text_mask'] == 1)
    assert np.array_equal(new, res['gt_img'][..., 0] == fill[0])


def test_rotate_unknown_task_is_named():
    with pytest.raises(ValueError, match="'text_removel'"):
        PixelRandomRotate(prob=1.)(
            dict(
                img=np.zeros((4, 4, 3), np.uint8),
                gt_img=np.zeros((4, 4, 3), np.uint8),
                task='text_removel'))
    with pytest.raises(ValueError, match="'nope'"):
        PixelResize(scale=(8, 8))(
            dict(
                img=np.zeros((4, 4, 3), np.uint8),
                gt_img=np.zeros((4, 4, 3), np.uint8),
                task='nope'))


def test_color_jitter_is_torchvision_on_image_only():
    img = _rand((16, 16, 3), 5)
    gt = _rand((16, 16, 3), 6)
    torch.manual_seed(11)
    res = PixelColorJitter(prob=1.)(dict(img=img, gt_img=gt.copy()))
    torch.manual_seed(11)
    ref = ColorJitter(0.5, 0.5, 0.5, 0.5)(Image.fromarray(img))
    assert np.array_equal(res['img'], np.asarray(ref))
    assert not np.array_equal(res['img'], img)
    assert np.array_equal(res['gt_img'], gt)


def test_pack_with_targets():
    res = PixelResize(
        scale=(8, 6), keep_ori_target_for_eval=True)(
            dict(
                img=_rand((5, 7, 3)),
                gt_img=np.full((5, 7, 3), 255, np.uint8),
                img_path='x.png',
                ori_shape=(5, 7),
                task='text_segmentation'))
    res['gt_text_mask'] = np.ones((6, 8), np.uint8)
    out = PackPixelOCRInputs()(res)
    sample = out['data_samples']
    assert tuple(out['inputs'].shape) == (3, 6, 8)
    assert sample.gt_pixel.img.dtype == torch.uint8
    assert tuple(sample.gt_pixel.img.shape) == (3, 6, 8)
    assert tuple(sample.gt_pixel.text_mask.shape) == (1, 6, 8)
    assert sample.gt_sem_seg.data.dtype == torch.int64
    assert tuple(sample.gt_sem_seg.data.shape) == (1, 5, 7)
    assert (sample.gt_sem_seg.data == 1).all()
    assert sample.img_shape == (6, 8) and sample.ori_shape == (5, 7)
    assert sample.task == 'text_segmentation'
    assert torch.equal(out['inputs'],
                       torch.from_numpy(res['img']).permute(2, 0, 1))


def test_training_pipeline_from_config_on_scut_sample():
    from mmengine.registry import init_default_scope
    init_default_scope('mmocr')
    pipe = Compose([
        dict(type='LoadRGBImagePIL'),
        dict(type='LoadRemovalTargets'),
        dict(type='PixelRandomHFlip', prob=1.),
        dict(type='PixelRandomRotate', prob=1.),
        dict(type='PixelResize', scale=(64, 64)),
        dict(type='PackPixelOCRInputs')
    ])
    out = pipe(
        dict(
            img_path=SCUT_IMG,
            gt_path=SCUT_LABEL,
            mask_path=SCUT_MASK,
            task='text_removal'))
    sample = out['data_samples']
    assert tuple(out['inputs'].shape) == (3, 64, 64)
    assert tuple(sample.gt_pixel.img.shape) == (3, 64, 64)
    assert set(sample.gt_pixel.text_mask.unique().tolist()) == {0, 1}
    assert sample.flip and sample.gt_path == SCUT_LABEL
