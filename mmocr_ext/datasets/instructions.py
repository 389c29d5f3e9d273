# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR's instruction templates, their predicates and sampling.

InstructOCR (spec B5) trains the spotter with instructions generated from an
image's annotations by 10 templates; only the instances an instruction
selects stay in the target sequence:

== ============================================ ===========================
id template (plain text)                         selects a text ``t`` when
== ============================================ ===========================
0  ``all text``                                 always
1  ``text of more than {n1} characters``        ``len(t) > n1``
2  ``text of less than {n2} characters``        ``len(t) < n2``
3  ``text of {w1,w2,...}``                      ``t`` is one of the words
4  ``text starts with the character '{c}'``     ``t.startswith(c)``
5  ``text ends with the character '{c}'``       ``t.endswith(c)``
6  ``text contains the character '{c}'``        ``c in t``
7  ``text of {L} characters``                   ``len(t) == L``
8  ``text of number``                           ``t.isdigit()``
9  ``text of char``                             ``not t.isdigit()``
== ============================================ ===========================

Decisions (documented, tested in tests/datasets/test_instructions.py):

- **Case**: the predicates are the official, case-sensitive Python string
  tests (``'Stop'`` does not start with ``'s'``), for parity of the training
  targets. The instruction encoder (``bert-base-uncased``) lower-cases its
  input, so the model cannot tell ``'S'`` from ``'s'`` in an instruction;
  that is a property of the official method, kept here.
- **Free-form instructions** (VQA questions, anything that is not one of the
  templates): :func:`parse_instruction` and :func:`select_instances` return
  None (not an error: such instructions are legitimate model inputs, they
  just have no predicate).
- **Parsing ambiguity**: template 3 is ``'text of '`` + words joined by
  ``','``; the more specific templates (1, 2, 7, 8, 9) are matched first, so
  a word list that reads ``number``, ``char`` or ``{int} characters`` parses
  as those templates, and a word containing ``','`` cannot be expressed
  (the official instruction has the same ambiguity for the model). The
  ``keep`` mask that :func:`sample_instruction` returns is computed from the
  sampled words themselves, not from re-parsing the string.
- **Ignored instances** (``ignore`` flag or text ``'###'``): the official
  code drops them before generating instructions, so they are excluded from
  the statistics and never kept by :func:`sample_instruction`;
  :func:`select_instances` works on texts only (pass the valid ones).
"""
import re
from typing import List, Optional, Sequence, Tuple

import numpy as np

#: The 10 templates, index = template id (spec B5).
TEMPLATES = (
    'all text',
    'text of more than {} characters',
    'text of less than {} characters',
    'text of {}',
    "text starts with the character '{}'",
    "text ends with the character '{}'",
    "text contains the character '{}'",
    'text of {} characters',
    'text of number',
    'text of char',
)
ALL_TEXT = TEMPLATES[0]
#: Sampling probabilities over templates 0-7 (images without numbers).
PROBS = (0.3, ) + (0.1, ) * 7
#: Sampling probabilities over templates 0-9 when some text is all digits;
#: they override :data:`PROBS` and the "< 2 instances / equal lengths" rule.
PROBS_WITH_NUMBERS = (0.25, 0.05, 0.05, 0.05, 0.2, 0.2, 0.05, 0.05, 0.05, 0.05)
#: Template 3 samples 1..min(MAX_WORDS, N) words.
MAX_WORDS = 10
#: The text of an ignored ("don't care") instance.
IGNORED_TEXT = '###'
STAGES = ('pretrain', 'instruction')

_PATTERNS = (
    (1, re.compile(r'text of more than (\d+) characters', re.S)),
    (2, re.compile(r'text of less than (\d+) characters', re.S)),
    (4, re.compile(r"text starts with the character '(.)'", re.S)),
    (5, re.compile(r"text ends with the character '(.)'", re.S)),
    (6, re.compile(r"text contains the character '(.)'", re.S)),
    (7, re.compile(r'text of (\d+) characters', re.S)),
    (3, re.compile(r'text of (.+)', re.S)),
)


def parse_instruction(instruction: str) -> Optional[Tuple[int, object]]:
    """Recognise a template instruction.

    Args:
        instruction (str): Plain instruction text, e.g. ``'text of number'``
            (not the ``'<...><a photo of text>'`` wrapped form). Surrounding
            whitespace is ignored.

    Returns:
        tuple[int, object] or None: ``(template_id, argument)``: the argument
        is None (0, 8, 9), an int (1, 2, 7), a one-character str (4, 5, 6) or
        a list of words (3). None for a free-form instruction.
    """
    text = instruction.strip()
    if text == TEMPLATES[0]:
        return 0, None
    if text == TEMPLATES[8]:
        return 8, None
    if text == TEMPLATES[9]:
        return 9, None
    for template_id, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        arg = match.group(1)
        if template_id in (1, 2, 7):
            return template_id, int(arg)
        if template_id == 3:
            return template_id, arg.split(',')
        return template_id, arg
    return None


def template_predicate(template_id: int, arg: object, text: str) -> bool:
    """Whether template ``template_id`` with argument ``arg`` selects
    ``text`` (the official, case-sensitive tests; see the module docstring).
    """
    if template_id == 0:
        return True
    if template_id == 1:
        return len(text) > arg
    if template_id == 2:
        return len(text) < arg
    if template_id == 3:
        return text in arg
    if template_id == 4:
        return text.startswith(arg)
    if template_id == 5:
        return text.endswith(arg)
    if template_id == 6:
        return arg in text
    if template_id == 7:
        return len(text) == arg
    if template_id == 8:
        return text.isdigit()
    if template_id == 9:
        return not text.isdigit()
    raise ValueError(f'unknown template id {template_id} (0-9)')


def select_instances(instruction: str,
                     texts: Sequence[str]) -> Optional[List[bool]]:
    """Which texts a template instruction selects.

    Args:
        instruction (str): Plain instruction text (one of :data:`TEMPLATES`
            filled in).
        texts (Sequence[str]): The instances' transcriptions (N,).

    Returns:
        list[bool] or None: (N,) selection, or None when ``instruction`` is
        free-form (no template predicate).
    """
    parsed = parse_instruction(instruction)
    if parsed is None:
        return None
    template_id, arg = parsed
    return [template_predicate(template_id, arg, t) for t in texts]


def valid_mask(texts: Sequence[str],
               ignored: Optional[Sequence[bool]] = None) -> List[bool]:
    """(N,) True for instances that are neither flagged ignored nor
    ``'###'``."""
    if ignored is not None and len(ignored) != len(texts):
        raise ValueError(f'{len(texts)} texts but {len(ignored)} ignore '
                         'flags')
    return [
        t != IGNORED_TEXT and not (ignored is not None and bool(ignored[i]))
        for i, t in enumerate(texts)
    ]


def _uniform_int(rng: np.random.Generator, low: int, high: int) -> int:
    """Uniform integer in ``[low, high]`` (inclusive)."""
    return int(rng.integers(low, high + 1))


def sample_instruction(
        texts: Sequence[str],
        stage: str = 'instruction',
        rng: Optional[np.random.Generator] = None,
        ignored: Optional[Sequence[bool]] = None) -> Tuple[str, List[bool]]:
    """Draw a training instruction from an image's annotations (spec B5).

    Statistics are computed over the valid instances (:func:`valid_mask`):
    lengths, first/last characters (one per non-empty word, duplicates kept,
    so frequent characters are likelier), the set of all characters and
    ``num_count`` (words that are ``.isdigit()``). Template probabilities:

    - ``stage == 'pretrain'`` or no valid instance: template 0;
    - otherwise, fewer than 2 valid instances or all lengths equal:
      template 0, else :data:`PROBS` over templates 0-7;
    - if ``num_count > 0`` (stage ``'instruction'``):
      :data:`PROBS_WITH_NUMBERS` over 0-9, overriding the rule above.

    Arguments: ``n1`` (template 1) and ``n2`` (template 2) are uniform in
    ``[min+1, max-1]`` when ``max - min >= 2``, else ``n1 = min`` and
    ``n2 = max``; template 3 draws ``k`` uniform in ``1..min(10, N)`` and
    ``k`` distinct instances (their words joined by ``','``); templates
    4/5 draw from the first/last characters, 6 from the sorted set of all
    characters, 7 takes the length of a uniformly drawn word.

    Args:
        texts (Sequence[str]): Transcriptions of the N instances.
        stage (str): ``'pretrain'`` (always ``'all text'``) or
            ``'instruction'`` (templates).
        rng (np.random.Generator, optional): Random source. Defaults to a
            fresh unseeded generator.
        ignored (Sequence[bool], optional): (N,) ignore flags.

    Returns:
        tuple[str, list[bool]]: The plain instruction text and the (N,)
        keep mask (ignored instances are never kept).
    """
    if stage not in STAGES:
        raise ValueError(f'stage must be one of {STAGES}, got {stage!r}')
    if rng is None:
        rng = np.random.default_rng()
    valid = valid_mask(texts, ignored)
    words = [t for t, v in zip(texts, valid) if v]
    if stage == 'pretrain' or not words:
        return ALL_TEXT, valid
    lengths = [len(w) for w in words]
    num_count = sum(w.isdigit() for w in words)
    if num_count > 0:
        probs = PROBS_WITH_NUMBERS
    elif len(words) < 2 or len(set(lengths)) == 1:
        probs = (1.0, )
    else:
        probs = PROBS
    template_id = int(rng.choice(len(probs), p=np.asarray(probs)))
    lo, hi = min(lengths), max(lengths)
    if template_id in (1, 2):
        if hi - lo >= 2:
            arg = _uniform_int(rng, lo + 1, hi - 1)
        else:
            arg = lo if template_id == 1 else hi
    elif template_id == 3:
        k = _uniform_int(rng, 1, min(MAX_WORDS, len(words)))
        chosen = rng.choice(len(words), size=k, replace=False)
        arg = [words[int(i)] for i in chosen]
    elif template_id in (4, 5, 6):
        if template_id == 6:
            pool = sorted(set(''.join(words)))
        else:
            pool = [w[0] if template_id == 4 else w[-1] for w in words if w]
        if not pool:  # every valid word is empty
            template_id, arg = 0, None
        else:
            arg = pool[int(rng.integers(len(pool)))]
    elif template_id == 7:
        arg = lengths[int(rng.integers(len(words)))]
    else:
        arg = None
    if template_id == 3:
        instruction = TEMPLATES[3].format(','.join(arg))
    elif arg is None:
        instruction = TEMPLATES[template_id]
    else:
        instruction = TEMPLATES[template_id].format(arg)
    keep = [
        v and template_predicate(template_id, arg, t)
        for t, v in zip(texts, valid)
    ]
    return instruction, keep
