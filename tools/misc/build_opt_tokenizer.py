# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Write an OPT-125M tokenizer directory (E2STR's text tokenizer) offline.

From GPT-2's byte-level BPE files and fairseq's GPT-2 ``dict.txt`` (see
``../shared/data/tokenizers/SOURCE.txt``); the result loads with
``mmocr_ext.models.textrecog.e2str.e2str_tokenizer.build_e2str_tokenizer``.

    python tools/misc/build_opt_tokenizer.py data/tokenizers/opt-125m
"""
import argparse
import os.path as osp

from mmocr_ext.models.textrecog.e2str.e2str_tokenizer import (
    build_e2str_tokenizer, build_opt_tokenizer_dir)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SHARED = osp.join(osp.dirname(REPO), 'shared', 'data', 'tokenizers')


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out_dir', help='tokenizer directory to write')
    parser.add_argument(
        '--encoder-json',
        default=osp.join(SHARED, 'gpt2_bpe', 'encoder.json'),
        help="GPT-2's encoder.json (default: %(default)s)")
    parser.add_argument(
        '--vocab-bpe',
        default=osp.join(SHARED, 'gpt2_bpe', 'vocab.bpe'),
        help="GPT-2's vocab.bpe, OPT's merges.txt (default: %(default)s)")
    parser.add_argument(
        '--fairseq-dict',
        default=osp.join(SHARED, 'fairseq_gpt2_dict', 'dict.txt'),
        help="fairseq's GPT-2 dict.txt (default: %(default)s)")
    args = parser.parse_args(argv)
    out = build_opt_tokenizer_dir(args.out_dir, args.encoder_json,
                                  args.vocab_bpe, args.fairseq_dict)
    tokenizer = build_e2str_tokenizer(out)
    ids = tokenizer('Hello').input_ids
    if ids != [2, 31414]:
        raise SystemExit(f"error: 'Hello' -> {ids}, OPT gives [2, 31414]")
    print(f'wrote {out} (vocabulary {len(tokenizer) - 2} + 2 E2STR tokens; '
          f"'Hello' -> {ids})")


if __name__ == '__main__':
    main()
