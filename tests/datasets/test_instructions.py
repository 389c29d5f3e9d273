# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR's instruction templates, predicates and sampling (spec B5)."""
from collections import Counter

import numpy as np
import pytest

from mmocr_ext.datasets.instructions import (ALL_TEXT, PROBS,
                                             PROBS_WITH_NUMBERS, TEMPLATES,
                                             parse_instruction,
                                             sample_instruction,
                                             select_instances)

TEXTS = ['STOP', 'Exit', '2024', 'a', 'Sale', 'go', 'EXIT', '12ab']


@pytest.mark.parametrize('instruction, expected', [
    ('all text', [1, 1, 1, 1, 1, 1, 1, 1]),
    ('text of more than 3 characters', [1, 1, 1, 0, 1, 0, 1, 1]),
    ('text of less than 3 characters', [0, 0, 0, 1, 0, 1, 0, 0]),
    ('text of STOP,EXIT', [1, 0, 0, 0, 0, 0, 1, 0]),
    ("text starts with the character 'S'", [1, 0, 0, 0, 1, 0, 0, 0]),
    ("text ends with the character 'T'", [0, 0, 0, 0, 0, 0, 1, 0]),
    ("text contains the character 'a'", [0, 0, 0, 1, 1, 0, 0, 1]),
    ('text of 2 characters', [0, 0, 0, 0, 0, 1, 0, 0]),
    ('text of number', [0, 0, 1, 0, 0, 0, 0, 0]),
    ('text of char', [1, 1, 0, 1, 1, 1, 1, 1]),
])
def test_select_each_template(instruction, expected):
    assert select_instances(instruction, TEXTS) == [bool(e) for e in expected]


def test_case_sensitive_and_special_chars():
    # official predicates: case-sensitive ('Exit' is not 'EXIT', 's' != 'S')
    assert select_instances("text starts with the character 's'",
                            TEXTS) == [False] * 8
    assert select_instances('text of Exit', TEXTS) == [
        False, True, False, False, False, False, False, False
    ]
    assert select_instances("text contains the character '''",
                            ["don't", 'do']) == [True, False]
    assert select_instances("text ends with the character ' '",
                            ['a ', 'a']) == [True, False]
    assert parse_instruction("  text of 3 characters\n") == (7, 3)


def test_parse_and_free_form():
    assert parse_instruction('all text') == (0, None)
    assert parse_instruction('text of more than 12 characters') == (1, 12)
    assert parse_instruction('text of a,b,c') == (3, ['a', 'b', 'c'])
    assert parse_instruction("text ends with the character 'x'") == (5, 'x')
    assert parse_instruction('text of number') == (8, None)
    assert parse_instruction('text of char') == (9, None)
    for free in ('what is the price?', 'All text', 'text of ',
                 "text starts with the character 'ab'", ''):
        assert parse_instruction(free) is None
        assert select_instances(free, TEXTS) is None
    assert select_instances('all text', []) == []


def test_sample_pretrain_and_trivial_cases():
    rng = np.random.default_rng(0)
    assert sample_instruction(['abc', 'de'], 'pretrain',
                              rng) == (ALL_TEXT, [True, True])
    # ignored / '###' never kept, even for 'all text'
    assert sample_instruction(['abc', '###', 'x'], 'pretrain', rng,
                              [False, False, True]) == (ALL_TEXT,
                                                        [True, False, False])
    assert sample_instruction([], 'instruction', rng) == (ALL_TEXT, [])
    assert sample_instruction(['###'], 'instruction',
                              rng) == (ALL_TEXT, [False])
    for _ in range(50):  # < 2 instances or equal lengths: always template 0
        assert sample_instruction(['abc'], 'instruction', rng)[0] == ALL_TEXT
        assert sample_instruction(['abc', 'xyz', '###'], 'instruction',
                                  rng) == (ALL_TEXT, [True, True, False])
    with pytest.raises(ValueError, match='stage'):
        sample_instruction(['a'], 'test', rng)


def _template_id(instruction):
    return parse_instruction(instruction)[0]


def test_sampling_frequencies_without_numbers():
    rng = np.random.default_rng(123)
    texts = ['STOP', 'Exit', 'a', 'Sale', 'go', 'shopping']
    n = 6000
    counts = Counter(
        _template_id(sample_instruction(texts, 'instruction', rng)[0])
        for _ in range(n))
    assert set(counts) <= set(range(8))
    for tid, p in enumerate(PROBS):
        # 4 sigma of a binomial proportion
        assert abs(counts[tid] / n - p) < 4 * np.sqrt(p * (1 - p) / n), tid


def test_sampling_frequencies_with_numbers():
    rng = np.random.default_rng(7)
    # all lengths equal, yet a number overrides the 'all text' rule
    texts = ['1234', 'ABCD', 'Wxyz']
    n = 8000
    ids = [
        _template_id(sample_instruction(texts, 'instruction', rng)[0])
        for _ in range(n)
    ]
    counts = Counter(ids)
    # a word of template 3 could parse as another template: not here
    for tid, p in enumerate(PROBS_WITH_NUMBERS):
        assert abs(counts[tid] / n - p) < 4 * np.sqrt(p * (1 - p) / n), tid


def test_sampled_keep_matches_predicates():
    rng = np.random.default_rng(3)
    texts = ['STOP', '###', 'Exit', '2024', 'a', 'Sale', 'go', 'EXIT', '12ab']
    ignored = [False, True] + [False] * 7
    seen = set()
    for _ in range(600):
        instruction, keep = sample_instruction(texts, 'instruction', rng,
                                               ignored)
        tid, arg = parse_instruction(instruction)
        seen.add(tid)
        assert keep[1] is False
        expected = select_instances(instruction, texts)
        expected[1] = False
        assert keep == expected, instruction
        if tid == 3:
            valid = [t for t in texts if t != '###']
            assert 1 <= len(arg) <= min(10, len(valid))
            assert len(set(arg)) == len(arg) and set(arg) <= set(valid)
        if tid in (4, 5):
            index = 0 if tid == 4 else -1
            assert arg in {t[index] for t in texts if t != '###'}
        if tid == 6:
            assert arg in set(''.join(t for t in texts if t != '###'))
        if tid == 7:
            assert arg in {len(t) for t in texts if t != '###'}
    assert seen == set(range(10))


def test_n1_n2_rule():
    rng = np.random.default_rng(11)
    # lengths 1..6: n1, n2 uniform in [2, 5]
    texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff']
    n1s, n2s = Counter(), Counter()
    for _ in range(3000):
        instruction, keep = sample_instruction(texts, 'instruction', rng)
        tid, arg = parse_instruction(instruction)
        if tid == 1:
            n1s[arg] += 1
            assert keep == [len(t) > arg for t in texts]
        elif tid == 2:
            n2s[arg] += 1
            assert keep == [len(t) < arg for t in texts]
    assert set(n1s) == set(n2s) == {2, 3, 4, 5}
    # max - min < 2: n1 = min, n2 = max (lengths 3 and 4)
    for _ in range(300):
        instruction, _ = sample_instruction(['abc', 'abcd'], 'instruction',
                                            rng)
        if instruction.startswith('text of more than'):
            assert instruction == TEMPLATES[1].format(3)
        if instruction.startswith('text of less than'):
            assert instruction == TEMPLATES[2].format(4)


def test_sampling_is_reproducible():
    texts = ['STOP', 'Exit', '2024', 'a', 'Sale']
    a = [
        sample_instruction(texts, 'instruction', np.random.default_rng(5))
        for _ in range(3)
    ]
    assert a[0] == a[1] == a[2]
