# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIPTextContextEncoder: sequence assembly, EOT pooling, gradients."""
from unittest import TestCase

import torch
from mmocr.registry import MODELS

from mmocr_ext.models.common.clip import CLIPTextContextEncoder, CLIPTokenizer

PROMPT = 'the pixels of many arbitrary-shape text instances.'
TINY = dict(
    transformer_width=32,
    transformer_heads=2,
    transformer_layers=2,
    embed_dim=16)


class TestCLIPTextContextEncoder(TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tokenizer = CLIPTokenizer()

    def setUp(self):
        torch.manual_seed(0)
        self.encoder = CLIPTextContextEncoder(context_length=18, **TINY).eval()

    def test_rn50_shape(self):
        encoder = MODELS.build(dict(type='CLIPTextContextEncoder')).eval()
        text = self.tokenizer([PROMPT, 'text'], context_length=14)
        with torch.no_grad():
            out = encoder(text, torch.randn(2, 4, 512), torch.randn(2, 512))
        self.assertEqual(out.shape, (2, 2, 1024))
        self.assertEqual(encoder.positional_embedding.shape, (18, 512))
        self.assertEqual(set(encoder.state_dict()) & {'attn_mask'}, set())

    def test_eot_pooling_ignores_padding(self):
        text = self.tokenizer([PROMPT, 'text'], context_length=14)
        context = torch.randn(3, 4, 32)
        prompt = torch.randn(3, 32)
        with torch.no_grad():
            out = self.encoder(text, context, prompt)
            noisy = text.clone()
            noisy[1, 3:] = torch.randint(1, 49406, (11, ))  # after EOT
            torch.testing.assert_close(
                self.encoder(noisy, context, prompt), out)
            # Shorter padding: fewer positions, same result (causal mask).
            torch.testing.assert_close(
                self.encoder(text[1:, :3], context, prompt), out[:, 1:])
            changed = text.clone()
            changed[0, 2] = 1000  # before EOT
            self.assertFalse(
                torch.allclose(
                    self.encoder(changed, context, prompt)[:, 0], out[:, 0]))
        self.assertEqual(out.shape, (3, 2, 16))

    def test_context_inserted_after_sot(self):
        """Context = embeddings of the first words == the plain sentence."""
        full = self.tokenizer(PROMPT, context_length=18)  # 14 ids + 4 pads
        words = full[0, 1:5]  # 'the pixels of many'
        rest = torch.cat([full[:, :1], full[:, 5:14]], dim=1)  # 10 ids
        context = self.encoder.token_embedding(words)[None]  # (1, 4, C)
        prompt = torch.randn(1, 32)
        with torch.no_grad():
            ref = self.encoder(full, context[:, :0], prompt)
            out = self.encoder(rest, context, prompt)
        torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-5)

    def test_prompt_added_everywhere_and_broadcast(self):
        text = self.tokenizer(PROMPT, context_length=14)
        context = torch.randn(1, 4, 32)
        with torch.no_grad():
            plain = self.encoder(text, context)
            torch.testing.assert_close(
                self.encoder(text, context, torch.zeros(1, 32)), plain)
            prompt = torch.randn(5, 32)
            out = self.encoder(text, context, prompt)
            self.assertEqual(out.shape, (5, 1, 16))
            torch.testing.assert_close(
                out[3:4], self.encoder(text, context, prompt[3:4]))
            # Adding p to every token == adding p to SOT, ctx and tokens.
            emb = self.encoder.token_embedding(text[0]) + prompt[3]
            manual = self.encoder(
                None,
                torch.cat([emb[:1], context[0] + prompt[3], emb[1:]])[None])
            torch.testing.assert_close(manual, out[3:4], rtol=1e-5, atol=1e-5)

    def test_learnable_prompt_only(self):
        """``text=None``: the context alone, read at its last position."""
        ids = self.tokenizer('text', context_length=3)  # SOT, text, EOT
        context = self.encoder.token_embedding(ids)  # (1, 3, C)
        with torch.no_grad():
            ref = self.encoder(ids, context[:, :0])
            out = self.encoder(None, context.expand(2, -1, -1))
        self.assertEqual(out.shape, (2, 1, 16))
        torch.testing.assert_close(out, ref.expand(2, -1, -1))

    def test_gradients_reach_context_and_prompt_when_frozen(self):
        self.encoder.requires_grad_(False)
        text = self.tokenizer([PROMPT, 'text'], context_length=14)
        context = torch.randn(1, 4, 32, requires_grad=True)
        prompt = torch.randn(2, 32, requires_grad=True)
        self.encoder(text, context, prompt).square().sum().backward()
        self.assertGreater(context.grad.abs().sum().item(), 0)
        self.assertGreater(prompt.grad.abs().sum().item(), 0)
        self.assertTrue(all(p.grad is None for p in self.encoder.parameters()))

    def test_too_long(self):
        text = self.tokenizer(PROMPT, context_length=14)
        with self.assertRaises(ValueError):
            self.encoder(text, torch.randn(1, 5, 32))
        with self.assertRaises(ValueError):
            self.encoder(None, torch.randn(1, 0, 32))
