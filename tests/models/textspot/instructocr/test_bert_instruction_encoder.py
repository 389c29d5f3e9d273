# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""BertInstructionEncoder: frozen, unsaved BERT + text_projection."""
import os.path as osp
import tempfile
from unittest import TestCase, mock

import torch
from mmengine.logging import MMLogger
from mmocr.registry import MODELS
from safetensors.torch import save_file
from transformers import BertConfig, BertModel

from mmocr_ext.models.textspot.instructocr.bert_instruction_encoder import (
    BertInstructionEncoder, build_bert_tokenizer, convert_bert_state_dict)

REPO = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))))
VOCAB_DIR = osp.join(REPO, 'data', 'tokenizers', 'bert-base-uncased')
TINY_BERT = dict(
    hidden_size=32,
    num_hidden_layers=1,
    num_attention_heads=2,
    intermediate_size=64)
HELLO = [101, 7592, 2088, 102]  # '[CLS] hello world [SEP]'


def build(**kwargs) -> BertInstructionEncoder:
    cfg = dict(
        type='BertInstructionEncoder',
        tokenizer_dir=VOCAB_DIR,
        bert_config=TINY_BERT,
        proj_dim=8)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def padded(ids, length=77):
    return torch.tensor([ids + [0] * (length - len(ids))])


class TestTokenizer(TestCase):

    def test_known_bert_base_uncased_ids(self):
        tok = build_bert_tokenizer(VOCAB_DIR)
        self.assertEqual(len(tok), 30522)
        self.assertEqual(tok('hello world')['input_ids'], HELLO)
        self.assertEqual(tok('Hello WORLD')['input_ids'], HELLO)  # uncased
        ids = tok('<all text><a photo of text>')['input_ids']
        self.assertEqual(ids, [
            101, 1026, 2035, 3793, 1028, 1026, 1037, 6302, 1997, 3793, 1028,
            102
        ])
        with open(osp.join(VOCAB_DIR, 'vocab.txt'), encoding='utf-8') as f:
            lines = f.read().split('\n')
        self.assertEqual([lines[i] for i in ids], [
            '[CLS]', '<', 'all', 'text', '>', '<', 'a', 'photo', 'of', 'text',
            '>', '[SEP]'
        ])

    def test_bad_vocab(self):
        with self.assertRaisesRegex(FileNotFoundError, 'nowhere'):
            build_bert_tokenizer('/nowhere/vocab.txt')
        with tempfile.TemporaryDirectory() as tmp:
            with open(osp.join(tmp, 'vocab.txt'), 'w') as f:
                f.write('[PAD]\n[UNK]\nhello\n')
            with self.assertRaisesRegex(ValueError, r'\[CLS\]'):
                build_bert_tokenizer(tmp)


class TestBertInstructionEncoder(TestCase):

    def setUp(self):
        torch.manual_seed(0)
        self.enc = build()

    def test_forward_values(self):
        out = self.enc(['hello world', 'Hello world!'])
        self.assertEqual(out.shape, (2, 77, 8))
        with torch.no_grad():
            ref = self.enc.bert(input_ids=padded(HELLO)).last_hidden_state[0]
        torch.testing.assert_close(out[0], ref @ self.enc.text_projection)
        # No attention mask by default: the [PAD]s are attended.
        with torch.no_grad():
            masked = self.enc.bert(
                input_ids=padded(HELLO),
                attention_mask=padded([1] * 4)).last_hidden_state[0]
        self.assertFalse(torch.allclose(ref[:4], masked[:4], atol=1e-4))
        enc = build(use_attention_mask=True)
        enc.bert.load_state_dict(self.enc.bert.state_dict())
        enc.text_projection.data.copy_(self.enc.text_projection)
        torch.testing.assert_close(
            enc(['hello world'])[0], masked @ enc.text_projection)

    def test_bert_outside_state_dict_and_frozen(self):
        self.assertEqual(list(self.enc.state_dict()), ['text_projection'])
        self.assertEqual([n for n, _ in self.enc.named_parameters()],
                         ['text_projection'])
        self.assertEqual(self.enc.text_projection.shape, (32, 8))
        self.assertFalse(
            any(p.requires_grad for p in self.enc.bert.parameters()))
        self.enc.train()
        self.assertTrue(self.enc.training)
        self.assertFalse(self.enc.bert.training)
        self.enc(['all text']).sum().backward()
        self.assertIsNotNone(self.enc.text_projection.grad)
        self.assertTrue(
            all(p.grad is None for p in self.enc.bert.parameters()))
        # Loading an official-style state dict (text_projection only).
        self.enc.load_state_dict({'text_projection': torch.zeros(32, 8)},
                                 strict=True)
        self.assertEqual(self.enc(['x']).abs().sum().item(), 0)

    def test_to_moves_bert(self):
        self.enc(['a'])
        self.assertEqual(len(self.enc._cache), 1)
        self.enc.double()
        self.assertEqual(self.enc.bert.embeddings.word_embeddings.weight.dtype,
                         torch.float64)
        self.assertEqual(len(self.enc._cache), 0)  # cleared on moves
        self.assertEqual(self.enc(['a']).dtype, torch.float64)

    def test_projection_init(self):
        enc = build(proj_dim=256)  # 32 x 256 samples of N(0, 512 ** -0.5)
        self.assertAlmostEqual(
            enc.text_projection.std().item(), 512**-0.5, delta=0.002)
        self.assertAlmostEqual(
            enc.text_projection.mean().item(), 0, delta=2e-3)

    def test_cache(self):
        enc = build(cache_size=2)
        with mock.patch.object(enc, '_run_bert', wraps=enc._run_bert) as run:
            first = enc(['a b', 'c', 'a b'])
            self.assertEqual(run.call_args_list[0].args[0], ['a b', 'c'])
            second = enc(['c', 'a b'])
            self.assertEqual(run.call_count, 1)  # all hits
            torch.testing.assert_close(second, first[[1, 0]])
            enc(['d'])  # evicts the least recently used 'c'
            self.assertEqual(list(enc._cache), ['a b', 'd'])
            enc(['c'])
            self.assertEqual(run.call_count, 3)
        # Entries cached under inference mode still train afterwards.
        with torch.inference_mode():
            enc(['e'])
        enc(['e']).sum().backward()
        self.assertIsNotNone(enc.text_projection.grad)
        no_cache = build(cache_size=0)
        no_cache(['a'])
        self.assertEqual(len(no_cache._cache), 0)

    def test_truncation_warning_once(self):
        enc = build(cache_size=0, max_length=8)
        logger = MMLogger.get_current_instance()
        long = 'one two three four five six seven eight nine'
        with mock.patch.object(logger, 'warning') as warn:
            out = enc([long, 'short'])
            enc([long])
        self.assertEqual(warn.call_count, 1)
        self.assertIn('11 tokens truncated to 8', warn.call_args.args[0])
        self.assertEqual(out.shape, (2, 8, 8))
        ids = enc.tokenizer([long],
                            padding='max_length',
                            truncation=True,
                            max_length=8)['input_ids'][0]
        self.assertEqual(ids[0], 101)
        self.assertEqual(ids[-1], 102)
        with self.assertRaises(TypeError):
            enc('a single string')
        with self.assertRaises(ValueError):
            build(max_length=600)

    def test_pretrained(self):
        torch.manual_seed(1)
        cfg = BertConfig(**TINY_BERT)
        ref = BertModel(cfg).eval()  # with a pooler, as HF checkpoints
        sd = {f'bert.{k}': v for k, v in ref.state_dict().items()}
        sd['bert.embeddings.LayerNorm.gamma'] = sd.pop(
            'bert.embeddings.LayerNorm.weight')
        sd['cls.predictions.bias'] = torch.zeros(30522)
        converted = convert_bert_state_dict(sd)
        self.assertNotIn('pooler.dense.weight', converted)
        self.assertIn('embeddings.LayerNorm.weight', converted)
        with tempfile.TemporaryDirectory() as tmp:
            save_file(sd, osp.join(tmp, 'model.safetensors'))
            enc = build(pretrained=tmp)  # not loaded at build
            self.assertFalse(
                torch.equal(enc.bert.encoder.layer[0].output.dense.weight,
                            ref.encoder.layer[0].output.dense.weight))
            out = enc(['hello world'])  # loaded lazily (no init_weights)
            with torch.no_grad():
                hidden = ref(input_ids=padded(HELLO)).last_hidden_state[0]
            torch.testing.assert_close(out[0], hidden @ enc.text_projection)
            bin_path = osp.join(tmp, 'bert.bin')
            torch.save(sd, bin_path)
            enc = build(pretrained=bin_path)
            enc.init_weights()
            self.assertTrue(enc._bert_loaded)
            torch.testing.assert_close(
                enc(['hello world'])[0], hidden @ enc.text_projection)
            del sd['bert.encoder.layer.0.output.dense.weight']
            save_file(sd, osp.join(tmp, 'model.safetensors'))
            with self.assertRaisesRegex(ValueError, 'output.dense.weight'):
                build(pretrained=tmp).init_weights()
        enc = build(pretrained='/no/bert-base-uncased')
        with self.assertRaisesRegex(FileNotFoundError,
                                    '/no/bert-base-uncased'):
            enc.init_weights()
