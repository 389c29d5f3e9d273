# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's datasets read the native layouts (SCUT-EnsText, TextSeg,
Tampered-IC13) and the synthetic engine's pixel records; bad files fail at
load time, naming the file (or are skipped and counted)."""
import json
import os
import os.path as osp
import shutil

import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmocr.datasets import ConcatDataset
from PIL import Image

from mmocr_ext.datasets import (MultiTaskGroupedSampler, SCUTEnsTextDataset,
                                SynthPixelDataset, TamperedIC13Dataset,
                                TextSegDataset)
from mmocr_ext.datasets.transforms import (LoadRemovalTargets, LoadRGBImagePIL,
                                           LoadTextSegLabel,
                                           PackPixelOCRInputs,
                                           PixelRandomHFlip, PixelRandomRotate,
                                           PixelResize, RenderTamperedBoxMap)
from mmocr_ext.structures.pixel_ocr_data_sample import PIXEL_TASKS
from conftest import REPO

SCUT = osp.join(REPO, 'data', 'scut_enstext_sample')
TASKS = list(PIXEL_TASKS)


def _img(path, size=(6, 4), mode='RGB', value=0):
    os.makedirs(osp.dirname(path), exist_ok=True)
    Image.new(mode, size, value).save(path)


# ----------------------------------------------------------- SCUT-EnsText
def test_scut_enstext_bundled_sample():
    ds = SCUTEnsTextDataset(
        data_root=SCUT,
        img_dir='all_images',
        label_dir='all_labels',
        mask_dir='mask',
        pipeline=[
            LoadRGBImagePIL(),
            LoadRemovalTargets(),
            PixelResize(scale=(32, 32)),
            PackPixelOCRInputs()
        ])
    assert len(ds) == 1
    assert ds.metainfo['task'] == 'text_removal'
    assert ds.metainfo['task_list'] == TASKS
    info = ds.get_data_info(0)
    assert info['img_path'] == osp.join(SCUT, 'all_images', '118.jpg')
    assert info['gt_path'] == osp.join(SCUT, 'all_labels', '118.jpg')
    assert info['mask_path'] == osp.join(SCUT, 'mask', '118.jpg')
    out = ds[0]
    assert tuple(out['inputs'].shape) == (3, 32, 32)
    sample = out['data_samples']
    assert sample.task == 'text_removal' and sample.ori_shape == (512, 512)
    assert tuple(sample.gt_pixel.text_mask.shape) == (1, 32, 32)


def _scut_tree(root):
    for d in ('image', 'label', 'mask'):
        for stem in ('a', 'b'):
            _img(osp.join(root, d, f'{stem}.jpg'))
    return root


def test_scut_enstext_default_layout_and_missing_files(tmp_path):
    root = _scut_tree(str(tmp_path / 'scut'))
    _img(osp.join(root, 'label', 'c.png'))
    _img(osp.join(root, 'mask', 'c.png'))
    _img(osp.join(root, 'image', 'c.jpg'))  # paired by stem
    ds = SCUTEnsTextDataset(data_root=root)
    assert [osp.basename(ds.get_data_info(i)['gt_path'])
            for i in range(3)] == ['a.jpg', 'b.jpg', 'c.png']
    os.remove(osp.join(root, 'mask', 'b.jpg'))
    with pytest.raises(FileNotFoundError, match=r'mask/b\.jpg'):
        SCUTEnsTextDataset(data_root=root)
    ds = SCUTEnsTextDataset(data_root=root, on_error='skip')
    assert len(ds) == 2 and len(ds.skipped) == 1
    assert 'mask/b.jpg' in ds.skipped[0]
    os.remove(osp.join(root, 'label', 'a.jpg'))
    with pytest.raises(FileNotFoundError, match=r'label/a\.jpg'):
        SCUTEnsTextDataset(data_root=root)


def test_scut_enstext_size_mismatch_at_load_time(tmp_path):
    root = _scut_tree(str(tmp_path / 'scut'))
    _img(osp.join(root, 'label', 'b.jpg'), size=(7, 4))
    with pytest.raises(
            ValueError, match=r'image/b\.jpg is 6x4 .*label/b\.jpg is 7x4'):
        SCUTEnsTextDataset(data_root=root)
    assert len(SCUTEnsTextDataset(data_root=root, check_sizes=False)) == 2


def test_unknown_task_names_are_named(tmp_path):
    root = _scut_tree(str(tmp_path / 'scut'))
    with pytest.raises(ValueError, match="'erase'"):
        SCUTEnsTextDataset(data_root=root, metainfo=dict(task='erase'))
    with pytest.raises(ValueError, match="'segmentation'"):
        SynthPixelDataset(data_root=root, task='segmentation')


# ----------------------------------------------------------------- TextSeg
def test_textseg_splits_and_errors(tmp_path):
    root = str(tmp_path / 'textseg')
    split = dict(train=['1', '2'], val=['3'], test=['4'])
    for ids in split.values():
        for i in ids:
            _img(osp.join(root, 'image', f'{i}.jpg'))
            _img(osp.join(root, 'semantic_label', f'{i}_maskfg.png'), mode='L')
    with open(osp.join(root, 'split.json'), 'w') as f:
        json.dump(split, f)
    ds = TextSegDataset(data_root=root)
    assert [
        osp.basename(ds.get_data_info(i)['img_path']) for i in range(len(ds))
    ] == ['1.jpg', '2.jpg', '3.jpg']
    info = ds.get_data_info(0)
    assert info['label_format'] == 'textseg'
    assert info['task'] == 'text_segmentation'
    assert info['seg_map_path'].endswith('semantic_label/1_maskfg.png')
    assert len(TextSegDataset(data_root=root, splits='test')) == 1
    with pytest.raises(KeyError, match="'tset'"):
        TextSegDataset(data_root=root, splits=('tset', ))
    os.remove(osp.join(root, 'semantic_label', '2_maskfg.png'))
    with pytest.raises(FileNotFoundError, match='2_maskfg.png'):
        TextSegDataset(data_root=root)
    assert len(TextSegDataset(data_root=root, on_error='skip')) == 2


def test_textseg_label_through_pipeline(tmp_path):
    root = str(tmp_path / 'textseg')
    _img(osp.join(root, 'image', '1.jpg'), size=(4, 2))
    label = np.array([[0, 100, 200, 255], [100, 100, 0, 0]], np.uint8)
    Image.fromarray(label).save(
        _mkdir(osp.join(root, 'semantic_label', '1_maskfg.png')))
    with open(osp.join(root, 'split.json'), 'w') as f:
        json.dump(dict(test=['1']), f)
    ds = TextSegDataset(
        data_root=root,
        splits='test',
        pipeline=[
            LoadRGBImagePIL(),
            LoadTextSegLabel(),
            PixelResize(scale=(8, 8), keep_ori_target_for_eval=True),
            PackPixelOCRInputs()
        ])
    sample = ds[0]['data_samples']
    assert sample.gt_sem_seg.data[0].tolist() == [[0, 1, 0, 255], [1, 1, 0, 0]]
    assert tuple(sample.gt_pixel.img.shape) == (3, 8, 8)


def _mkdir(path):
    os.makedirs(osp.dirname(path), exist_ok=True)
    return path


# ----------------------------------------------------------- Tampered-IC13
def _ttd_tree(root, lines):
    for stem, text in lines.items():
        _img(osp.join(root, 'train_img', f'{stem}.jpg'), size=(8, 6))
        with open(_mkdir(osp.join(root, 'train_gt', f'{stem}.txt')), 'w') as f:
            f.write(text)
    return root


def test_tampered_ic13_parses_boxes(tmp_path):
    root = _ttd_tree(
        str(tmp_path / 'ttd'),
        dict(
            img_1='1,1,3,2,1\n\n2, 0, 7, 1, 2\n',
            img_2='',  # no box: an all-background image, not a crash
        ))
    ds = TamperedIC13Dataset(
        data_root=root,
        pipeline=[
            LoadRGBImagePIL(),
            RenderTamperedBoxMap(),
            PackPixelOCRInputs()
        ])
    assert ds.metainfo['task'] == 'tamper_detection'
    info = ds.get_data_info(0)
    assert info['gt_boxes'] == [[1, 1, 3, 2], [2, 0, 7, 1]]
    assert info['gt_box_labels'] == [1, 2]
    assert ds.get_data_info(1)['gt_boxes'] == []
    cls = ds[0]['data_samples'].gt_pixel.img.argmax(0)
    assert cls[1].tolist() == [0, 1, 2, 2, 2, 2, 2, 2]
    assert (ds[1]['data_samples'].gt_pixel.img.argmax(0) == 0).all()


@pytest.mark.parametrize('text,match', [('1,1,3,2,1\n1,1,3\n', r':2: '),
                                        ('1,1,3,2,3\n', r':1: label'),
                                        ('1,a,3,2,1\n', r':1: expected')])
def test_tampered_ic13_malformed_lines_name_file_and_line(
        tmp_path, text, match):
    root = _ttd_tree(str(tmp_path / 'ttd'), dict(img_1=text))
    with pytest.raises(ValueError, match=r'img_1\.txt' + match):
        TamperedIC13Dataset(data_root=root)
    with pytest.raises(ValueError, match=r'no usable sample.*1 skipped'):
        TamperedIC13Dataset(data_root=root, on_error='skip')
    _ttd_tree(root, dict(img_2='0,0,1,1,1'))
    ds = TamperedIC13Dataset(data_root=root, on_error='skip')
    assert len(ds) == 1 and len(ds.skipped) == 1
    assert 'img_1.txt' in ds.skipped[0]


def test_tampered_ic13_missing_gt_file(tmp_path):
    root = _ttd_tree(str(tmp_path / 'ttd'), dict(img_1='1,1,2,2,1'))
    _img(osp.join(root, 'train_img', 'img_9.jpg'))
    with pytest.raises(FileNotFoundError, match=r'img_9\.txt'):
        TamperedIC13Dataset(data_root=root)
    test = _ttd_tree(str(tmp_path / 'other'), dict(x='0,0,1,1,2'))
    shutil.move(osp.join(test, 'train_img'), osp.join(test, 'test_img'))
    shutil.move(osp.join(test, 'train_gt'), osp.join(test, 'test_gt'))
    assert len(TamperedIC13Dataset(data_root=test, phase='test')) == 1


# ------------------------------------------------------------- synthetic
@pytest.fixture(scope='module')
def synth(tmp_path_factory):
    from mmocr_ext.datasets.synth.generate import generate
    root = str(tmp_path_factory.mktemp('pixel') / 'synth')
    generate(
        root,
        2,
        'pixel',
        7,
        split='train',
        renderer_cfg=dict(height=48, width=64, num_words=(2, 3)))
    with open(osp.join(root, 'pixel_train.json')) as f:
        return root, json.load(f)['data_list']


def _read(root, rel, mode='RGB'):
    return np.array(Image.open(osp.join(root, rel)).convert(mode))


def test_synth_text_removal(synth):
    root, records = synth
    pipeline = [LoadRGBImagePIL(), LoadRemovalTargets(), PackPixelOCRInputs()]
    ds = SynthPixelDataset(data_root=root, pipeline=pipeline)
    assert len(ds) == 2 and ds.metainfo['task'] == 'text_removal'
    out = ds[0]
    rec = records[0]
    assert torch.equal(out['inputs'].permute(1, 2, 0),
                       torch.from_numpy(_read(root, rec['image'])))
    sample = out['data_samples']
    assert np.array_equal(
        sample.gt_pixel.img.permute(1, 2, 0).numpy(),
        _read(root, rec['clean']))
    mask = sample.gt_pixel.text_mask[0].numpy()
    glyphs = _read(root, rec['text_mask'], 'L') > 0
    assert (mask[glyphs] == 0).all()  # polygons cover every glyph pixel
    assert (mask == 0).sum() > glyphs.sum()
    ds = SynthPixelDataset(
        data_root=root, removal_mask='text_mask', pipeline=pipeline)
    mask = ds[0]['data_samples'].gt_pixel.text_mask[0].numpy()
    assert np.array_equal(mask, (~glyphs).astype(np.uint8))


def test_synth_text_segmentation(synth):
    root, records = synth
    ds = SynthPixelDataset(
        data_root=root,
        task='text_segmentation',
        pipeline=[
            LoadRGBImagePIL(),
            LoadTextSegLabel(),
            PixelResize(scale=None, keep_ori_target_for_eval=True),
            PackPixelOCRInputs()
        ])
    assert ds.metainfo['task'] == 'text_segmentation'
    sample = ds[1]['data_samples']
    glyphs = _read(root, records[1]['text_mask'], 'L') > 0
    assert np.array_equal(sample.gt_sem_seg.data[0].numpy(), glyphs * 1)
    assert set(sample.gt_pixel.img.unique().tolist()) == {0, 255}


def test_synth_tamper_detection(synth):
    root, records = synth
    ds = SynthPixelDataset(
        data_root=root,
        task='tamper_detection',
        pipeline=[
            LoadRGBImagePIL(),
            RenderTamperedBoxMap(),
            PixelRandomRotate(prob=0.),
            PackPixelOCRInputs()
        ])
    for i, rec in enumerate(records):
        info = ds.get_data_info(i)
        assert info['img_path'] == osp.join(root, rec['tampered'])
        n_fake = len(rec['tampered_indices'])
        assert n_fake >= 1
        assert info['gt_box_labels'] == [1] * (len(rec['words']) -
                                               n_fake) + [2] * n_fake
        k = rec['tampered_indices'][0]
        pts = np.array(rec['words'][k]['polygon']).reshape(-1, 2)
        new = np.array(rec['tampered_words'][k]['polygon']).reshape(-1, 2)
        pts = np.concatenate([pts, new])
        x1, y1 = np.floor(pts.min(0)).astype(int)
        x2 = min(63, int(np.ceil(pts[:, 0].max())))
        y2 = min(47, int(np.ceil(pts[:, 1].max())))
        assert info['gt_boxes'][len(rec['words']) -
                                n_fake] == [max(0, x1),
                                            max(0, y1), x2, y2]
        cls = ds[i]['data_samples'].gt_pixel.img.argmax(0)
        assert (cls == 2).any() and (cls == 0).any()


def test_synth_missing_file_and_joint_training_batch(synth, tmp_path):
    root, _ = synth
    copy = str(tmp_path / 'copy')
    shutil.copytree(root, copy)
    os.remove(osp.join(copy, 'pixel_imgs', 'train', 'clean', '0000001.png'))
    with pytest.raises(FileNotFoundError, match=r'clean/0000001\.png'):
        SynthPixelDataset(data_root=copy)
    assert len(SynthPixelDataset(data_root=copy, on_error='skip')) == 1
    assert len(SynthPixelDataset(data_root=copy,
                                 task='text_segmentation')) == 2

    def pipe(*load):
        return Compose([
            LoadRGBImagePIL(), *load,
            PixelRandomHFlip(),
            PixelRandomRotate(),
            PixelResize(scale=(32, 32)),
            PackPixelOCRInputs()
        ])

    concat = ConcatDataset([
        SynthPixelDataset(data_root=root, pipeline=pipe(LoadRemovalTargets())),
        SynthPixelDataset(
            data_root=root,
            task='tamper_detection',
            pipeline=pipe(RenderTamperedBoxMap())),
        SynthPixelDataset(
            data_root=root,
            task='text_segmentation',
            pipeline=pipe(LoadTextSegLabel()))
    ],
                           verify_meta=False)
    sampler = MultiTaskGroupedSampler(
        concat, samples_per_task=2, seed=0, batch_size=6)
    loader = torch.utils.data.DataLoader(
        concat, batch_size=6, sampler=sampler, collate_fn=lambda batch: batch)
    batch = next(iter(loader))
    tasks = [b['data_samples'].task for b in batch]
    assert tasks == ['text_removal'] * 2 + ['tamper_detection'
                                            ] * 2 + ['text_segmentation'] * 2
    assert all(tuple(b['inputs'].shape) == (3, 32, 32) for b in batch)
    assert all(
        tuple(b['data_samples'].gt_pixel.img.shape) == (3, 32, 32)
        for b in batch)
