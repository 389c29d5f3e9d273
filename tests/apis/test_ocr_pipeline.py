# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The composed pipeline's plumbing, with stand-in detector/recogniser
(exact, hand-checkable outputs) and with the tiny random models."""
import glob
import json
import os.path as osp
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData, LabelData
from mmocr.structures import (TextDetDataSample, TextRecogDataSample,
                              TextSpottingDataSample)

from mmocr_ext.apis import OCRPipeline
from mmocr_ext.apis.ocr_drawing import save_result

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
IMGS = sorted(
    glob.glob(
        osp.join(REPO, 'data', 'icdar2015_toy', 'textdet_imgs', 'test',
                 '*.jpg')))
JSON_KEYS = {
    'image', 'width', 'height', 'pipeline', 'instruction', 'random_weights',
    'instances', 'counts'
}


def _rect(x, y, w, h):
    return np.array([x, y, x + w, y, x + w, y + h, x, y + h], np.float32)


class FakeDet:
    """Returns the given polygons and scores for every image in turn."""

    def __init__(self, per_image):
        self.per_image = per_image  # list of (polygons, scores)
        self.calls = 0

    def __call__(self, images, batch_size, return_datasamples, progress_bar):
        samples = []
        for _ in images:
            polygons, scores = self.per_image[self.calls % len(self.per_image)]
            self.calls += 1
            sample = TextDetDataSample()
            sample.pred_instances = InstanceData(
                polygons=list(polygons), scores=torch.tensor(scores))
            samples.append(sample)
        return dict(predictions=samples)


class FakeRec:
    """Reads a crop as its size ('WxH') or through ``words[(w, h)]``."""

    def __init__(self, words=None):
        self.words = words or {}
        self.calls = []

    def __call__(self, crops, batch_size, return_datasamples, progress_bar):
        self.calls.append(len(crops))
        samples = []
        for crop in crops:
            size = (crop.shape[1], crop.shape[0])
            sample = TextRecogDataSample()
            sample.pred_text = LabelData(
                item=self.words.get(size, f'{size[0]}x{size[1]}'),
                score=[1.0, 0.5])
            samples.append(sample)
        return dict(predictions=samples)


def _image(h=120, w=200):
    return np.random.RandomState(0).randint(0, 255, (h, w, 3), np.uint8)


def test_texts_go_to_their_own_polygon_and_crops_are_batched():
    det = FakeDet([
        ([_rect(10, 10, 40, 10),
          _rect(20, 40, 60, 20),
          _rect(5, 70, 80, 30)], [0.9, 0.8, 0.7]),
        ([_rect(100, 10, 30, 12),
          _rect(50, 50, 70, 25)], [0.6, 0.5])
    ])
    rec = FakeRec()
    ocr = OCRPipeline.from_inferencers(det=det, rec=rec, rec_batch_size=4)
    results = ocr([_image(), _image()], names=['a', 'b'], batch_size=2)
    assert rec.calls == [4, 1]  # both images' crops recognised together
    assert ocr.timings['images'] == 2 and ocr.timings['crops'] == 5
    assert all(ocr.timings[k] > 0 for k in ('det', 'crop', 'rec'))
    sizes = [[(40, 10), (60, 20), (80, 30)], [(30, 12), (70, 25)]]
    for result, expected in zip(results, sizes):
        assert set(result) == JSON_KEYS
        texts = [inst['text'] for inst in result['instances']]
        assert texts == [f'{w}x{h}' for w, h in expected]
    first = results[0]['instances'][0]
    assert first['polygon'] == [10, 10, 50, 10, 50, 20, 10, 20]
    assert first['point'] == [30, 15]
    assert first['rec_score'] == 0.75  # mean of the character scores
    assert first['score'] == pytest.approx(0.9 * 0.75, abs=1e-4)
    assert results[1]['counts'] == dict(
        detected=2,
        below_score_thr=0,
        degenerate_crop=0,
        filtered_by_instruction=0,
        kept=2)


def test_degenerate_and_low_scoring_polygons_are_counted_not_read():
    det = FakeDet([(
        [
            _rect(10, 10, 0, 30),  # zero width
            _rect(10, 10, 40, 10),
            _rect(60, 60, 40, 10),  # below the threshold
        ],
        [0.9, 0.9, 0.1])])
    rec = FakeRec()
    ocr = OCRPipeline.from_inferencers(det=det, rec=rec, det_score_thr=0.3)
    result = ocr(_image())[0]
    assert rec.calls == [1]
    assert [i['text'] for i in result['instances']] == ['40x10']
    assert result['counts'] == dict(
        detected=3,
        below_score_thr=1,
        degenerate_crop=1,
        filtered_by_instruction=0,
        kept=1)


def test_instruction_filter_uses_the_instructocr_templates(tmp_path):
    polygons = [_rect(10, 10, 40, 10), _rect(20, 40, 60, 20)]
    words = {(40, 10): 'Hello', (60, 20): '2026'}
    ocr = OCRPipeline.from_inferencers(
        det=FakeDet([(polygons, [0.9, 0.9])]), rec=FakeRec(words))
    kept = ocr(_image(), instruction='text of number')[0]
    assert [i['text'] for i in kept['instances']] == ['2026']
    assert kept['counts']['filtered_by_instruction'] == 1
    assert kept['instruction'] == 'text of number'
    # An instruction that selects nothing: no instance, valid outputs.
    none = ocr(
        _image(),
        instruction="text starts with the character 'z'",
        out_dir=str(tmp_path))[0]
    assert none['instances'] == []
    assert none['counts']['filtered_by_instruction'] == 2
    assert none['counts']['kept'] == 0
    with open(tmp_path / 'preds' / 'image_0.json') as f:
        assert json.load(f)['instances'] == []
    assert cv2.imread(str(tmp_path / 'vis' / 'image_0.jpg')) is not None
    with pytest.raises(ValueError, match='not one of the InstructOCR'):
        ocr(_image(), instruction='what is the price?')


def test_image_without_detections(tmp_path):
    rec = FakeRec()
    ocr = OCRPipeline.from_inferencers(
        det=FakeDet([([], np.zeros(0, np.float32))]), rec=rec)
    result = ocr(_image(), out_dir=str(tmp_path))[0]
    assert rec.calls == []
    assert result['instances'] == [] and result['counts']['detected'] == 0
    drawing = cv2.imread(str(tmp_path / 'vis' / 'image_0.jpg'))
    assert drawing.shape == (120, 400, 3)  # image | (empty) texts


def test_unreadable_file_is_skipped_and_listed(tmp_path):
    bad = tmp_path / 'bad.jpg'
    bad.write_bytes(b'not an image')
    ocr = OCRPipeline.from_inferencers(
        det=FakeDet([([_rect(10, 10, 40, 10)], [0.9])]), rec=FakeRec())
    results = ocr([str(bad), IMGS[0]], out_dir=str(tmp_path / 'out'))
    assert [r['image'] for r in results] == ['img_10.jpg']
    assert ocr.skipped[0][0] == str(bad)


class FakeSpotter:

    def __init__(self):
        self.model = SimpleNamespace(
            instruction_override=None, default_instruction='all text')

    def __call__(self, images, batch_size, return_datasamples, progress_bar):
        samples = []
        for _ in images:
            sample = TextSpottingDataSample()
            sample.pred_instances = InstanceData(
                points=torch.tensor([[10., 20.], [30., 40.]]),
                texts=['ab', '12'],
                scores=torch.tensor([0.9, 0.4]))
            samples.append(sample)
        return dict(predictions=samples)


def test_spotter_results_have_points_and_the_instruction_followed():
    spotter = FakeSpotter()
    ocr = OCRPipeline.from_inferencers(spotter=spotter)
    result = ocr(_image(), instruction='what is written?')[0]
    assert spotter.model.instruction_override == 'what is written?'
    assert result['instruction'] == 'what is written?'
    assert result['instances'][1] == dict(
        polygon=None,
        point=[30.0, 40.0],
        text='12',
        det_score=None,
        rec_score=None,
        score=0.4)
    with pytest.raises(ValueError, match='point spotter'):
        OCRPipeline.from_inferencers(spotter=spotter, erase=object())
    with pytest.raises(ValueError, match='det and rec'):
        OCRPipeline.from_inferencers(det=FakeDet([]))


@pytest.fixture(scope='module')
def tiny_pipeline():
    torch.manual_seed(0)
    return OCRPipeline(
        det='tcm-toy',
        rec='e2str-toy',
        erase='upocr-toy',
        device='cpu',
        det_score_thr=0.0)


def test_tiny_models_on_the_bundled_images(tiny_pipeline, tmp_path, capsys):
    assert tiny_pipeline.random_weights == ['det', 'rec', 'erase']
    results = tiny_pipeline(IMGS, out_dir=str(tmp_path), batch_size=2)
    assert [r['image'] for r in results] == [osp.basename(p) for p in IMGS]
    for result, path in zip(results, IMGS):
        img = cv2.imread(path)
        name = osp.splitext(result['image'])[0]
        with open(tmp_path / 'preds' / f'{name}.json') as f:
            saved = json.load(f)
        assert set(saved) == JSON_KEYS
        assert saved['pipeline'] == dict(
            det='tcm-toy', rec='e2str-toy', spotter=None, erase='upocr-toy')
        assert saved['random_weights'] == ['det', 'rec', 'erase']
        assert (saved['width'], saved['height']) == (img.shape[1],
                                                     img.shape[0])
        assert saved['counts']['kept'] == len(saved['instances'])
        for inst in saved['instances']:
            xy = np.asarray(inst['polygon']).reshape(-1, 2)
            assert (xy >= 0).all() and (xy[:, 0] <= img.shape[1] - 1).all()
            assert isinstance(inst['text'], str)
            assert 0 <= inst['score'] <= 1
        erased = cv2.imread(str(tmp_path / 'erased' / f'{name}.png'))
        assert erased.shape == img.shape
        drawing = cv2.imread(str(tmp_path / 'vis' / f'{name}.jpg'))
        # image | texts | erased, under the red random-weights strip.
        assert drawing.shape[1] == 3 * img.shape[1]
        assert drawing.shape[0] > img.shape[0]
        assert drawing[3, 3, 2] > 150 and drawing[3, 3, 0] < 60
    warning = (tmp_path / 'WARNING_RANDOM_WEIGHTS.txt').read_text()
    assert 'RANDOM WEIGHTS for det, rec, erase' in warning


def test_erasing_stays_inside_the_kept_polygons(tiny_pipeline, tmp_path):
    polygon = _rect(40, 30, 60, 20)
    ocr = OCRPipeline.from_inferencers(
        det=FakeDet([([polygon], [0.9])]),
        rec=FakeRec(),
        erase=tiny_pipeline.erase,
        dilate=0)
    img = _image()
    result = ocr(img)[0]
    erased = result['erased']
    inside = np.zeros(img.shape[:2], bool)
    inside[30:51, 40:101] = True  # the rectangle, borders included
    np.testing.assert_array_equal(erased[~inside], img[..., ::-1][~inside])
    assert (erased[31:50, 41:100] != img[31:50, 41:100, ::-1]).any()
    paths = save_result(result, img, str(tmp_path), banner='')
    assert cv2.imread(paths['erased']).shape == img.shape


def test_mmocr_inferencer_with_our_configs_composes():
    from mmocr.apis import MMOCRInferencer

    from mmocr_ext.apis.ocr_presets import PRESETS
    torch.manual_seed(0)
    mmocr = MMOCRInferencer(
        det=osp.join(REPO, PRESETS['tcm-toy'].config),
        rec=osp.join(REPO, PRESETS['e2str-toy'].config),
        device='cpu')
    out = mmocr(IMGS[0], return_vis=False)['predictions'][0]
    assert len(out['rec_texts']) == len(out['det_polygons'])
    ocr = OCRPipeline.from_inferencers(
        det=mmocr.textdet_inferencer,
        rec=mmocr.textrec_inferencer,
        det_score_thr=0.0)
    result = ocr(IMGS[0])[0]
    assert result['counts']['detected'] == len(out['det_polygons'])
    assert result['pipeline']['det'] == 'TextDetInferencer'


def test_in_context_pool_reaches_the_recogniser(tiny_pipeline, tmp_path):
    from mmocr_ext.apis import recognizer_model
    crops = osp.join(REPO, 'data', 'word_crops')
    with open(osp.join(crops, 'textrecog_test.json')) as f:
        data = json.load(f)['data_list'][:3]
    pool_file = tmp_path / 'pool.json'
    pool_file.write_text(
        json.dumps([
            dict(
                img_path=osp.join(crops, d['img_path']),
                gt_text=d['instances'][0]['text']) for d in data
        ]))
    model = recognizer_model(tiny_pipeline.rec)
    try:
        pool = tiny_pipeline.set_pool(str(pool_file))
        assert len(pool) == 3 and model.get_pool() is pool
        result = tiny_pipeline(IMGS[:1])[0]
        assert result['counts']['kept'] == len(result['instances'])
    finally:
        tiny_pipeline.set_pool(None)
    assert model.get_pool() is None
    with pytest.raises(TypeError, match='needs a recogniser'):
        OCRPipeline.from_inferencers(spotter=FakeSpotter()).set_pool(None)


def test_i3cl_mask_contours_compose(tmp_path):
    """I3CL's polygons (mask contours, many points) go through the same
    crops; every kept instance gets the text read from its own crop."""
    from mmocr.apis import TextDetInferencer

    from mmocr_ext.apis.ocr_presets import PRESETS
    from mmocr_ext.apis.text_crops import crop_text_region
    torch.manual_seed(0)
    det = TextDetInferencer(
        osp.join(REPO, PRESETS['i3cl-toy'].config), device='cpu')
    img = cv2.imread(IMGS[0])[200:392, 300:556]
    ocr = OCRPipeline.from_inferencers(
        det=det, rec=FakeRec(), det_score_thr=0.0)
    result = ocr(img, out_dir=str(tmp_path))[0]
    counts = result['counts']
    assert counts['detected'] > 0
    assert counts['kept'] + counts['degenerate_crop'] == counts['detected']
    for inst in result['instances']:
        crop = crop_text_region(img, inst['polygon'])
        assert inst['text'] == f'{crop.shape[1]}x{crop.shape[0]}'
