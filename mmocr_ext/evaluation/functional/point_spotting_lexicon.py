# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Lexicons of the point-based end-to-end spotting protocol (SPTS).

With a lexicon, every predicted word is replaced by the lexicon word at the
smallest *normalised* Levenshtein distance, computed on upper-cased strings
(as mmocr ``projects/SPTS`` ``match_word``)::

    norm_dist(a, b) = levenshtein(a, b) / max(len(a), len(b))   (0 if both
                                                                 are empty)

(``rapidfuzz.distance.Levenshtein.normalized_distance``, unit weights). Ties
go to the first word of the file. A prediction whose best distance is
``>= dist_thr`` (0.4 in mmocr's SPTS configs, there called
``match_dist_thr``) is dropped: counted neither as a true nor as a false
positive. If a pair list is given, the chosen word is written as the pair
list's original form (a missing entry keeps the lexicon word).

File formats (UTF-8; blank lines skipped; surrounding spaces stripped):

* lexicon: one word per line;
* pairs: ``KEY ORIGINAL`` per line, split at the first space; ``KEY`` is
  matched case-insensitively to the lexicon word, ``ORIGINAL`` (the rest of
  the line, may contain spaces) is the word reported.

Lexicon types: ``'generic'`` (the 90k list), ``'weak'`` (one list for the
test set), ``'full'`` (Total-Text's ``weak_voc_new.txt``) take a file;
``'strong'`` takes a folder of per-image lists named by a template such as
``'voc_{stem}.txt'`` (ICDAR's ``voc_img_1.txt`` for ``img_1.jpg``).
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .errors import EvalInputError

LEXICON_TYPES = (None, 'generic', 'weak', 'strong', 'full')


def read_lexicon(path: str) -> List[str]:
    """Read a lexicon file: one word per line.

    Args:
        path (str): The file.

    Returns:
        list[str]: The words, in file order.

    Raises:
        EvalInputError: If the file is missing or has no word.
    """
    if not osp.isfile(path):
        raise EvalInputError(path, 'lexicon file not found')
    with open(path, encoding='utf-8') as f:
        words = [w.strip() for w in f.read().splitlines()]
    words = [w for w in words if w]
    if not words:
        raise EvalInputError(path, 'lexicon file has no word')
    return words


def read_pairs(path: str) -> Dict[str, str]:
    """Read a pair list: ``KEY ORIGINAL`` per line.

    Args:
        path (str): The file.

    Returns:
        dict[str, str]: Upper-cased key -> original word.

    Raises:
        EvalInputError: If the file is missing or a line has no space.
    """
    if not osp.isfile(path):
        raise EvalInputError(path, 'pair file not found')
    pairs = {}
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f.read().splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            key, sep, original = line.partition(' ')
            if not sep or not original.strip():
                raise EvalInputError(path, 'expected "KEY ORIGINAL"', lineno)
            pairs[key.upper()] = original.strip()
    return pairs


class Lexicon:
    """A word list with its upper-cased form and optional pair list.

    Args:
        words (Sequence[str]): The lexicon words.
        pairs (dict[str, str], optional): Upper-cased key -> reported word.
            Defaults to None.
    """

    def __init__(self,
                 words: Sequence[str],
                 pairs: Optional[Dict[str, str]] = None) -> None:
        self.words = list(words)
        self.upper = [w.upper() for w in self.words]
        self.pairs = pairs or {}

    def match(self, texts: Sequence[str]) -> Tuple[List[str], np.ndarray]:
        """Nearest lexicon word of each text.

        Args:
            texts (Sequence[str]): N predicted words.

        Returns:
            tuple(list[str], np.ndarray): The N replacement words and their
            normalised distances, shape (N,) float64.
        """
        if not texts:
            return [], np.zeros(0)
        dist = process.cdist([t.upper() for t in texts],
                             self.upper,
                             scorer=Levenshtein.normalized_distance,
                             dtype=np.float64)
        best = dist.argmin(axis=1)  # first word on ties
        words = [self.pairs.get(self.upper[j], self.words[j]) for j in best]
        return words, dist[np.arange(len(texts)), best]


class LexiconSet:
    """The lexicon(s) of one evaluation setting.

    Args:
        lexicon_type (str, optional): None, 'generic', 'weak', 'strong' or
            'full'.
        lexicon (str, optional): A lexicon file (generic/weak/full) or the
            folder of per-image lexicons (strong). Required unless
            ``lexicon_type`` is None.
        pairs (str, optional): A pair file (generic/weak/full) or the folder
            of per-image pair files (strong). Defaults to None (no pairs).
        strong_template (str): Per-image lexicon file name; ``{stem}`` is the
            image file name without extension. Defaults to 'voc_{stem}.txt'.
        strong_pair_template (str): Per-image pair file name. Defaults to
            'pair_voc_{stem}.txt'.
        dist_thr (float): Drop a prediction whose normalised distance to its
            nearest word is ``>= dist_thr``. Defaults to 0.4.
    """

    def __init__(self,
                 lexicon_type: Optional[str] = None,
                 lexicon: Optional[str] = None,
                 pairs: Optional[str] = None,
                 strong_template: str = 'voc_{stem}.txt',
                 strong_pair_template: str = 'pair_voc_{stem}.txt',
                 dist_thr: float = 0.4) -> None:
        if lexicon_type not in LEXICON_TYPES:
            raise ValueError(f'lexicon_type must be one of {LEXICON_TYPES}, '
                             f'got {lexicon_type!r}')
        self.lexicon_type = lexicon_type
        self.dist_thr = float(dist_thr)
        self.strong_template = strong_template
        self.strong_pair_template = strong_pair_template
        self._cache: Dict[str, Lexicon] = {}
        self._global: Optional[Lexicon] = None
        self.lexicon, self.pairs = lexicon, pairs
        if lexicon_type is None:
            return
        if lexicon is None:
            raise ValueError(f'lexicon_type={lexicon_type!r} needs a lexicon')
        if lexicon_type == 'strong':
            for folder in (lexicon, pairs):
                if folder is not None and not osp.isdir(folder):
                    raise EvalInputError(
                        folder, 'strong lexicons need a folder of '
                        'per-image files')
        else:
            self._global = Lexicon(
                read_lexicon(lexicon),
                read_pairs(pairs) if pairs is not None else None)

    @property
    def enabled(self) -> bool:
        """Whether predictions are corrected with a lexicon."""
        return self.lexicon_type is not None

    def files_for(self, img_name: str) -> Tuple[str, Optional[str]]:
        """The strong lexicon and pair files of an image.

        Args:
            img_name (str): Image file name (a path is reduced to its base
                name).

        Returns:
            tuple(str, str or None): Lexicon path and pair path.
        """
        stem = osp.splitext(osp.basename(img_name))[0]
        lex = osp.join(self.lexicon, self.strong_template.format(stem=stem))
        pair = None
        if self.pairs is not None:
            pair = osp.join(self.pairs,
                            self.strong_pair_template.format(stem=stem))
        return lex, pair

    def get(self, img_name: str) -> Lexicon:
        """The lexicon used for an image.

        Raises:
            EvalInputError: A missing per-image file, named.
        """
        if self._global is not None:
            return self._global
        if img_name not in self._cache:
            lex, pair = self.files_for(img_name)
            self._cache[img_name] = Lexicon(
                read_lexicon(lex),
                read_pairs(pair) if pair is not None else None)
        return self._cache[img_name]

    def apply(self, img_name: str,
              texts: Sequence[str]) -> Tuple[List[str], np.ndarray]:
        """Correct an image's predicted words.

        Args:
            img_name (str): The image (strong lexicons are per image).
            texts (Sequence[str]): N predicted words.

        Returns:
            tuple(list[str], np.ndarray): The N words (corrected when a
            lexicon is set) and a keep mask of shape (N,) bool (False: the
            distance is ``>= dist_thr``, the prediction is dropped).
        """
        texts = list(texts)
        if not self.enabled or not texts:
            return texts, np.ones(len(texts), dtype=bool)
        words, dist = self.get(img_name).match(texts)
        return words, dist < self.dist_thr
