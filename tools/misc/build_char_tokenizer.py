# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Write a character-level tokenizer directory for E2STR models from scratch.

Ids: 0 ``<pad>``, 1 ``</s>`` (BOS/EOS), 2 ``<unk>``, then one per character.
The characters come from ``--charset`` or ``--dict-file`` (an mmocr
dictionary file, one character per line); by default those of mmocr's
``dicts/english_digits_symbols_space.txt`` (91: 90 + the space).

    python tools/misc/build_char_tokenizer.py work_dirs/tokenizers/char90
    python tools/misc/build_char_tokenizer.py OUT --charset 0123456789
"""
import argparse
import importlib.util
import os.path as osp
from typing import Optional

from mmocr_ext.models.textrecog.e2str.e2str_tokenizer import (
    build_char_tokenizer_dir, build_e2str_tokenizer)

DEFAULT_DICT = 'english_digits_symbols_space.txt'


def mmocr_dict_file(name: str = DEFAULT_DICT) -> str:
    """Path of one of the dictionary files of the installed mmocr package."""
    spec = importlib.util.find_spec('mmocr')  # without importing mmocr
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError('mmocr is not installed (needed for its '
                                f'dicts/{name}); pass --charset or '
                                '--dict-file')
    for root in spec.submodule_search_locations:
        for sub in (('.mim', 'dicts'), ('..', 'dicts')):
            path = osp.join(root, *sub, name)
            if osp.isfile(path):
                return osp.normpath(path)
    raise FileNotFoundError(f'dicts/{name} not found in mmocr '
                            f'({list(spec.submodule_search_locations)})')


def read_dict_file(path: str) -> str:
    """The characters of an mmocr dictionary file, as mmocr reads them.

    One character per line (``\\r\\n``/``\\n`` stripped, a line holding a
    space is the space); empty lines are skipped.
    """
    chars = []
    with open(path, encoding='utf-8') as f:
        for line_no, line in enumerate(f, 1):
            line = line.strip('\r\n')
            if len(line) > 1:
                raise ValueError(f'{path}:{line_no}: {line!r} is not one '
                                 'character')
            if line:
                chars.append(line)
    return ''.join(chars)


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out_dir', help='tokenizer directory to write')
    source = parser.add_mutually_exclusive_group()
    source.add_argument('--charset', help='the characters, as one string')
    source.add_argument(
        '--dict-file',
        help='mmocr dictionary file, one character per line (default: '
        f"mmocr's dicts/{DEFAULT_DICT})")
    args = parser.parse_args(argv)
    if args.charset is not None:
        charset = args.charset
    else:
        charset = read_dict_file(args.dict_file or mmocr_dict_file())
    out = build_char_tokenizer_dir(args.out_dir, charset)
    tokenizer = build_e2str_tokenizer(out)
    n_chars = len(dict.fromkeys(charset))
    print(f'wrote {out} ({n_chars} characters, {len(tokenizer)} tokens with '
          'the specials)')


if __name__ == '__main__':
    main()
