# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Words to render on synthetic scene-text images.

:class:`Lexicon` holds a filtered word list and samples words with a random
case (lower / Title / UPPER) and, now and then, number-like tokens such as
``24``, ``3.50`` or ``10%``.

The default vocabulary comes from `wordfreq
<https://github.com/rspeer/wordfreq>`_ (``top_n_list``): it is maintained,
its data ship inside the wheel (works offline, no download at run time) and
its lists are ranked by frequency across many sources, so the common words
that dominate real signs and notices are the ones kept. wordfreq collapses
multi-digit numbers into zeros (``1990`` -> ``0000``); its tokens holding a
``0`` are such artefacts and are dropped (numbers come from
:meth:`Lexicon.sample` instead).
"""
import string
from typing import List, Optional, Sequence, Tuple

import numpy as np

DEFAULT_CHARSET = string.ascii_letters + string.digits + "'&-.!?:%"


class Lexicon:
    """A word list to sample (randomly cased) words and numbers from.

    Args:
        words (Sequence[str] | None): The words; None takes the ``top_n``
            most frequent words of ``lang`` from wordfreq. Defaults to None.
        lang (str): wordfreq language code. Defaults to 'en'.
        top_n (int): How many wordfreq words to take. Defaults to 30000.
        min_len (int): Shortest word kept (characters). Defaults to 2.
        max_len (int): Longest word kept (characters). Defaults to 14.
        charset (str | None): Allowed characters; words with any other
            character are dropped. None means ASCII letters, digits and
            ``'&-.!?:%``. Defaults to None.
        case_probs (tuple[float, float, float]): Relative probabilities of
            lower case, Title case and UPPER case. Defaults to
            (0.5, 0.25, 0.25).
        number_prob (float): Probability that :meth:`sample` returns a
            number-like token. Defaults to 0.1.

    Attributes:
        words (list[str]): The filtered words, deduplicated, in input order.

    Raises:
        ValueError: Bad arguments, or no word left after filtering.
    """

    def __init__(self,
                 words: Optional[Sequence[str]] = None,
                 lang: str = 'en',
                 top_n: int = 30000,
                 min_len: int = 2,
                 max_len: int = 14,
                 charset: Optional[str] = None,
                 case_probs: Tuple[float, float, float] = (0.5, 0.25, 0.25),
                 number_prob: float = 0.1) -> None:
        if not 1 <= min_len <= max_len:
            raise ValueError('need 1 <= min_len <= max_len, got '
                             f'min_len={min_len}, max_len={max_len}')
        probs = np.asarray(case_probs, dtype=np.float64)
        if (probs.shape != (3, ) or not np.all(np.isfinite(probs))
                or np.any(probs < 0) or probs.sum() <= 0):
            raise ValueError('case_probs must be 3 non-negative numbers '
                             f'with a positive sum, got {case_probs}')
        if not 0.0 <= number_prob <= 1.0:
            raise ValueError(
                f'number_prob must be in [0, 1], got {number_prob}')
        self.min_len = min_len
        self.max_len = max_len
        self.charset = DEFAULT_CHARSET if charset is None else charset
        self.case_probs = probs / probs.sum()
        self.number_prob = float(number_prob)
        chars = frozenset(self.charset)
        self._chars = chars
        self._digits = ''.join(d for d in string.digits if d in chars)

        source = 'words'
        if words is None:
            if top_n < 1:
                raise ValueError(f'top_n must be >= 1, got {top_n}')
            import wordfreq
            source = f'wordfreq top_n_list({lang!r}, {top_n})'
            words = [
                w for w in wordfreq.top_n_list(lang, top_n) if '0' not in w
            ]
        if isinstance(words, str):
            raise TypeError('words must be a sequence of words, not a str')
        self.words: List[str] = list(
            dict.fromkeys(w for w in words if self._fits(w)))
        if not self.words:
            why = (f'no words given ({source})' if len(words) == 0 else
                   f'all {len(words)} words of {source} were filtered out '
                   f'(kept: length in [{min_len}, {max_len}] and every '
                   f'character in charset {self.charset!r})')
            raise ValueError(f'lexicon is empty: {why}')

    @classmethod
    def from_file(cls, path: str, **kwargs) -> 'Lexicon':
        """A lexicon read from a UTF-8 file with one word per line.

        Surrounding whitespace is stripped, blank lines are ignored.

        Args:
            path (str): The word file.
            **kwargs: Other arguments of :class:`Lexicon` (not ``words``).

        Raises:
            FileNotFoundError: ``path`` does not exist.
            ValueError: ``path`` cannot be read or decoded as UTF-8, or no
                word is left.
        """
        try:
            with open(path, encoding='utf-8-sig') as f:
                lines = f.read().splitlines()
        except FileNotFoundError as err:
            raise FileNotFoundError(f'{path}: lexicon file not found') from err
        except UnicodeDecodeError as err:
            raise ValueError(f'{path}: lexicon file is not UTF-8: {err}')
        except OSError as err:
            raise ValueError(f'{path}: cannot read lexicon file: {err}')
        words = [w.strip() for w in lines if w.strip()]
        try:
            return cls(words=words, **kwargs)
        except ValueError as err:
            raise ValueError(f'{path}: {err}') from err

    def __len__(self) -> int:
        return len(self.words)

    def __repr__(self) -> str:
        return f'{type(self).__name__}({len(self)} words)'

    def _fits(self, text: str) -> bool:
        """Whether ``text`` has an allowed length and allowed characters."""
        return (self.min_len <= len(text) <= self.max_len
                and self._chars.issuperset(text))

    def sample(self, rng: np.random.Generator) -> str:
        """A random word (random case) or, sometimes, a number.

        Args:
            rng (np.random.Generator): Source of randomness.

        Returns:
            str: A token of length in ``[min_len, max_len]`` made of
            ``charset`` characters.
        """
        if rng.random() < self.number_prob and self._digits:
            return self._number(rng)
        word = self.words[int(rng.integers(len(self.words)))]
        case = int(rng.choice(3, p=self.case_probs))
        if case == 1:
            cased = word[:1].upper() + word[1:]
        elif case == 2:
            cased = word.upper()
        else:
            cased = word.lower()
        # A case change must not leave the charset (e.g. charset of
        # lower-case letters only) nor the length bounds.
        return cased if self._fits(cased) else word

    def _number(self, rng: np.random.Generator) -> str:
        """A number-like token: ``24``, ``2026``, ``3.50``, ``10%``, ``$5``.

        Args:
            rng (np.random.Generator): Source of randomness.

        Returns:
            str: Digits of ``charset``, with a decimal part, ``%`` or ``$``
            only when those characters are in ``charset``; its length is in
            ``[min_len, max_len]``.
        """
        digits = self._digits
        lo = self.min_len
        hi = max(lo, min(4, self.max_len))
        n = int(rng.integers(lo, hi + 1))
        # no leading zero if another digit is available
        first = digits.replace('0', '') or digits
        token = first[int(rng.integers(len(first)))] + ''.join(
            digits[i] for i in rng.integers(len(digits), size=n - 1))
        extras = rng.random(3)
        room = self.max_len - len(token)
        if extras[0] < 0.25 and '.' in self._chars and n >= 2 and room:
            cut = max(1, n - 2)
            token = token[:cut] + '.' + token[cut:]
            room -= 1
        if extras[1] < 0.15 and '%' in self._chars and room:
            token += '%'
        elif extras[2] < 0.15 and '$' in self._chars and room:
            token = '$' + token
        return token
