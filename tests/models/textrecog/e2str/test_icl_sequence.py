# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""pack_icl_sequence: the image budgets of one stage-2 sequence (spec
A3.2, step 3), with the official < 2 transform views crash fixed."""
import random
from collections import Counter

import pytest

from mmocr_ext.models.textrecog.e2str.icl_sequence import pack_icl_sequence


def kinds(seq):
    return Counter(kind for kind, _ in seq)


@pytest.mark.parametrize('num_orig,num_split,num_tf', [(4, 10, 20), (10, 3, 7),
                                                       (5, 0, 2), (0, 5, 30),
                                                       (8, 8, 8)])
def test_budgets(num_orig, num_split, num_tf):
    rng = random.Random(0)
    split_ids = list(range(100, 100 + num_split))
    tf_ids = list(range(200, 200 + num_tf))
    seen_tf = set()
    for _ in range(100):
        seq = pack_icl_sequence(num_orig, split_ids, tf_ids, rng=rng)
        count = kinds(seq)
        # all originals, exactly once
        assert sorted(i for k, i in seq
                      if k == 'orig') == list(range(num_orig))
        assert count['split'] == min(num_orig, num_split)
        assert 2 <= count['transform'] <= max(2, int(0.3 * num_tf))
        seen_tf.add(count['transform'])
        # drawn without replacement from what exists
        assert len(set(seq)) == len(seq)
        assert {i for k, i in seq if k == 'split'} <= set(split_ids)
        assert {i for k, i in seq if k == 'transform'} <= set(tf_ids)
    # the transform count is random over its whole range
    assert seen_tf == set(range(2, max(2, int(0.3 * num_tf)) + 1))


@pytest.mark.parametrize('num_tf', [0, 1])
def test_fewer_than_two_transform_views(num_tf):
    seq = pack_icl_sequence(
        3, [7, 8], list(range(num_tf)), rng=random.Random(1))
    count = kinds(seq)
    assert (count['orig'], count['split'], count['transform']) == (3, 2,
                                                                   num_tf)
    assert len(seq) == 5 + num_tf


def test_shuffled():
    rng = random.Random(2)
    orders = {
        tuple(pack_icl_sequence(6, range(6), range(10), rng=rng))
        for _ in range(20)
    }
    assert len(orders) > 1
    # the originals are not always first
    assert any(seq[0][0] != 'orig' for seq in orders)


def test_max_images():
    rng = random.Random(3)
    for _ in range(50):
        seq = pack_icl_sequence(60, range(200), range(60), rng=rng)
        # 60 + 60 + U{2..18} > 80: the sequence is cut after the shuffle
        assert len(seq) == 80
        assert len(set(seq)) == 80
    seq = pack_icl_sequence(3, range(3), range(3), max_images=4, rng=rng)
    assert len(seq) == 4
    assert pack_icl_sequence(0, [], []) == []


def test_global_rng_and_bad_arguments():
    random.seed(5)
    a = pack_icl_sequence(5, range(5), range(20))
    random.seed(5)
    assert pack_icl_sequence(5, range(5), range(20)) == a
    with pytest.raises(ValueError, match='num_originals'):
        pack_icl_sequence(-1, [], [])
    with pytest.raises(ValueError, match='max_images'):
        pack_icl_sequence(1, [], [], max_images=0)
