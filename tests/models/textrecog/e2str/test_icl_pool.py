# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STR's in-context pool: retrieval, demonstrations, cache, bad input."""
import json
import os.path as osp
import shutil

import pytest
import torch
from mmengine.config import Config

from mmocr_ext.models.textrecog.e2str import InContextPool
from mmocr_ext.models.textrecog.e2str import icl_pool as icl_pool_module
from mmocr_ext.models.textrecog.e2str import read_pool_items
from e2str_tiny import REPO, TOY_CFG, build_toy, samples

CROPS = osp.join(REPO, 'data', 'word_crops')


def _pool_json(tmp_path, names, name='pool.json', official=False):
    """A pool of bundled crops copied to tmp_path (labels = file stems)."""
    items = []
    for i, src in enumerate(names):
        dst = tmp_path / f'{i}_{osp.basename(src)}'
        shutil.copy(osp.join(CROPS, src), dst)
        items.append((dst.name, f'word{i}'))
    if official:
        data = [dict(img_path=p, gt_text=t) for p, t in items]
    else:
        data = dict(
            metainfo=dict(task_name='textrecog'),
            data_list=[
                dict(img_path=p, instances=[dict(text=t)]) for p, t in items
            ])
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


NAMES = [
    'mmocr_toy/1036169.jpg', 'mmocr_toy/1058891.jpg',
    'clovaai_demo/demo_2.jpg', 'parseq_demo/cute-184.jpg',
    'paddleocr_ic15_words/word_10.png'
]


@pytest.fixture(scope='module')
def pipeline():
    return Config.fromfile(TOY_CFG).test_pipeline


def test_read_pool_items_both_formats(tmp_path):
    names = NAMES[:2]
    for official in (False, True):
        path = _pool_json(tmp_path, names, f'p{official}.json', official)
        items = read_pool_items(path)
        assert [i['text'] for i in items] == ['word0', 'word1']
        assert all(osp.isabs(i['img_path']) for i in items)
    empty = tmp_path / 'empty.json'
    empty.write_text('[]')
    with pytest.raises(ValueError, match='empty.json.*empty'):
        read_pool_items(str(empty))


def test_retrieval_picks_the_planted_duplicate(tmp_path, pipeline):
    names = NAMES
    model = build_toy(seed=5)
    pool = InContextPool.build(_pool_json(tmp_path, names), model, pipeline)
    assert len(pool) == len(names) and pool.images.dtype == torch.uint8
    torch.testing.assert_close(pool.feats.norm(dim=1), torch.ones(len(names)))
    # each pool crop, as a query, finds itself first (one matmul + top-k)
    index = pool.retrieve(pool.feats, k=2, candidates=20)
    assert index.shape == (len(names), 2)
    assert index[:, 0].tolist() == list(range(len(names)))
    # and a slightly perturbed copy of crop 2 still retrieves crop 2
    noisy = pool.images[2:3].float() + torch.randn(1, 3, 32, 128) * 4
    noisy = noisy.clamp(0, 255).to(torch.uint8)
    with torch.no_grad():
        feat = model.pooled_feat(model.normalize(noisy))
    assert pool.retrieve(feat, k=1)[0, 0].item() == 2


def test_predict_with_pool_builds_demonstration_prompts(
        tmp_path, pipeline, monkeypatch):
    names = NAMES
    model = build_toy(seed=6)
    pool = InContextPool.build(_pool_json(tmp_path, names), model, pipeline)
    model.set_pool(pool)
    seen = {}
    real = model.language_model.tokenize

    def spy(texts, device):
        seen['prompts'] = list(texts)
        return real(texts, device)

    monkeypatch.setattr(model.language_model, 'tokenize', spy)
    queries = model.normalize(pool.images[[1, 3]])
    out = model.predict(queries, samples(['a', 'b']))
    assert len(out) == 2
    first, second = seen['prompts']
    # k=2: the query itself (most similar) then another crop, then the query
    assert first.startswith('<image>word1<|endofchunk|><image>word')
    assert first.endswith('<|endofchunk|><image>')
    assert second.startswith('<image>word3<|endofchunk|>')
    model.set_pool(None)
    model.predict(queries, samples(['a', 'b']))
    assert seen['prompts'] == ['<image>', '<image>']


def test_pool_cache_is_reused_and_invalidated_by_new_weights(
        tmp_path, pipeline, monkeypatch):
    names = NAMES[:3]
    ann = _pool_json(tmp_path, names)
    cache = tmp_path / 'cache'
    builds = []
    real_build = InContextPool.build.__func__

    def counting(cls, *args, **kwargs):
        builds.append(1)
        return real_build(cls, *args, **kwargs)

    monkeypatch.setattr(InContextPool, 'build', classmethod(counting))
    monkeypatch.setattr(icl_pool_module, '_LOADED', {})
    model = build_toy(seed=7)
    first = InContextPool.load_or_build(ann, model, pipeline, str(cache))
    assert len(builds) == 1 and len(list(cache.iterdir())) == 1
    # same process: loaded once; a new process (empty memo): from disk
    assert InContextPool.load_or_build(ann, model, pipeline,
                                       str(cache)) is first
    icl_pool_module._LOADED.clear()
    again = InContextPool.load_or_build(ann, model, pipeline, str(cache))
    assert len(builds) == 1
    torch.testing.assert_close(again.feats, first.feats)
    # new weights -> another key -> rebuilt into a second cache file
    with torch.no_grad():
        model.perceiver.latents.add_(0.1)
    InContextPool.load_or_build(ann, model, pipeline, str(cache))
    assert len(builds) == 2 and len(list(cache.iterdir())) == 2
    # a saved pool file refuses other weights
    pool_file = str(tmp_path / 'pool.pth')
    first.save(pool_file)
    icl_pool_module._LOADED.clear()
    with pytest.raises(ValueError, match='other weights'):
        InContextPool.load_or_build(pool_file, model, pipeline)


def test_unreadable_pool_image_is_skipped_and_named(tmp_path, pipeline,
                                                    monkeypatch):
    names = NAMES[:2]
    ann = _pool_json(tmp_path, names)
    data = json.loads(open(ann).read())
    (tmp_path / 'broken.jpg').write_bytes(b'not an image')
    data['data_list'].append(
        dict(img_path='broken.jpg', instances=[dict(text='x')]))
    open(ann, 'w').write(json.dumps(data))
    logged = []
    monkeypatch.setattr(icl_pool_module, 'print_log',
                        lambda msg, **kw: logged.append(msg))
    pool = InContextPool.build(ann, build_toy(), pipeline)
    assert len(pool) == 2 and pool.skipped == [str(tmp_path / 'broken.jpg')]
    assert any('broken.jpg' in m for m in logged)
    # nothing readable -> a clear error naming the file
    only = tmp_path / 'only_broken.json'
    only.write_text(json.dumps([dict(img_path='broken.jpg', gt_text='x')]))
    with pytest.raises(ValueError, match='only_broken.json.*no readable'):
        InContextPool.build(str(only), build_toy(), pipeline)
