# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCREncoder: sizes, positions, padding, instruction format."""
import math
import os.path as osp
import tempfile
from unittest import TestCase, mock

import torch
from mmocr.registry import MODELS

from mmocr_ext.models.textspot.instructocr.instructocr_encoder import \
    InstructOCREncoder

REPO = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))))
VOCAB_DIR = osp.join(REPO, 'data', 'tokenizers', 'bert-base-uncased')
TINY_BERT = dict(
    hidden_size=32,
    num_hidden_layers=1,
    num_attention_heads=2,
    intermediate_size=64)


def tiny(**kwargs) -> InstructOCREncoder:
    cfg = dict(
        type='InstructOCREncoder',
        text_encoder=dict(
            type='BertInstructionEncoder',
            tokenizer_dir=VOCAB_DIR,
            bert_config=TINY_BERT),
        in_channels=16,
        d_model=64,
        text_dim=16,
        num_fusion_layers=1,
        fusion_cfg=dict(embed_dim=32, num_heads=2),
        num_layers=1,
        num_heads=4,
        ffn_dim=128)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def count(module) -> int:
    return sum(p.numel() for p in module.parameters())


class TestInstructOCREncoder(TestCase):

    def test_full_size_param_counts(self):
        # Spec part C errata (official): encoder transformer 17,354,240 of
        # which fusion 4,735,488; 1x1 projection 1,049,088; text projection
        # 196,608. BERT (here 768 wide, tiny otherwise) is not counted.
        with tempfile.TemporaryDirectory() as tmp:
            vocab = osp.join(tmp, 'vocab.txt')
            with open(vocab, 'w') as f:
                f.write('[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nall\ntext\n')
            enc = InstructOCREncoder(
                text_encoder=dict(
                    type='BertInstructionEncoder',
                    tokenizer_dir=vocab,
                    bert_config=dict(
                        vocab_size=7,
                        num_hidden_layers=1,
                        intermediate_size=8,
                        max_position_embeddings=80)))
        self.assertEqual(count(enc.input_proj), 1_049_088)
        self.assertEqual(count(enc.text_encoder), 196_608)
        self.assertEqual(count(enc.feature_fusion_layers), 4_735_488)
        transformer = count(enc) - 1_049_088 - 196_608
        self.assertEqual(transformer, 17_354_240)
        self.assertEqual(len(enc.layers), 6)
        names = set(enc.state_dict())
        for key in ('input_proj.weight', 'text_encoder.text_projection',
                    'feature_fusion_layers.2.attn.values_l_proj.weight',
                    'norm_ca.weight', 'layers.5.self_attn.in_proj_weight',
                    'layers.5.self_attn.out_proj.weight',
                    'layers.0.linear1.bias', 'layers.0.norm2.weight',
                    'norm.bias'):
            self.assertIn(key, names)
        self.assertFalse(any('bert' in k for k in names))
        # Official init: 1x1 bias 0, LayerScale kept at 1e-4 (dim 1).
        self.assertEqual(enc.input_proj.bias.abs().sum().item(), 0)
        torch.testing.assert_close(enc.feature_fusion_layers[0].gamma_v,
                                   torch.full((512, ), 1e-4))

    def test_shapes_mask_and_instructions(self):
        torch.manual_seed(0)
        enc = tiny().eval()
        feat = torch.randn(2, 16, 3, 4)
        mask = torch.zeros(2, 96, 128, dtype=torch.bool)
        mask[1, :, 64:] = True  # sample 1: right half is padding
        with mock.patch.object(
                enc.text_encoder, 'forward',
                wraps=enc.text_encoder.forward) as text:
            out = enc(feat, mask, ['all text', 'text of number'])
        self.assertEqual(text.call_args.args[0], [
            '<all text><a photo of text>', '<text of number><a photo of text>'
        ])
        self.assertEqual(out['memory'].shape, (2, 12, 64))
        self.assertEqual(out['pos'].shape, (2, 12, 64))
        self.assertEqual(out['text'].shape, (2, 77, 16))
        expected = torch.zeros(2, 3, 4, dtype=torch.bool)
        expected[1, :, 2:] = True
        torch.testing.assert_close(out['memory_mask'], expected.flatten(1))
        # fp16-rounded positions (official pos.half()).
        torch.testing.assert_close(
            out['pos'], out['pos'].half().float(), rtol=0, atol=0)
        self.assertTrue(torch.isfinite(out['memory']).all())
        with self.assertRaises(ValueError):
            enc(feat, mask, ['all text'])
        with self.assertRaises(ValueError):
            tiny(
                text_encoder=dict(
                    type='BertInstructionEncoder',
                    tokenizer_dir=VOCAB_DIR,
                    bert_config=TINY_BERT,
                    proj_dim=8))

    def test_sine_positions_hand_computed(self):
        # d_model 4 -> num_feats 2, dim_t = (1, 1); 1 x 2 grid, no padding:
        # y = 1 / (1 + 1e-6) * 2 pi, x = (pi, 2 pi) -> channels
        # (sin y, cos y, sin x, cos x).
        enc = tiny(
            d_model=4,
            num_heads=2,
            fusion_cfg=dict(embed_dim=4, num_heads=2),
            pos_fp16_round=False).eval()
        pos = enc(torch.randn(1, 16, 1, 2), None, ['all text'])['pos'][0]
        y = 2 * math.pi / (1 + 1e-6)
        expected = torch.tensor([[math.sin(y),
                                  math.cos(y), 0., -1.],
                                 [math.sin(y),
                                  math.cos(y), 0., 1.]])
        torch.testing.assert_close(pos, expected, atol=1e-5, rtol=0)

    def test_padding_leaves_valid_memory_unchanged(self):
        torch.manual_seed(0)
        enc = tiny().eval()
        feat = torch.randn(1, 16, 3, 4)
        big = torch.randn(1, 16, 5, 7) * 10  # padding with junk features
        big[:, :, :3, :4] = feat
        mask = torch.ones(1, 160, 224, dtype=torch.bool)
        mask[:, :96, :128] = False
        with torch.no_grad():
            ref = enc(feat, None, ['all text'])
            out = enc(big, mask, ['all text'])
        valid = ~out['memory_mask'][0]
        self.assertEqual(valid.sum().item(), 12)
        for key in ('memory', 'pos'):
            torch.testing.assert_close(
                out[key][0].reshape(5, 7, -1)[:3, :4].reshape(12, -1),
                ref[key][0],
                atol=1e-5,
                rtol=0)
        # Without the key padding mask the junk would leak in.
        with torch.no_grad(), mock.patch.object(
                enc.layers[0].self_attn,
                'forward',
                wraps=enc.layers[0].self_attn.forward) as attn:
            enc(big, mask, ['all text'])
        self.assertTrue(
            torch.equal(attn.call_args.kwargs['key_padding_mask'],
                        out['memory_mask']))

    def test_dtype_and_device_follow_input(self):
        enc = tiny().eval().double()
        out = enc(torch.randn(1, 16, 2, 2, dtype=torch.float64), None, ['x'])
        self.assertEqual(out['memory'].dtype, torch.float64)
        self.assertEqual(out['memory'].device, torch.device('cpu'))
