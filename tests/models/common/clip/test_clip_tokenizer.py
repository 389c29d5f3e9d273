# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIPTokenizer: CLIP's BPE ids, padding and the length check."""
import hashlib
from unittest import TestCase

import torch

from mmocr_ext.models.common.clip import CLIPTokenizer

PROMPT = 'the pixels of many arbitrary-shape text instances.'
# TCM's prompt (docs/tcm.md), as the BPE file of the TCM repository gives it.
PROMPT_IDS = [
    49406, 518, 34099, 539, 1346, 22702, 856, 268, 6448, 4160, 1264, 3515, 269,
    49407
]


class TestCLIPTokenizer(TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tokenizer = CLIPTokenizer()

    def test_tcm_prompt(self):
        ids = self.tokenizer(PROMPT, context_length=14)
        self.assertEqual(ids.dtype, torch.long)
        self.assertEqual(ids.tolist(), [PROMPT_IDS])
        self.assertEqual(self.tokenizer.encode(PROMPT), PROMPT_IDS)

    def test_bpe_file_is_clips(self):
        """open_clip's bundled file is the one the TCM repository ships."""
        with open(self.tokenizer.bpe_path, 'rb') as f:
            digest = hashlib.md5(f.read()).hexdigest()
        self.assertEqual(digest, '933b7abbbbde62c36f02f0e6ccde464f')

    def test_vocabulary(self):
        self.assertEqual(self.tokenizer.vocab_size, 49408)
        self.assertEqual(self.tokenizer.sot_token_id, 49406)
        self.assertEqual(self.tokenizer.eot_token_id, 49407)

    def test_padding_and_batch(self):
        ids = self.tokenizer([PROMPT, 'text', ''], context_length=18)
        self.assertEqual(ids.shape, (3, 18))
        self.assertEqual(ids[0].tolist(), PROMPT_IDS + [0] * 4)
        self.assertEqual(ids[1, 0].item(), 49406)
        self.assertEqual(ids[1, 2].item(), 49407)
        self.assertEqual(ids[1, 3:].tolist(), [0] * 15)
        self.assertEqual(ids[2, :3].tolist(), [49406, 49407, 0])
        # EOT is the largest id: argmax finds it (the encoder relies on it).
        self.assertEqual(ids.argmax(-1).tolist(), [13, 2, 1])

    def test_cleaning(self):
        self.assertEqual(
            self.tokenizer('  THE   Pixels &amp; text ', 10).tolist(),
            self.tokenizer('the pixels & text', 10).tolist())

    def test_too_long_raises(self):
        with self.assertRaisesRegex(ValueError, 'needs 14 tokens'):
            self.tokenizer(['text', PROMPT], context_length=13)
