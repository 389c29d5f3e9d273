# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The text tokenizer of E2STR (OPT-125M's, or a character-level one).

E2STR (Zhao et al., CVPR 2024) reads text with OPT-125M through
OpenFlamingo, so its tokenizer is OPT's: GPT-2 byte-level BPE with the
fairseq/RoBERTa ids (``<s>``\\ =0, ``<pad>``\\ =1, ``</s>``\\ =2,
``<unk>``\\ =3, then the GPT-2 tokens in the order of fairseq's
``dict.txt``), 50265 entries, every text starting with ``</s>`` (OPT's BOS).
OpenFlamingo adds two special tokens, ``<|endofchunk|>`` (50265) and
``<image>`` (50266), and pads on the left.

Nothing is downloaded: :func:`build_e2str_tokenizer` loads a local Hugging
Face tokenizer directory, written by :func:`build_opt_tokenizer_dir` (from
GPT-2's ``encoder.json``/``vocab.bpe`` and fairseq's ``dict.txt``) or by
:func:`build_char_tokenizer_dir` (one token per character, for small models
trained from scratch).
"""
import json
import os
import os.path as osp
import secrets
import shutil
from typing import Callable, Dict, List, Optional

from transformers import AutoTokenizer, PreTrainedTokenizerBase

IMAGE_TOKEN = '<image>'
CHUNK_TOKEN = '<|endofchunk|>'

#: fairseq's special symbols, ids 0..3 of OPT's (and RoBERTa's) vocabulary.
FAIRSEQ_SPECIALS = ('<s>', '<pad>', '</s>', '<unk>')
#: Size of OPT-125M's ``vocab.json`` (``len(tokenizer)`` before
#: OpenFlamingo's two special tokens): 4 specials + 50257 GPT-2 tokens + 4
#: of fairseq's ``madeupwordNNNN`` fillers.
OPT_VOCAB_SIZE = 50265
#: fairseq pads its dictionary with ``madeupwordNNNN`` lines (to a multiple
#: of 8 for the embedding table).
_FILLER_PREFIX = 'madeupword'
#: Special tokens of :func:`build_char_tokenizer_dir`, ids 0, 1, 2.
CHAR_SPECIALS = ('<pad>', '</s>', '<unk>')

# The files a tokenizer directory written here may hold; rebuilding a
# directory replaces all of them (a stale ``tokenizer.json`` would otherwise
# take precedence over a new ``vocab.json``) and keeps any other file.
_TOKENIZER_FILES = frozenset({
    'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json',
    'vocab.json', 'merges.txt', 'added_tokens.json', 'chat_template.jinja'
})


def _added_token(content: str) -> dict:
    """A special token as facebook/opt-125m's configuration files write it."""
    return dict(
        content=content,
        single_word=False,
        lstrip=False,
        rstrip=False,
        normalized=True,
        __type='AddedToken')


def _write_json(path: str, obj: dict, indent: Optional[int] = 2) -> None:
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(obj, f, ensure_ascii=False, indent=indent)
        f.write('\n')


def _write_dir_atomically(out_dir: str, fill: Callable[[str], None]) -> str:
    """Write a tokenizer directory through a temporary sibling directory.

    ``fill(tmp_dir)`` writes the files into a hidden temporary directory next
    to ``out_dir``, which is then renamed onto ``out_dir``: readers see the
    old directory or the complete new one, never a partial file. When
    ``out_dir`` already exists, it is moved aside first; its files that are
    not tokenizer files (e.g. a ``SOURCE.txt``) are moved into the new
    directory, the old tokenizer files are deleted.

    Args:
        out_dir (str): The directory to (re)write.
        fill (Callable[[str], None]): Writes the files into the given
            directory.

    Returns:
        str: ``out_dir``.
    """
    out_dir = osp.abspath(out_dir)
    if osp.exists(out_dir) and not osp.isdir(out_dir):
        raise NotADirectoryError(f'{out_dir} exists and is not a directory')
    parent, name = osp.split(out_dir)
    os.makedirs(parent, exist_ok=True)
    stem = osp.join(parent, f'.{name}.{os.getpid()}.{secrets.token_hex(4)}')
    tmp, old = stem + '.tmp', stem + '.old'
    os.mkdir(tmp)
    try:
        fill(tmp)
        if not osp.isdir(out_dir):
            os.replace(tmp, out_dir)
            return out_dir
        os.rename(out_dir, old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    moved = []
    try:
        for entry in os.listdir(old):
            if entry not in _TOKENIZER_FILES:
                os.rename(osp.join(old, entry), osp.join(tmp, entry))
                moved.append(entry)
        os.replace(tmp, out_dir)
    except BaseException:  # put the old directory back as it was
        for entry in moved:
            os.rename(osp.join(tmp, entry), osp.join(old, entry))
        os.rename(old, out_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return out_dir


def read_opt_vocab(encoder_json: str, fairseq_dict: str) -> Dict[str, int]:
    """OPT-125M's ``vocab.json``: GPT-2's tokens with fairseq's ids.

    Ids 0..3 are fairseq's specials ``<s> <pad> </s> <unk>``; line ``i``
    (from 0) of fairseq's ``dict.txt`` holds a GPT-2 id (``encoder.json``)
    that becomes id ``4 + i``. ``dict.txt`` ends with 939
    ``madeupwordNNNN`` fillers (lines 50257..51195) that pad fairseq's
    embedding table; OPT's ``vocab.json`` keeps the first four
    (``madeupword0000``..``madeupword0003`` = 50261..50264, 50265 entries in
    all, so OpenFlamingo's tokens get 50265 and 50266) and drops the rest.
    The fillers are plain vocabulary entries no BPE merge produces, so text
    never encodes to them.

    Args:
        encoder_json (str): GPT-2's ``encoder.json`` (token -> GPT-2 id).
        fairseq_dict (str): fairseq's GPT-2 ``dict.txt`` (``<gpt2 id>
            <count>`` per line).

    Returns:
        dict[str, int]: 50265 tokens -> OPT ids.
    """
    with open(encoder_json, encoding='utf-8') as f:
        encoder = json.load(f)
    gpt2_token = {i: token for token, i in encoder.items()}
    vocab = {token: i for i, token in enumerate(FAIRSEQ_SPECIALS)}
    with open(fairseq_dict, encoding='utf-8') as f:
        for line_no, line in enumerate(f, 1):
            symbol = line.split(' ', 1)[0].strip()
            if symbol.startswith(_FILLER_PREFIX):
                if len(vocab) < OPT_VOCAB_SIZE:
                    vocab[symbol] = len(vocab)
                continue
            try:
                token = gpt2_token[int(symbol)]
            except (ValueError, KeyError):
                raise ValueError(f'{fairseq_dict}:{line_no}: {symbol!r} is '
                                 f'not a GPT-2 id of {encoder_json}') from None
            if token in vocab:
                raise ValueError(f'{fairseq_dict}:{line_no}: GPT-2 id '
                                 f'{symbol} ({token!r}) appears twice')
            vocab[token] = len(vocab)
    n_tokens = len(vocab) - len(FAIRSEQ_SPECIALS)
    if len(vocab) != OPT_VOCAB_SIZE or len(encoder) > n_tokens:
        raise ValueError(
            f'{fairseq_dict} + {encoder_json} give {len(vocab)} tokens, '
            f'OPT has {OPT_VOCAB_SIZE} (every GPT-2 id once + fillers)')
    return vocab


def build_opt_tokenizer_dir(out_dir: str, encoder_json: str, vocab_bpe: str,
                            fairseq_dict: str) -> str:
    """Write an OPT-125M-style tokenizer directory from GPT-2's BPE files.

    The directory holds what facebook/opt-125m's does: ``vocab.json``
    (:func:`read_opt_vocab`), ``merges.txt`` (GPT-2's ``vocab.bpe``, which
    OPT uses unchanged), ``special_tokens_map.json`` and
    ``tokenizer_config.json`` (``GPT2Tokenizer``; BOS, EOS and UNK
    ``</s>``, pad ``<pad>``, ``add_bos_token`` true), so that
    ``build_e2str_tokenizer(out_dir)('Hello').input_ids == [2, 31414]``.
    The directory is written atomically.

    Args:
        out_dir (str): The directory to write (created or rewritten).
        encoder_json (str): GPT-2's ``encoder.json``.
        vocab_bpe (str): GPT-2's ``vocab.bpe`` (``#version: 0.2`` + 50000
            merges).
        fairseq_dict (str): fairseq's GPT-2 ``dict.txt``.

    Returns:
        str: The absolute path of ``out_dir``.
    """
    for path in (encoder_json, vocab_bpe, fairseq_dict):
        if not osp.isfile(path):
            raise FileNotFoundError(f'tokenizer source file {path} not found')
    vocab = read_opt_vocab(encoder_json, fairseq_dict)
    with open(vocab_bpe, encoding='utf-8') as f:
        merges = f.read()
    if not merges.startswith('#version'):
        raise ValueError(f'{vocab_bpe} is not a GPT-2 BPE merges file')
    specials = dict(
        bos_token=_added_token('</s>'),
        eos_token=_added_token('</s>'),
        unk_token=_added_token('</s>'),
        pad_token=_added_token('<pad>'))
    config = dict(
        errors='replace',
        add_prefix_space=False,
        add_bos_token=True,
        model_max_length=int(1e30),
        tokenizer_class='GPT2Tokenizer',
        **specials)

    def fill(tmp: str) -> None:
        _write_json(osp.join(tmp, 'vocab.json'), vocab, indent=None)
        with open(osp.join(tmp, 'merges.txt'), 'w', encoding='utf-8') as f:
            f.write(merges)
        _write_json(
            osp.join(tmp, 'special_tokens_map.json'), {
                k: {
                    k2: v2
                    for k2, v2 in v.items() if k2 != '__type'
                }
                for k, v in specials.items()
            })
        _write_json(osp.join(tmp, 'tokenizer_config.json'), config)

    return _write_dir_atomically(out_dir, fill)


def build_char_tokenizer_dir(out_dir: str, charset: str) -> str:
    """Write a character-level tokenizer directory (Hugging Face format).

    For small models trained from scratch. Ids: 0 ``<pad>``, 1 ``</s>``
    (BOS and EOS, as OPT's), 2 ``<unk>``, then one token per character of
    ``charset`` (duplicates dropped, order kept). A post-processor prepends
    ``</s>``; there is no normalisation (case and accents kept) and no
    pre-tokenisation (a space is a token like any other character when
    ``charset`` holds it; otherwise it is ``<unk>``). Characters outside
    ``charset`` become ``<unk>``. Decoding joins the characters. Files:
    ``tokenizer.json`` (``tokenizers`` library), ``tokenizer_config.json``
    and ``special_tokens_map.json``, written atomically. Load it with
    :func:`build_e2str_tokenizer`, which adds :data:`CHUNK_TOKEN` and
    :data:`IMAGE_TOKEN`.

    Args:
        out_dir (str): The directory to write (created or rewritten).
        charset (str): The characters, e.g. the 90 of mmocr's
            ``english_digits_symbols_space.txt``.

    Returns:
        str: The absolute path of ``out_dir``.
    """
    from tokenizers import AddedToken, Tokenizer, decoders, models, processors
    chars = list(dict.fromkeys(charset))
    if not chars:
        raise ValueError('charset is empty')
    vocab = {token: i for i, token in enumerate(CHAR_SPECIALS)}
    for char in chars:
        vocab[char] = len(vocab)
    pad, bos, unk = CHAR_SPECIALS
    # BPE without merges and without pre-tokeniser = one token per character
    # (an unknown character -> <unk>, each on its own).
    tokenizer = Tokenizer(
        models.BPE(vocab=vocab, merges=[], unk_token=unk, fuse_unk=False))
    tokenizer.add_special_tokens([
        AddedToken(token, special=True, normalized=False)
        for token in CHAR_SPECIALS
    ])
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f'{bos} $A',
        pair=f'{bos} $A {bos} $B:1',
        special_tokens=[(bos, vocab[bos])])
    tokenizer.decoder = decoders.Fuse()
    specials = dict(bos_token=bos, eos_token=bos, unk_token=unk, pad_token=pad)
    config = dict(
        tokenizer_class='PreTrainedTokenizerFast',
        add_bos_token=True,
        clean_up_tokenization_spaces=False,
        model_max_length=int(1e30),
        **specials)

    def fill(tmp: str) -> None:
        tokenizer.save(osp.join(tmp, 'tokenizer.json'))
        _write_json(osp.join(tmp, 'special_tokens_map.json'), specials)
        _write_json(osp.join(tmp, 'tokenizer_config.json'), config)

    return _write_dir_atomically(out_dir, fill)


def _check_tokenizer_dir(path: str) -> None:
    """Raise ``FileNotFoundError`` unless ``path`` holds a tokenizer."""
    if not osp.isdir(path):
        raise FileNotFoundError(
            f'tokenizer directory {path} does not exist (build one with '
            'tools/misc/build_opt_tokenizer.py or build_char_tokenizer.py)')
    present = set(os.listdir(path))
    need = ['tokenizer_config.json']
    if 'tokenizer.json' not in present:
        need += ['vocab.json', 'merges.txt']
    missing = [name for name in need if name not in present]
    if missing:
        raise FileNotFoundError(
            f'tokenizer directory {path} lacks {", ".join(missing)} (needs '
            'tokenizer_config.json and either tokenizer.json or vocab.json + '
            'merges.txt)')


def _ensure_bos(tokenizer: PreTrainedTokenizerBase, path: str) -> None:
    """Make ``tokenizer(text)`` start with the BOS token (``</s>``)."""
    if tokenizer.bos_token is None:
        if tokenizer.convert_tokens_to_ids('</s>') in (None,
                                                       tokenizer.unk_token_id):
            raise ValueError(f'tokenizer {path} has no BOS token and no </s>')
        tokenizer.bos_token = '</s>'
    bos = tokenizer.bos_token_id
    if tokenizer('a').input_ids[:1] != [bos]:
        # transformers' tokenizers backend rebuilds its post-processor
        tokenizer.add_bos_token = True
        if hasattr(tokenizer, 'update_post_processor'):
            tokenizer.update_post_processor()
    ids = tokenizer('a').input_ids
    if ids[:1] != [bos] or ids[1:2] == [bos]:
        raise ValueError(f'tokenizer {path} does not prepend one BOS token '
                         f'{tokenizer.bos_token!r}: {ids}')


def build_e2str_tokenizer(path: str) -> PreTrainedTokenizerBase:
    """Load E2STR's tokenizer from a local Hugging Face directory.

    The directory is OPT-style (``vocab.json`` + ``merges.txt`` +
    ``tokenizer_config.json``, see :func:`build_opt_tokenizer_dir`) or
    character-level (``tokenizer.json`` + ``tokenizer_config.json``, see
    :func:`build_char_tokenizer_dir`); nothing is downloaded
    (``local_files_only=True``). As OpenFlamingo does, :data:`CHUNK_TOKEN`
    then :data:`IMAGE_TOKEN` are added as special tokens (OPT: 50265 and
    50266), the pad token is kept (OPT: ``<pad>`` = 1) or ``<pad>`` added,
    and padding is on the left. Every text starts with the BOS token
    (``</s>``; OPT: ``tokenizer('Hello').input_ids == [2, 31414]``).

    Example:
        >>> tok = build_e2str_tokenizer('data/tokenizers/opt-125m')
        >>> tok(['<image>ab<|endofchunk|>', '<image>x'], padding=True,
        ...     ).input_ids
        [[2, 50266, 873, 50265], [1, 2, 50266, 1178]]

    Args:
        path (str): The tokenizer directory.

    Returns:
        PreTrainedTokenizerBase: The tokenizer.

    Raises:
        FileNotFoundError: ``path`` is not a directory or lacks a file the
            tokenizer needs (the message names them).
    """
    _check_tokenizer_dir(path)
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    tokenizer.add_special_tokens(
        {'additional_special_tokens': [CHUNK_TOKEN, IMAGE_TOKEN]})
    if tokenizer.pad_token is None:
        tokenizer.add_special_tokens({'pad_token': '<pad>'})
    tokenizer.padding_side = 'left'
    _ensure_bos(tokenizer, path)
    return tokenizer


def unencodable_chars(tokenizer: PreTrainedTokenizerBase,
                      text: str) -> List[str]:
    """The characters of ``text`` the tokenizer cannot represent.

    A character is unencodable when it encodes (on its own, without special
    tokens) to the unknown token or to nothing. Byte-level BPE (OPT)
    represents every character, so the result is then ``[]``; a
    character-level tokenizer cannot represent characters outside its
    charset.

    Args:
        tokenizer (PreTrainedTokenizerBase): The tokenizer.
        text (str): E.g. a label.

    Returns:
        list[str]: The unencodable characters, each once, in the order they
        first appear in ``text``.
    """
    unk = tokenizer.unk_token_id
    bad = []
    for char in dict.fromkeys(text):
        ids = tokenizer.encode(char, add_special_tokens=False)
        if not ids or (unk is not None and unk in ids):
            bad.append(char)
    return bad
