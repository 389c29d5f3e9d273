# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""PixelOCRInferencer: ground-truth-free UPOCR inference (tiny random
model), the three tasks, batching, outputs at the original size, the
polygon-restricted text removal."""
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from PIL import Image

from mmocr_ext.apis import PixelOCRInferencer, polygons_mask
from mmocr_ext.apis.pixel_ocr_inferencer import inference_pipeline_cfg

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOY = osp.join(REPO, 'configs', 'pixel', 'upocr', 'upocr_swinv2-tiny_toy.py')
# The toy config's tiny UPOCR (spec-upocr.md section 8), images resized to
# 64 x 64.
TINY = f'''_base_ = [{TOY!r}]
model = dict(loss_removal=[dict(type='MultiScaleMaskedL1Loss')])
test_dataloader = dict(_delete_=True, dataset=dict(pipeline=[
    dict(type='LoadRGBImagePIL'),
    dict(type='PixelResize', scale=(64, 64)),
    dict(type='PackPixelOCRInputs')]))
'''
RNG = np.random.default_rng(0)
IMG_A = RNG.integers(0, 256, (50, 70, 3), dtype=np.uint8)  # RGB
IMG_B = RNG.integers(0, 256, (40, 33, 3), dtype=np.uint8)


@pytest.fixture(scope='module')
def model_files(tmp_path_factory):
    """Tiny config, a checkpoint of it and two RGB images on disk."""
    tmp = tmp_path_factory.mktemp('pixel_infer')
    config = str(tmp / 'upocr_tiny.py')
    with open(config, 'w') as f:
        f.write(TINY)
    torch.manual_seed(0)
    with pytest.warns(UserWarning, match='RANDOMLY'):
        inferencer = PixelOCRInferencer(config, device='cpu')
    ckpt = str(tmp / 'tiny.pth')
    torch.save({'state_dict': inferencer.model.state_dict()}, ckpt)
    paths = []
    for name, img in (('a.png', IMG_A), ('b.png', IMG_B)):
        paths.append(str(tmp / 'imgs' / name))
        os.makedirs(osp.dirname(paths[-1]), exist_ok=True)
        Image.fromarray(img).save(paths[-1])
    return dict(config=config, ckpt=ckpt, paths=paths, tmp=tmp)


@pytest.fixture(scope='module')
def inferencer(model_files):
    return PixelOCRInferencer(
        model_files['config'], weights=model_files['ckpt'], device='cpu')


def test_pipeline_without_loading_and_gt_steps(inferencer):
    cfg = dict(
        test_dataloader=dict(
            dataset=dict(
                type='ConcatDataset',
                datasets=[
                    dict(pipeline=[
                        dict(type='LoadRGBImagePIL'),
                        dict(type='LoadTextSegLabel'),
                        dict(type='PixelResize', scale=(32, 32)),
                        dict(type='PackPixelOCRInputs')
                    ])
                ])))
    assert [t['type'] for t in inference_pipeline_cfg(cfg)
            ] == ['PixelResize', 'PackPixelOCRInputs']
    assert inference_pipeline_cfg({})[0] == dict(
        type='PixelResize', scale=(512, 512))
    assert inferencer.task_list == ('text_removal', 'tamper_detection',
                                    'text_segmentation')
    assert not inferencer.random_weights


def test_three_tasks_original_size_outputs(inferencer, model_files, tmp_path):
    folder = osp.dirname(model_files['paths'][0])
    for task in ('text_removal', 'text_segmentation', 'tamper_detection'):
        preds = inferencer(
            folder, task=task, batch_size=2,
            out_dir=str(tmp_path))['predictions']
        assert [p['img_path'] for p in preds] == model_files['paths']
        for pred, img in zip(preds, (IMG_A, IMG_B)):
            h, w = img.shape[:2]
            out = pred['output']
            written = np.asarray(Image.open(pred['output_path']))
            assert (written == out).all()
            assert pred['output_path'].endswith(f'_{task}.png')
            panel = np.asarray(Image.open(pred['vis_path']))
            assert panel.shape == (h, 2 * w, 3)
            assert (panel[:, :w] == img).all()  # the input panel
            if task == 'text_removal':
                assert out.shape == (h, w, 3)
                assert (panel[:, w:] == out).all()
            elif task == 'text_segmentation':
                assert out.shape == (h, w)
                assert set(np.unique(out)) <= {0, 255}
            else:
                assert out.shape == (h, w) and set(np.unique(out)) <= {0, 1, 2}
                assert Image.open(pred['output_path']).mode == 'P'
    assert sorted(os.listdir(tmp_path / 'preds')) == sorted(
        f'{n}_{t}.png' for n in 'ab'
        for t in ('text_removal', 'text_segmentation', 'tamper_detection'))
    assert not osp.exists(tmp_path / 'WARNING_RANDOM_WEIGHTS.txt')


def test_batched_equals_single_and_ndarray_is_bgr(inferencer, model_files):
    paths = model_files['paths']
    one = [
        inferencer(p, task='tamper_detection')['predictions'][0]['output']
        for p in paths
    ]
    both = inferencer(paths, task='tamper_detection', batch_size=2)
    for a, b in zip(one, both['predictions']):
        assert (a == b['output']).all()
    # an ndarray is BGR (mmocr's convention): the same result as the file
    arr = inferencer(
        IMG_A[..., ::-1].copy(), task='tamper_detection')['predictions'][0]
    assert (arr['output'] == one[0]).all() and arr['img_path'] is None


def test_polygons_keep_original_pixels_outside(inferencer):
    polygons = [[np.array([5, 5, 30, 5, 30, 20, 5, 20.])]]
    plain = inferencer(IMG_A[..., ::-1].copy())['predictions'][0]['output']
    erased = inferencer(
        IMG_A[..., ::-1].copy(), polygons=polygons,
        dilate=1)['predictions'][0]['output']
    mask = polygons_mask(IMG_A.shape, polygons[0], dilate=1)
    assert (erased[~mask] == IMG_A[~mask]).all()
    assert (erased[mask] == plain[mask]).all()
    with pytest.raises(ValueError, match='restricts text removal'):
        inferencer(IMG_A, task='text_segmentation', polygons=polygons)


def test_erase_in_detections_uses_detector_polygons(inferencer, model_files,
                                                    tmp_path):
    calls = []

    def detector(imgs, **kwargs):
        """A stand-in TextDetInferencer: one box per image, two scores."""
        calls.append([img.copy() for img in imgs])
        samples = []
        for _ in imgs:
            sample = InstanceData()
            sample.polygons = [
                np.array([2, 3, 12, 3, 12, 9, 2, 9.]),
                np.array([20, 20, 25, 20, 25, 25.])
            ]
            sample.scores = torch.tensor([0.9, 0.1])
            samples.append(type('S', (), {'pred_instances': sample})())
        return dict(predictions=samples)

    path = model_files['paths'][0]
    preds = inferencer.erase_in_detections(
        path, detector, det_score_thr=0.5, out_dir=str(tmp_path))
    pred = preds['predictions'][0]
    assert (calls[0][0] == IMG_A[..., ::-1]).all()  # BGR, decoded once
    assert pred['polygons'] == [[2, 3, 12, 3, 12, 9, 2, 9]]
    assert pred['img_path'] == path
    mask = np.zeros(IMG_A.shape[:2], bool)
    mask[3:10, 2:13] = True
    plain = inferencer(path)['predictions'][0]['output']
    assert (pred['output'][~mask] == IMG_A[~mask]).all()
    assert (pred['output'][mask] == plain[mask]).all()
    assert osp.isfile(tmp_path / 'preds' / 'a_text_removal.png')


def test_random_weights_and_bad_inputs(model_files, tmp_path, capsys):
    with pytest.warns(UserWarning, match='RANDOMLY'):
        random = PixelOCRInferencer(
            model_files['config'], device='cpu', task='text_segmentation')
    assert 'RANDOMLY' in capsys.readouterr().err
    pred = random(IMG_B, out_dir=str(tmp_path))['predictions'][0]
    assert pred['random_weights'] and pred['task'] == 'text_segmentation'
    assert osp.isfile(tmp_path / 'WARNING_RANDOM_WEIGHTS.txt')
    with pytest.raises(ValueError, match=r"unknown task 'ocr'.*text_removal"):
        random(IMG_B, task='ocr')
    with pytest.raises(ValueError, match='unknown task'):
        PixelOCRInferencer(model_files['config'], device='cpu', task='x')
    with pytest.raises(FileNotFoundError, match='nothere.jpg'):
        random(str(tmp_path / 'nothere.jpg'))
    broken = tmp_path / 'broken.jpg'
    broken.write_bytes(b'not an image')
    with pytest.raises(ValueError, match='broken.jpg'):
        random(str(broken))
    with pytest.raises(ValueError, match='uint8'):
        random(np.zeros((4, 4, 3), np.float32))
