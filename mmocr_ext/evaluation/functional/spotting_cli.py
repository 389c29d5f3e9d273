# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Pieces shared by the offline spotting evaluators
(``tools/eval_spotting.py``, points; ``tools/eval_e2e.py``, polygons): the
lexicon options, the lexicon set they describe, atomic JSON output. Neither
torch nor mmocr is imported.
"""
import argparse
import json
import os
import os.path as osp
import tempfile

from .errors import EvalInputError
from .point_spotting_lexicon import LEXICON_TYPES, LexiconSet


def write_json_atomic(obj, path: str) -> None:
    """Write JSON through a temporary file + ``os.replace`` (no partial
    file on a crash; :mod:`mmocr_ext.compat` would import torch)."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f'.{osp.basename(path)}.', suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            json.dump(obj, f, indent=1)
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def add_lexicon_arguments(parser: argparse.ArgumentParser) -> None:
    """``--lexicon-type``, ``--lexicon``, ``--pairs``, ``--strong-dir``,
    ``--strong-template``, ``--strong-pair-template``,
    ``--lexicon-dist-thr`` (the InstructOCR point metric's options)."""
    parser.add_argument(
        '--lexicon-type',
        default=None,
        choices=[t for t in LEXICON_TYPES if t is not None])
    parser.add_argument(
        '--lexicon', help='lexicon file (generic/weak/full) or folder')
    parser.add_argument('--pairs', help='pair file or folder (optional)')
    parser.add_argument(
        '--strong-dir',
        help='folder of per-image lexicons (strong; same as --lexicon)')
    parser.add_argument(
        '--strong-template',
        default='voc_{stem}.txt',
        help='per-image lexicon name, {stem} = image name without extension')
    parser.add_argument(
        '--strong-pair-template',
        default='pair_voc_{stem}.txt',
        help='per-image pair file name (in --pairs)')
    parser.add_argument('--lexicon-dist-thr', type=float, default=0.4)


def lexicons_from_args(args: argparse.Namespace) -> LexiconSet:
    """The :class:`LexiconSet` of the options of
    :func:`add_lexicon_arguments`.

    Raises:
        EvalInputError: A lexicon type without ``--lexicon``.
    """
    lexicon = args.lexicon or args.strong_dir
    if args.lexicon_type is not None and lexicon is None:
        raise EvalInputError(
            '--lexicon', f'--lexicon-type {args.lexicon_type} needs '
            '--lexicon (or --strong-dir)')
    return LexiconSet(args.lexicon_type, lexicon, args.pairs,
                      args.strong_template, args.strong_pair_template,
                      args.lexicon_dist_thr)
