# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Lexicon correction of the point-spotting protocol (hand-computed)."""
import numpy as np
import pytest

from mmocr_ext.evaluation.functional.errors import EvalInputError
from mmocr_ext.evaluation.functional.point_spotting import (
    SpottingImage, evaluate_point_spotting)
from mmocr_ext.evaluation.functional.point_spotting_lexicon import (Lexicon,
                                                                    LexiconSet,
                                                                    read_pairs)


def write(path, lines):
    path.write_text(''.join(line + '\n' for line in lines), encoding='utf-8')
    return str(path)


def test_match_normalised_distance():
    lex = Lexicon(['Hello', 'World', 'HELP'], {'HELLO': 'Hello!'})
    words, dist = lex.match(['helo', 'wrld', 'xyz', 'HELP'])
    # HELO-HELLO 1/5 (HELP 1/4); WRLD-WORLD 1/5; XYZ is 1.0 from all
    # (first word kept); HELP exact. Words come from the pair list if any.
    assert words == ['Hello!', 'World', 'Hello!', 'HELP']
    np.testing.assert_allclose(dist, [0.2, 0.2, 1.0, 0.0])
    assert Lexicon(['ab', 'ac']).match(['aa'])[0] == ['ab']  # tie: first


def test_threshold_is_inclusive(tmp_path):
    lexicons = LexiconSet('weak', write(tmp_path / 'weak.txt', ['ABCDE']))
    # ABC -> ABCDE: 2 / 5 = 0.4 >= 0.4 dropped; ABCD: 1 / 5 kept
    words, keep = lexicons.apply('img.jpg', ['abc', 'abcd'])
    assert words == ['ABCDE', 'ABCDE'] and keep.tolist() == [False, True]
    assert LexiconSet().apply('img.jpg', ['q'])[0] == ['q']


def test_pair_file(tmp_path):
    pairs = read_pairs(
        write(tmp_path / 'p.txt', ['hello Hello, World', '', 'DONT don\'t']))
    assert pairs == {'HELLO': 'Hello, World', 'DONT': "don't"}
    bad = write(tmp_path / 'bad.txt', ['ok OK', 'lonely'])
    with pytest.raises(EvalInputError, match=r'bad.txt, line 2'):
        read_pairs(bad)


def test_strong_per_image_files(tmp_path):
    write(tmp_path / 'voc_img_1.txt', ['Stop', 'Go'])
    write(tmp_path / 'pair_voc_img_1.txt', ['STOP StOp'])
    lexicons = LexiconSet('strong', str(tmp_path), str(tmp_path))
    words, keep = lexicons.apply('/data/img_1.jpg', ['stp', 'g0'])
    assert words == ['StOp', 'Go'] and keep.tolist() == [True, False]
    with pytest.raises(EvalInputError, match=r'voc_img_2.txt: lexicon file'):
        lexicons.apply('img_2.jpg', ['x'])


def test_errors(tmp_path):
    with pytest.raises(EvalInputError, match='missing.txt: lexicon file not'):
        LexiconSet('generic', str(tmp_path / 'missing.txt'))
    with pytest.raises(EvalInputError, match='no word'):
        LexiconSet('weak', write(tmp_path / 'empty.txt', ['', ' ']))
    with pytest.raises(ValueError, match='lexicon_type'):
        LexiconSet('medium', 'x')
    with pytest.raises(ValueError, match='needs a lexicon'):
        LexiconSet('full')
    with pytest.raises(EvalInputError, match='folder'):
        LexiconSet('strong', write(tmp_path / 'f.txt', ['a']))


def test_lexicon_in_evaluation(tmp_path):
    lexicons = LexiconSet('full', write(tmp_path / 'v.txt', ['Hello', 'Go']))
    img = SpottingImage.build('a.jpg', [[5, 5], [50, 5], [90, 5]],
                              ['helo', 'qqqq', 'x'], [.9, .9, .9],
                              [[0, 0, 10, 0, 10, 10, 0, 10]], ['hello'])
    # helo -> Hello (TP); qqqq (1.0) and x (1.0) dropped, not FPs
    res = evaluate_point_spotting([img], [0.8], lexicons=lexicons)
    best = res['best']
    assert (best['num_tp'], best['num_pred'], best['num_gt']) == (1, 1, 1)
    assert res['num_dropped_by_lexicon'] == 2
    plain = evaluate_point_spotting([img], [0.8])['best']
    assert (plain['num_tp'], plain['num_pred']) == (0, 3)
