# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""``tools/infer.py --rec``: word crops recognised by E2STR, with a pool."""
import glob
import importlib.util
import json
import os
import os.path as osp
from types import SimpleNamespace

import pytest
from test_build_icl_pool import (E2STR_TOY, WORD_CROPS, pool_json,
                                 save_random_e2str)

from conftest import REPO

SCRIPT = osp.join(REPO, 'tools', 'infer.py')
CROPS = [
    osp.join(WORD_CROPS, 'clovaai_demo', 'demo_1.png'),
    osp.join(WORD_CROPS, 'clovaai_demo', 'demo_2.jpg'),
    osp.join(WORD_CROPS, 'mmocr_toy', '1036169.jpg'),
]


def load_script():
    """Import the script as a module (its ``main`` takes an argv list)."""
    spec = importlib.util.spec_from_file_location('infer_rec_tool', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def e2str_ckpt(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('e2str_rec')
    return save_random_e2str(str(tmp / 'random.pth'), 0)


def _rec(tool, ckpt, out, *extra):
    tool.main([
        *CROPS, '--rec', E2STR_TOY, '--rec-weights', ckpt, '--out-dir',
        str(out), '--device', 'cpu', '--batch-size', '2', *extra
    ])


def _preds(out):
    preds = {}
    for name in sorted(os.listdir(out / 'preds')):
        with open(out / 'preds' / name) as f:
            preds[name] = json.load(f)
    return preds


def test_rec_crops_one_json_each(e2str_ckpt, tmp_path, capsys):
    tool = load_script()
    _rec(tool, e2str_ckpt, tmp_path / 'out')
    preds = _preds(tmp_path / 'out')
    names = sorted(osp.splitext(osp.basename(c))[0] for c in CROPS)
    assert sorted(preds) == [f'{n}.json' for n in names]
    for pred in preds.values():
        assert set(pred) == {'text', 'scores'}  # mmocr's TextRecInferencer
        assert isinstance(pred['text'], str)
        assert 0 <= pred['scores'] <= 1
    assert sorted(os.listdir(tmp_path / 'out' /
                             'vis')) == [f'{n}.jpg' for n in names]
    assert '3 images: 3 written' in capsys.readouterr().out


def test_rec_with_pool_uses_it(e2str_ckpt, tmp_path, monkeypatch):
    from mmocr_ext.models.textrecog.e2str.icl_pool import InContextPool
    tool = load_script()
    ann = pool_json(tmp_path, count=4, bad=False)
    queries = []
    retrieve = InContextPool.retrieve

    def spy(self, query, k=2, candidates=20):
        queries.append((len(self), len(query), k))
        return retrieve(self, query, k, candidates)

    monkeypatch.setattr(InContextPool, 'retrieve', spy)
    _rec(tool, e2str_ckpt, tmp_path / 'out', '--pool', ann)
    # The features were cached next to the annotation file...
    cached = glob.glob(str(tmp_path / 'pool.icl_pool.*.pth'))
    assert len(cached) == 1
    # ... and every crop was recognised with 2 demonstrations of 4.
    assert queries == [(4, 2, 2), (4, 1, 2)]
    assert len(_preds(tmp_path / 'out')) == 3
    # The pool file itself works too.
    queries.clear()
    _rec(tool, e2str_ckpt, tmp_path / 'out2', '--pool', cached[0])
    assert queries == [(4, 2, 2), (4, 1, 2)]


def test_inferencer_pipeline_does_not_leak_into_pool(e2str_ckpt, tmp_path):
    from mmocr.apis import TextRecInferencer

    from mmocr_ext.apis import recognizer_model, set_recognizer_pool
    inferencer = TextRecInferencer(
        model=E2STR_TOY, weights=e2str_ckpt, device='cpu')
    loaders = [
        t['type'] for t in inferencer.cfg.test_dataloader.dataset.pipeline
    ][:1]
    assert loaders == ['InferencerLoader']  # the inferencer's own
    model = recognizer_model(inferencer)
    pool = set_recognizer_pool(inferencer,
                               pool_json(tmp_path, count=2, bad=False))
    assert len(pool) == 2 and model.get_pool() is pool
    types = [t['type'] for t in model.icl_test_cfg['pipeline']]
    assert types == [
        'LoadImageFromFile', 'Resize', 'LoadOCRAnnotations',
        'PackTextRecogInputs'
    ]
    result = inferencer(CROPS[:1], progress_bar=False)['predictions']
    assert set(result[0]) == {'text', 'scores'}
    # MMOCRInferencer: the pool goes to its textrec_inferencer's model.
    e2e = SimpleNamespace(mode='det_rec', textrec_inferencer=inferencer)
    assert recognizer_model(e2e) is model
    assert set_recognizer_pool(e2e, None) is None and model.get_pool() is None
    with pytest.raises(ValueError, match='no text recognizer'):
        recognizer_model(SimpleNamespace(mode='det'))
    with pytest.raises(FileNotFoundError, match='nothing.json'):
        set_recognizer_pool(inferencer, str(tmp_path / 'nothing.json'))


def test_pool_errors_exit_2(e2str_ckpt, tmp_path, capsys):
    import mmocr
    tool = load_script()
    ann = pool_json(tmp_path, count=2, bad=False)
    with pytest.raises(SystemExit):
        tool.parse_args([CROPS[0], '--det', 'x.py', '--pool', ann])
    assert '--pool needs --rec' in capsys.readouterr().err

    crnn = osp.join(
        osp.dirname(mmocr.__file__), '.mim', 'configs', 'textrecog', 'crnn',
        'crnn_mini-vgg_5e_toy.py')
    empty = tmp_path / 'empty.json'
    empty.write_text('{"data_list": []}')
    cases = [
        ([
            E2STR_TOY, '--rec-weights', e2str_ckpt, '--pool',
            str(tmp_path / 'no.json')
        ], 'no.json does not exist'),
        ([E2STR_TOY, '--rec-weights', e2str_ckpt, '--pool',
          str(empty)], 'the in-context pool is empty'),
    ]
    if osp.isfile(crnn):  # a recognizer without in-context pool
        cases.append(([crnn, '--pool', ann], 'has no in-context pool'))
    for rec, message in cases:
        with pytest.raises(SystemExit) as exc:
            tool.main([
                CROPS[0], '--rec', *rec, '--out-dir',
                str(tmp_path / 'out'), '--device', 'cpu'
            ])
        assert exc.value.code == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err[-1].startswith('error: --pool ') and message in err[-1]
    assert not (tmp_path / 'out').exists()
