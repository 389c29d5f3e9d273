# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STR configs: official hyper-parameters, evaluation set-up, buildable
toy/small models, a clear error for missing local weights."""
import copy
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope

REPO = osp.abspath(osp.join(osp.dirname(__file__), '..', '..'))
E2STR = osp.join(REPO, 'configs', 'textrecog', 'e2str')


def _cfg(name):
    return Config.fromfile(osp.join(E2STR, name))


def test_every_leaf_config_loads_with_word_metrics():
    leaves = [
        p for p in glob.glob(osp.join(E2STR, '*.py'))
        if not osp.basename(p).startswith('_base_')
    ]
    assert len(leaves) >= 5
    for path in leaves:
        cfg = Config.fromfile(path)
        assert cfg.model.type == 'E2STR', path
        assert cfg.test_evaluator.type == 'MultiDatasetsEvaluator', path
        metrics = {m['type'] for m in cfg.test_evaluator.metrics}
        assert metrics == {'WordMetric', 'CharMetric'}, path
        # the pool is read with the test pipeline (from files)
        assert cfg.model.icl_test_cfg.pipeline[0]['type'] == \
            'LoadImageFromFile', path


def test_stage_one_and_two_follow_the_official_recipe():
    s1 = _cfg('e2str_vit-b4_opt-125m_10e_union14m.py')
    assert s1.model.train_mode == 'plain'
    assert s1.optim_wrapper.optimizer.type == 'AdamW'
    assert s1.optim_wrapper.optimizer.lr == 1e-4
    assert s1.optim_wrapper.optimizer.weight_decay == 0.01
    assert s1.train_cfg.max_epochs == 10
    assert s1.train_dataloader.batch_size == 32
    assert len(s1.train_dataloader.dataset.datasets) == 5  # Union14M-L
    assert not any(
        d.get('test_mode') for d in s1.train_dataloader.dataset.datasets)
    assert s1.test_evaluator.dataset_prefixes == [
        'IIIT5K', 'SVT', 'IC13', 'IC15', 'SVTP', 'CUTE80'
    ]
    assert len(s1.test_dataloader.dataset.datasets) == 6
    m = s1.model
    assert (m.vision_encoder.embed_dim, m.vision_encoder.depth,
            m.vision_encoder.patch_size) == (768, 12, 4)
    assert (m.perceiver.depth, m.perceiver.num_latents) == (6, 64)
    assert m.decode_cfg == dict(num_beams=3, max_new_tokens=48)
    assert (m.icl_test_cfg.k, m.icl_test_cfg.candidates) == (2, 20)
    s2 = _cfg('e2str_vit-b4_opt-125m_icl_5e_union14m.py')
    assert s2.model.train_mode == 'icl'
    assert s2.model.icl_train_cfg.max_images == 80
    assert s2.optim_wrapper.optimizer.lr == 5e-6
    assert s2.train_cfg.max_epochs == 5
    assert s2.train_dataloader.batch_size == 60
    types = [t['type'] for t in s2.train_dataloader.dataset.pipeline]
    assert types.index('E2STRICLViews') < types.index('Resize')
    assert types[-1] == 'PackE2STRInputs'


def test_full_size_model_builds_and_needs_local_weights_to_init():
    """The released model builds without weights (OPT-125M sizes from the
    config, the bundled OPT tokenizer); ``init_weights`` (training start)
    names the missing local weights."""
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules()
    cfg = copy.deepcopy(_cfg('e2str_vit-b4_opt-125m_10e_union14m.py').model)
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(cfg)
    assert len(model.tokenizer) == 50267
    assert model.language_model.lm.get_input_embeddings().num_embeddings \
        == 50267
    with pytest.raises(FileNotFoundError, match='data/pretrained'):
        model.init_weights()


@pytest.mark.parametrize('name', [
    'e2str_vit-tiny_opt-tiny_toy.py',
    'e2str_vit-small_opt-small_icl-synth-stage2.py'
])
def test_small_models_build(name):
    from mmocr.registry import MODELS

    from mmocr_ext import register_all_modules
    register_all_modules()
    with DefaultScope.overwrite_default_scope('mmocr'):
        model = MODELS.build(_cfg(name).model)
    n = sum(p.numel() for p in model.parameters())
    assert 1e5 < n < 2e7, n
