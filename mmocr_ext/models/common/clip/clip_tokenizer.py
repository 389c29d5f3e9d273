# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIP's byte-level BPE tokenizer with strict (non-truncating) padding."""
from functools import lru_cache
from typing import List, Optional, Union

import torch
from open_clip.tokenizer import SimpleTokenizer, default_bpe


@lru_cache(maxsize=4)
def _simple_tokenizer(bpe_path: str) -> SimpleTokenizer:
    """Build (once per vocabulary file) open_clip's ``SimpleTokenizer``."""
    return SimpleTokenizer(bpe_path=bpe_path, clean='lower')


class CLIPTokenizer:
    """Tokenize texts the way CLIP does (Radford et al., ICML 2021).

    A thin wrapper of open_clip's ``SimpleTokenizer`` with the BPE vocabulary
    file bundled in open_clip (``bpe_simple_vocab_16e6.txt.gz``, CLIP's
    vocabulary; md5 ``933b7abbbbde62c36f02f0e6ccde464f`` in open_clip 3.3.0;
    nothing is downloaded). Texts are cleaned
    (ftfy, HTML unescape, whitespace) and lower-cased, wrapped in SOT
    (49406) and EOT (49407) and zero-padded. Unlike open_clip's
    ``__call__``, a text that does not fit is an error, not silently
    truncated.

    Example:
        >>> tokenizer = CLIPTokenizer()
        >>> tokenizer('the pixels of many arbitrary-shape text instances.',
        ...           context_length=14).shape
        torch.Size([1, 14])

    Args:
        bpe_path (str, optional): A BPE merges file in CLIP's format. Defaults
            to None (open_clip's bundled file).
    """

    def __init__(self, bpe_path: Optional[str] = None) -> None:
        self.bpe_path = bpe_path or default_bpe()
        self._tokenizer = _simple_tokenizer(self.bpe_path)
        self.sot_token_id: int = self._tokenizer.sot_token_id
        self.eot_token_id: int = self._tokenizer.eot_token_id
        self.vocab_size: int = self._tokenizer.vocab_size

    def encode(self, text: str) -> List[int]:
        """Token ids of one text, SOT and EOT included, without padding.

        Args:
            text (str): The text.

        Returns:
            list[int]: ``[SOT, ..., EOT]``.
        """
        return ([self.sot_token_id] + self._tokenizer.encode(text) +
                [self.eot_token_id])

    def __call__(self, texts: Union[str, List[str]],
                 context_length: int) -> torch.Tensor:
        """Tokenize and zero-pad texts.

        Args:
            texts (str or list[str]): One text or ``K`` texts.
            context_length (int): Length of every row.

        Returns:
            torch.LongTensor: Token ids of shape (K, context_length).

        Raises:
            ValueError: If a text needs more than ``context_length`` tokens
                (SOT and EOT included).
        """
        if isinstance(texts, str):
            texts = [texts]
        result = torch.zeros(len(texts), context_length, dtype=torch.long)
        for i, text in enumerate(texts):
            ids = self.encode(text)
            if len(ids) > context_length:
                raise ValueError(
                    f'{text!r} needs {len(ids)} tokens (SOT and EOT '
                    f'included), more than context_length={context_length}')
            result[i, :len(ids)] = torch.tensor(ids, dtype=torch.long)
        return result
