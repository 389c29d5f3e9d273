# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""A pool of TrueType/OpenType fonts with exact per-character coverage.

:class:`FontPool` collects fonts from user folders and, by default, the
TrueType fonts matplotlib ships (DejaVu, STIX, Computer Modern). For every
font it precomputes, with fontTools, the set of code points that map to a
real glyph, so that :meth:`FontPool.covers` and :meth:`FontPool.choose` never
pick a font that would render a word as tofu boxes. Fonts that do not cover
``required_chars`` (symbol fonts) are dropped, with a logged reason.

A symbol font can map ASCII code points to glyphs of other symbols (e.g.
matplotlib's ``cmex10`` maps ``A`` to ``parenrightbt``); an ASCII letter or
digit whose glyph name names another character therefore does not count as
covered.

``include`` and ``exclude`` (:mod:`fnmatch` patterns on the font file name,
e.g. ``'DejaVuSans*.ttf'``) pick a subset of the fonts found, e.g. one family
for training and another, held out, for testing.
"""
import fnmatch
import importlib.util
import logging
import re
import string
from collections import OrderedDict
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple, Union

import numpy as np
from fontTools.ttLib import TTFont
from mmengine.logging import print_log
from PIL import ImageFont

FONT_SUFFIXES = ('.ttf', '.otf', '.ttc')
# Fonts that map every code point to a placeholder box.
EXCLUDED_NAMES = ('LastResortHE', )
_DIGIT_NAMES = ('zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven',
                'eight', 'nine')
# Glyph names that carry no meaning (no post names, CID-keyed fonts).
_GENERIC_NAME = re.compile(r'^(glyph|gid|cid|index|g)\d+$')


def bundled_font_dir() -> Path:
    """matplotlib's TrueType folder, found without importing pyplot."""
    spec = importlib.util.find_spec('matplotlib')
    if spec is None or spec.origin is None:
        raise FileNotFoundError('matplotlib is not installed: no bundled '
                                'fonts (pass font_dirs, use_bundled=False)')
    return Path(spec.origin).parent / 'mpl-data' / 'fonts' / 'ttf'


def _name_matches(char: str, glyph: str) -> bool:
    """Whether a glyph name fits an ASCII letter or digit ``char``."""
    base = glyph.split('.')[0]
    code = ord(char)
    if base in (f'uni{code:04X}', f'u{code:04X}') or _GENERIC_NAME.match(base):
        return True
    if char.isdigit():
        return base.startswith(_DIGIT_NAMES[int(char)])
    return base == char


def read_coverage(path: str) -> FrozenSet[int]:
    """Code points that font ``path`` maps to a real glyph.

    A code point counts if it is in the font's best cmap, its glyph is not
    ``.notdef`` and, for ASCII letters and digits, its glyph name does not
    name another character. Collections (``.ttc``) use their first font.

    Raises:
        ValueError: fontTools or PIL cannot read the file.
    """
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
        ImageFont.truetype(path, 16)
    except Exception as err:
        raise ValueError(f'{path}: cannot read font: {err}') from err
    covered = set()
    for code, glyph in cmap.items():
        if glyph == '.notdef':
            continue
        char = chr(code)
        if code < 128 and char.isalnum() and not _name_matches(char, glyph):
            continue
        covered.add(code)
    return frozenset(covered)


def _patterns(value: Union[str, Sequence[str]], name: str) -> List[str]:
    """``'a*'`` or ``['a*', 'b*']`` -> a list of fnmatch patterns."""
    if isinstance(value, (str, Path)):
        return [str(value)]
    patterns = [str(v) for v in value]
    if not all(patterns):
        raise ValueError(f'FontPool: {name} has an empty pattern: {value!r}')
    return patterns


def select_fonts(paths: Sequence[Path], include: Sequence[str],
                 exclude: Sequence[str]) -> List[Path]:
    """The ``paths`` whose file name matches an ``include`` pattern (any
    name if ``include`` is empty) and no ``exclude`` pattern.

    Matching is :func:`fnmatch.fnmatchcase` on the file name (not the
    folder), so ``'DejaVuSans*.ttf'`` picks the DejaVu Sans family.

    Raises:
        ValueError: ``include`` or ``exclude`` is given and no font is
            left; the message names the patterns.
    """
    kept = [
        p for p in paths if (not include or any(
            fnmatch.fnmatchcase(p.name, pat) for pat in include)) and not any(
                fnmatch.fnmatchcase(p.name, pat) for pat in exclude)
    ]
    if not kept and (include or exclude):
        names = sorted({p.name for p in paths})
        raise ValueError(
            f'FontPool: no font file name matches include={list(include)} '
            f'and not exclude={list(exclude)}; {len(names)} font(s) found: '
            f'{", ".join(names[:40])}{" ..." if len(names) > 40 else ""}')
    return kept


def _find_fonts(folder: str) -> List[Path]:
    """Font files under ``folder``, recursively, sorted."""
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f'{folder}: font directory not found')
    return sorted(
        p for p in root.rglob('*')
        if p.is_file() and p.suffix.lower() in FONT_SUFFIXES)


class FontPool:
    """Fonts to render words with, and which characters each one covers.

    Args:
        font_dirs (Sequence[str]): Folders searched recursively for
            ``*.ttf``, ``*.otf`` and ``*.ttc`` files. Defaults to ().
        use_bundled (bool): Also use matplotlib's TrueType fonts (minus
            ``LastResortHE``). Defaults to True.
        required_chars (str): Characters every font must cover; fonts that
            do not are dropped with a logged message. Defaults to ASCII
            letters and digits.
        cache_size (int): Most ``(font, size)`` FreeType objects kept by
            :meth:`get`. Defaults to 256.
        include (str | Sequence[str]): fnmatch patterns on the font file
            name (e.g. ``'DejaVuSans*.ttf'``); if given, only fonts matching
            one of them are used. Applied before the coverage check.
            Defaults to () (every font).
        exclude (str | Sequence[str]): fnmatch patterns on the font file
            name; fonts matching one are not used. Defaults to ().

    Attributes:
        fonts (list[str]): Absolute font paths, sorted, duplicates
            removed.

    Raises:
        FileNotFoundError: A folder of ``font_dirs`` does not exist.
        ValueError: A font file cannot be read, no font matches
            ``include``/``exclude`` (the patterns are named), or no font is
            left.
    """

    def __init__(
        self,
        font_dirs: Sequence[str] = (),
        use_bundled: bool = True,
        required_chars: str = string.ascii_letters + string.digits,
        cache_size: int = 256,
        include: Union[str, Sequence[str]] = (),
        exclude: Union[str, Sequence[str]] = ()
    ) -> None:
        if isinstance(font_dirs, (str, Path)):
            font_dirs = [str(font_dirs)]
        if cache_size < 1:
            raise ValueError(f'cache_size must be >= 1, got {cache_size}')
        self.cache_size = cache_size
        required = frozenset(map(ord, required_chars))
        searched: List[str] = []
        candidates: List[Path] = []
        if use_bundled:
            bundled = bundled_font_dir()
            searched.append(str(bundled))
            found = sorted(bundled.glob('*.ttf'))
            named = [p for p in found if not p.name.startswith(EXCLUDED_NAMES)]
            if len(named) < len(found):
                print_log(
                    f'FontPool: {len(found) - len(named)} bundled font(s) '
                    f'excluded by name ({", ".join(EXCLUDED_NAMES)}: '
                    'placeholder glyphs for every code point)',
                    logger='current',
                    level=logging.DEBUG)
            candidates += named
        for folder in font_dirs:
            searched.append(str(folder))
            candidates += _find_fonts(str(folder))
        self.include = _patterns(include, 'include')
        self.exclude = _patterns(exclude, 'exclude')
        candidates = select_fonts(candidates, self.include, self.exclude)

        self.fonts: List[str] = []
        self._coverage: List[FrozenSet[int]] = []
        lacking: List[Tuple[str, str]] = []
        mine: List[Tuple[str, str]] = []  # from font_dirs: worth a warning
        bundled_root = str(bundled_font_dir().resolve())
        for path in sorted({str(p.resolve()) for p in candidates}):
            coverage = read_coverage(path)
            missing = required - coverage
            if missing:
                shown = ''.join(sorted(map(chr, missing)))[:20]
                own = not path.startswith(bundled_root)
                (mine if own else lacking).append((path, shown))
                continue
            self.fonts.append(path)
            self._coverage.append(coverage)
        # matplotlib's symbol fonts are expected to go (DEBUG); a font the
        # user gave that cannot be used is said at WARNING, with its path.
        for fonts, level in ((lacking, logging.DEBUG), (mine,
                                                        logging.WARNING)):
            if fonts:
                print_log(
                    f'FontPool: {len(fonts)} font(s) excluded, not covering '
                    'required_chars (font: missing chars): ' +
                    ', '.join(f'{name}: {chars!r}' for name, chars in fonts),
                    logger='current',
                    level=level)
        if not self.fonts:
            chosen = (f'; file names matching include={self.include}, '
                      f'exclude={self.exclude}'
                      if self.include or self.exclude else '')
            raise ValueError(
                'FontPool: no usable font left (each must cover '
                f'required_chars {required_chars!r}); searched: '
                f'{searched or "nothing (no font_dirs, use_bundled=False)"}'
                f'{chosen}')
        self._cache: 'OrderedDict[Tuple[int, int], ImageFont.FreeTypeFont]'
        self._cache = OrderedDict()

    def __len__(self) -> int:
        return len(self.fonts)

    def __repr__(self) -> str:
        return f'{type(self).__name__}({len(self)} fonts)'

    def covers(self, index: int, text: str) -> bool:
        """Whether every character of ``text`` has a glyph in a font.

        Args:
            index (int): Font index into :attr:`fonts`.
            text (str): Non-empty text.

        Returns:
            bool: True if font ``index`` covers all characters of ``text``.
        """
        if not text:
            raise ValueError('covers: text must not be empty')
        return self._coverage[index].issuperset(map(ord, text))

    def get(self, index: int, size: int) -> ImageFont.FreeTypeFont:
        """The PIL font ``index`` at pixel ``size`` (LRU-cached).

        Args:
            index (int): Font index into :attr:`fonts`.
            size (int): Font size in pixels (em size), >= 1.

        Returns:
            PIL.ImageFont.FreeTypeFont: The loaded font.
        """
        size = int(size)
        if size < 1:
            raise ValueError(f'font size must be >= 1, got {size}')
        key = (int(index), size)
        font = self._cache.get(key)
        if font is not None:
            self._cache.move_to_end(key)
            return font
        font = ImageFont.truetype(self.fonts[index], size)
        self._cache[key] = font
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return font

    def choose(self, rng: np.random.Generator, text: str) -> Optional[int]:
        """A uniformly random font index among those covering ``text``.

        Args:
            rng (np.random.Generator): Source of randomness.
            text (str): Non-empty text.

        Returns:
            int | None: A font index, or None if no font covers ``text``.
        """
        if not text:
            raise ValueError('choose: text must not be empty')
        codes = [ord(c) for c in text]
        fits = [
            i for i, cov in enumerate(self._coverage) if cov.issuperset(codes)
        ]
        if not fits:
            return None
        return fits[int(rng.integers(len(fits)))]

    def __getstate__(self) -> Dict:
        state = self.__dict__.copy()
        state['_cache'] = None  # FreeType objects cannot be pickled
        return state

    def __setstate__(self, state: Dict) -> None:
        self.__dict__.update(state)
        self._cache = OrderedDict()
