# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Lexicon: wordfreq vocabulary, filtering, sampling, file loading."""
import numpy as np
import pytest

from mmocr_ext.datasets.synth.lexicon import DEFAULT_CHARSET, Lexicon


@pytest.fixture(scope='module')
def lexicon():
    return Lexicon()


def test_default(lexicon):
    assert len(lexicon) > 10000
    assert len(set(lexicon.words)) == len(lexicon)
    chars = set(DEFAULT_CHARSET)
    for word in lexicon.words:
        assert 2 <= len(word) <= 14 and set(word) <= chars, word
    assert 'the' in lexicon.words[:10]


def _draws(lexicon, seed, n):
    rng = np.random.default_rng(seed)
    return [lexicon.sample(rng) for _ in range(n)]


def test_sample(lexicon):
    tokens = _draws(lexicon, 0, 2000)
    assert tokens == _draws(lexicon, 0, 2000)
    assert tokens != _draws(lexicon, 1, 2000)
    chars = set(DEFAULT_CHARSET)
    assert all(2 <= len(t) <= 14 and set(t) <= chars for t in tokens)
    words = [t for t in tokens if any(c.isalpha() for c in t) and len(t) > 2]
    assert any(t.islower() for t in words)
    assert any(t.isupper() for t in words)
    assert any(t[0].isupper() and t[1:].islower() for t in words)
    numbers = [t for t in tokens if t.strip('%').replace('.', '', 1).isdigit()]
    assert 0.05 < len(numbers) / len(tokens) < 0.17


def test_small_charset():
    lexicon = Lexicon(['abc', 'ABC', 'abd'],
                      charset='abc0123456789',
                      number_prob=0.5)
    assert lexicon.words == ['abc']
    rng = np.random.default_rng(0)
    tokens = {lexicon.sample(rng) for _ in range(200)}
    assert 'abc' in tokens
    assert all(set(t) <= set('abc0123456789') for t in tokens)
    assert any(t.isdigit() for t in tokens)


def test_from_file(tmp_path):
    path = tmp_path / 'words.txt'
    path.write_text('hello\n\n  world \nhello\nx\n', encoding='utf-8')
    lexicon = Lexicon.from_file(str(path), number_prob=0.0)
    assert lexicon.words == ['hello', 'world']
    rng = np.random.default_rng(0)
    assert {lexicon.sample(rng).lower()
            for _ in range(50)} == {'hello', 'world'}


def test_from_file_errors(tmp_path):
    empty = tmp_path / 'empty.txt'
    empty.write_text('\n\n', encoding='utf-8')
    with pytest.raises(ValueError, match='lexicon is empty') as err:
        Lexicon.from_file(str(empty))
    assert str(empty) in str(err.value)
    latin1 = tmp_path / 'latin1.txt'
    latin1.write_bytes('caf\xe9\n'.encode('latin-1'))
    with pytest.raises(ValueError, match='UTF-8') as err:
        Lexicon.from_file(str(latin1))
    assert str(latin1) in str(err.value)
    missing = str(tmp_path / 'missing.txt')
    with pytest.raises(FileNotFoundError, match=missing):
        Lexicon.from_file(missing)


def test_empty():
    with pytest.raises(ValueError, match='lexicon is empty: no words'):
        Lexicon(words=[])
    with pytest.raises(ValueError, match='filtered out'):
        Lexicon(words=['a' * 20, 'b' * 30], max_len=14)
    with pytest.raises(ValueError, match='lexicon is empty'):
        Lexicon(words=['hello'], charset='xyz')
