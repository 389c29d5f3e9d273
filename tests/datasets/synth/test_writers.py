# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""SynthWriter / generate: mmocr-loadable files equal to the renders,
byte-identical for any worker count, atomic on errors."""
import hashlib
import json
import os

import cv2
import numpy as np
import pytest

from mmocr_ext.datasets.synth import SynthRenderer, build_renderer
from mmocr_ext.datasets.synth.generate import generate
from mmocr_ext.datasets.synth.writers import SynthWriter, textdet_instances

SEED, NUM = 3, 4
CFG = dict(height=128, width=128, num_words=(2, 4))
ALL = 'det,rec,spot,pixel'


@pytest.fixture(scope='module')
def renderer():
    return build_renderer(**CFG, with_crops=True, tamper_words=1)


@pytest.fixture(scope='module')
def out(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synth') / 'out')
    summary = generate(root, NUM, ALL, SEED, renderer_cfg=CFG)
    assert summary['images'] == NUM and summary['out'] == root
    return root


def _load(root, name):
    with open(os.path.join(root, name)) as f:
        return json.load(f)


def _leftovers(parent):
    return [p for p in os.listdir(parent) if '.partial-' in p]


def test_det_loads_with_mmocr(out, renderer):
    from mmocr.datasets import OCRDataset

    import mmocr_ext
    mmocr_ext.register_all_modules()

    ds = OCRDataset(
        data_root=out,
        ann_file='textdet_test.json',
        test_mode=True,
        pipeline=[])
    assert len(ds) == NUM
    assert ds.metainfo['task_name'] == 'textdet'
    for i in range(NUM):
        info = ds.get_data_info(i)
        sample = renderer.render(SEED, i)
        assert info['img_path'] == os.path.join(out, 'textdet_imgs', 'test',
                                                f'{i:07d}.png')
        assert (info['height'], info['width']) == sample.image.shape[:2]
        assert np.array_equal(cv2.imread(info['img_path']), sample.image)
        assert len(info['instances']) == len(sample.words)
        for inst, word in zip(info['instances'], sample.words):
            assert inst['polygon'] == pytest.approx(
                word.polygon.ravel().tolist(), abs=0.006)
            assert inst['bbox_label'] == 0 and inst['ignore'] is False
            assert 'text' not in inst


def test_spot_and_rec(out, renderer):
    spot = _load(out, 'textspotting_test.json')
    rec = _load(out, 'textrecog_test.json')
    det = _load(out, 'textdet_test.json')
    assert spot['metainfo']['dataset_type'] == 'TextSpottingDataset'
    assert rec['metainfo'] == dict(
        dataset_type='TextRecogDataset', task_name='textrecog')
    crops = iter(rec['data_list'])
    for i in range(NUM):
        sample = renderer.render(SEED, i)
        entry = spot['data_list'][i]
        assert entry['img_path'] == det['data_list'][i]['img_path']
        assert [x['text']
                for x in entry['instances']] == [w.text for w in sample.words]
        assert [dict(x, text=None) for x in entry['instances']] == [
            dict(x, text=None) for x in det['data_list'][i]['instances']
        ]
        for k, word in enumerate(sample.words):
            item = next(crops)
            assert item['img_path'] == f'textrecog_imgs/test/{i:07d}_{k}.png'
            crop = cv2.imread(os.path.join(out, item['img_path']))
            assert crop.shape == word.crop.shape
            assert np.array_equal(crop, word.crop)
            (inst, ) = item['instances']
            assert inst['text'] == word.text
            assert len(inst['char_polygons']) == len(word.text)
            assert np.allclose(
                inst['char_polygons'],
                word.crop_char_boxes.reshape(-1, 8),
                atol=0.006)
    assert next(crops, None) is None
    n_crops = len(os.listdir(os.path.join(out, 'textrecog_imgs', 'test')))
    assert n_crops == len(rec['data_list'])


def test_pixel(out, renderer):
    index = _load(out, 'pixel_test.json')
    assert index['metainfo']['tasks'] == [
        'text_removal', 'text_segmentation', 'tamper_detection'
    ]
    for i, entry in enumerate(index['data_list']):
        sample = renderer.render(SEED, i)

        def read(key, flags=cv2.IMREAD_UNCHANGED):
            return cv2.imread(os.path.join(out, entry[key]), flags)

        assert entry['name'] == f'{i:07d}'
        assert np.array_equal(read('image'), sample.image)
        assert np.array_equal(read('clean'), sample.background)
        assert np.array_equal(read('tampered'), sample.tampered_image)
        assert np.array_equal(read('text_mask'), sample.text_mask * 255)
        assert np.array_equal(read('tamper_mask'), sample.tamper_mask * 255)
        assert set(np.unique(read('text_mask'))) <= {0, 255}
        assert entry['tampered_indices'] == sample.tampered_indices
        assert [w['text'] for w in entry['tampered_words']
                ] == [w.text for w in sample.tampered_words]
        assert entry['words'] == [
            dict(polygon=x['polygon'], text=x['text'])
            for x in textdet_instances(sample.words)
        ]


def _digests(root):
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, 'rb') as f:
                out[os.path.relpath(path, root)] = hashlib.sha256(
                    f.read()).hexdigest()
    return out


def test_workers_byte_identical(tmp_path, out):
    two = str(tmp_path / 'two')
    summary = generate(two, NUM, ALL, SEED, workers=2, renderer_cfg=CFG)
    assert summary['workers'] == 2
    one, other = _digests(out), _digests(two)
    assert len(one) > 5 * NUM and one == other
    assert _leftovers(tmp_path) == []


def test_jpg_and_overwrite(tmp_path):
    root = tmp_path / 'out'
    root.mkdir()
    (root / 'old.txt').write_text('keep')
    with pytest.raises(FileExistsError, match=str(root)):
        generate(str(root), 2, 'det', SEED, renderer_cfg=CFG)
    assert os.listdir(root) == ['old.txt']
    generate(
        str(root),
        2,
        'det',
        SEED,
        renderer_cfg=CFG,
        img_format='jpg',
        overwrite=True)
    assert sorted(os.listdir(root)) == ['textdet_imgs', 'textdet_test.json']
    assert sorted(os.listdir(root / 'textdet_imgs' /
                             'test')) == ['0000000.jpg', '0000001.jpg']
    assert _leftovers(tmp_path) == []


def test_error_mid_generation_leaves_nothing(tmp_path, monkeypatch):
    render = SynthRenderer.render

    def failing(self, seed, index):
        if index == 2:
            raise RuntimeError('boom at 2')
        return render(self, seed, index)

    monkeypatch.setattr(SynthRenderer, 'render', failing)
    root = tmp_path / 'out'
    with pytest.raises(RuntimeError, match='boom at 2'):
        generate(str(root), NUM, ALL, SEED, renderer_cfg=CFG)
    assert os.listdir(tmp_path) == []


def test_writer_errors(tmp_path, renderer):
    root = str(tmp_path / 'w')
    with pytest.raises(ValueError, match='unknown task'):
        SynthWriter(root, ['det', 'ocr'])
    with pytest.raises(ValueError, match='img_format'):
        SynthWriter(root, ['det'], img_format='bmp')
    no_tamper = build_renderer(**CFG, tamper_words=0)
    with pytest.raises(ValueError, match='tamper_words >= 1'):
        with SynthWriter(root, ['pixel']) as writer:
            writer.add(0, no_tamper.render(SEED, 0))
    with pytest.raises(ValueError, match='tamper_words >= 1'):
        generate(root, 1, 'pixel', SEED, renderer_cfg=dict(tamper_words=0))
    with pytest.raises(ValueError, match='--num'):
        generate(root, 0, 'det', SEED)
    assert os.listdir(tmp_path) == []
    # samples added in any order: json sorted by index
    with SynthWriter(root, ['det', 'spot']) as writer:
        for i in (1, 0):
            writer.add(i, renderer.render(SEED, i))
        with pytest.raises(ValueError, match='added twice'):
            writer.add(0, renderer.render(SEED, 0))
    assert writer.summary['images'] == 2
    data = _load(root, 'textdet_test.json')['data_list']
    assert [d['img_path'] for d in data] == [
        'textdet_imgs/test/0000000.png', 'textdet_imgs/test/0000001.png'
    ]
    assert _leftovers(tmp_path) == []
