# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""The token vocabulary of InstructOCR (coordinate bins, specials, chars)."""
import string
from typing import List, Optional, Sequence

from mmengine.logging import MMLogger
from mmocr.registry import TASK_UTILS

#: The 95 printable ASCII characters, space to ``~`` (the official
#: ``alphanum.txt``), in that order.
PRINTABLE_ASCII = ''.join(chr(i) for i in range(32, 127))
assert len(PRINTABLE_ASCII) == 95 and string.ascii_letters[0] in \
    PRINTABLE_ASCII


@TASK_UTILS.register_module()
class InstructOCRDictionary:
    """InstructOCR's vocabulary, laid out exactly as the official one.

    With ``num_bins`` bins and ``C`` characters (the official 1000 and 95):

    ===================================  ====================================
    index                                meaning
    ===================================  ====================================
    ``0 .. num_bins-1``                  coordinate bins (x or y)
    ``num_bins .. num_bins+C-1``         unused, reserved
    ``num_bins+C`` (1095)                unknown character
    ``num_bins+C+1`` (1096)              "rec pad": end of a word / filler
    ``num_bins+C+2`` (1097)              end of sequence (EOS)
    ``num_bins+C+3`` (1098)              start of sequence (SOS)
    ``num_bins+C+4`` (1099)              noise instance
    ``num_bins+C+5`` (1100)              sequence padding (ignored by the
                                         loss; padding row of the embedding)
    ``num_bins+C+6 ..`` (1101 .. 1195)   the characters, in charset order
    ===================================  ====================================

    ``num_classes = num_bins + 2 * C + 6`` (1196). mmocr's ``SPTSDictionary``
    (in mmocr's ``projects/``) orders these differently; this layout is
    the one the released checkpoints' embedding and head rows follow.

    Text is case-sensitive. Characters outside the charset encode to the
    unknown index (the official policy) and are counted in
    :attr:`num_unknown_chars`; decoding skips unknown indices.

    Args:
        num_bins (int): Coordinate bins. Defaults to 1000.
        charset (str, optional): The characters, in index order. Defaults
            to the 95 printable ASCII characters (``' '`` .. ``'~'``).
        dict_file (str, optional): A file with one character per line
            (the official ``alphanum.txt`` layout); overrides ``charset``.
    """

    def __init__(self,
                 num_bins: int = 1000,
                 charset: Optional[str] = None,
                 dict_file: Optional[str] = None) -> None:
        if dict_file is not None:
            with open(dict_file, encoding='utf-8') as f:
                chars = f.read().replace('\r\n', '\n').split('\n')
            if chars and chars[-1] == '':
                chars.pop()  # the final newline
            bad = [i + 1 for i, c in enumerate(chars) if len(c) != 1]
            if bad:
                raise ValueError(f'{dict_file}: every line must hold exactly '
                                 f'one character (lines {bad[:5]})')
            charset = ''.join(chars)
        charset = PRINTABLE_ASCII if charset is None else charset
        if len(set(charset)) != len(charset):
            raise ValueError('the charset has repeated characters')
        if num_bins < 2:
            raise ValueError(f'num_bins must be >= 2, got {num_bins}')
        self.num_bins = num_bins
        self.charset = charset
        self.num_chars = len(charset)
        self.unknown_idx = num_bins + self.num_chars
        self.rec_pad_idx = self.unknown_idx + 1
        self.eos_idx = self.unknown_idx + 2
        self.sos_idx = self.unknown_idx + 3
        self.noise_idx = self.unknown_idx + 4
        self.seq_pad_idx = self.unknown_idx + 5
        self.char_start_idx = self.unknown_idx + 6
        self.num_classes = self.char_start_idx + self.num_chars
        self._char2idx = {
            c: self.char_start_idx + i
            for i, c in enumerate(charset)
        }
        #: Characters met by :meth:`encode_text` that are not in the
        #: charset (encoded as ``unknown_idx``).
        self.num_unknown_chars = 0
        self._warned_unknown = False

    def encode_text(self, text: str, max_len: int) -> List[int]:
        """Encode a word into exactly ``max_len`` character slots.

        Args:
            text (str): The transcription (longer ones are truncated).
            max_len (int): Slots per word (the official 25).

        Returns:
            list[int]: The character indices, padded with ``rec_pad_idx``.
        """
        ids = []
        for c in text[:max_len]:
            idx = self._char2idx.get(c)
            if idx is None:
                idx = self.unknown_idx
                self.num_unknown_chars += 1
                if not self._warned_unknown:
                    self._warned_unknown = True
                    MMLogger.get_current_instance().warning(
                        f'InstructOCR: character {c!r} (in {text!r}) is not '
                        f'in the {self.num_chars}-character set; it is '
                        'encoded as "unknown" (the official policy) and '
                        'counted in InstructOCRDictionary.num_unknown_chars '
                        '(this warning is printed once).')
            ids.append(idx)
        return ids + [self.rec_pad_idx] * (max_len - len(ids))

    def decode_text(self, indices: Sequence[int]) -> str:
        """Characters up to the first ``rec_pad_idx``; unknowns skipped.

        Any other non-character index (a coordinate, EOS, ...) also ends
        the word.
        """
        chars = []
        for idx in indices:
            idx = int(idx)
            if idx == self.unknown_idx:
                continue
            if not self.is_char(idx):
                break
            chars.append(self.charset[idx - self.char_start_idx])
        return ''.join(chars)

    def is_char(self, idx: int) -> bool:
        """Whether ``idx`` is a character index."""
        return self.char_start_idx <= idx < self.num_classes

    def is_coord(self, idx: int) -> bool:
        """Whether ``idx`` is a coordinate bin."""
        return 0 <= idx < self.num_bins

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_bins={self.num_bins}, '
                f'num_chars={self.num_chars}, '
                f'num_classes={self.num_classes})')
