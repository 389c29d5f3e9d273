# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""ImageTextFusionBlock against a hand-written reference."""
from unittest import TestCase

import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from mmocr_ext.models.textspot.instructocr.image_text_fusion_block import \
    ImageTextFusionBlock


def reference(block: ImageTextFusionBlock, v: torch.Tensor, txt: torch.Tensor,
              heads: int) -> torch.Tensor:
    """Per sample, per head: plain softmax attention, no max subtraction."""
    a = block.attn
    out = []
    for b in range(v.shape[0]):
        vn = F.layer_norm(v[b], v.shape[-1:], block.layer_norm_v.weight,
                          block.layer_norm_v.bias)
        ln = F.layer_norm(txt[b], txt.shape[-1:], block.layer_norm_l.weight,
                          block.layer_norm_l.bias)
        q = vn @ a.v_proj.weight.T + a.v_proj.bias
        k = ln @ a.l_proj.weight.T + a.l_proj.bias
        val = ln @ a.values_l_proj.weight.T + a.values_l_proj.bias
        d = q.shape[-1] // heads
        per_head = []
        for h in range(heads):
            s = slice(h * d, (h + 1) * d)
            attn = torch.softmax(q[:, s] @ k[:, s].T / d**0.5, dim=-1)
            per_head.append(attn @ val[:, s])
        delta = torch.cat(per_head, -1) @ a.out_v_proj.weight.T + \
            a.out_v_proj.bias
        out.append(vn + block.gamma_v * delta)
    return torch.stack(out)


class TestImageTextFusionBlock(TestCase):

    def setUp(self):
        torch.manual_seed(0)
        self.block = MODELS.build(
            dict(
                type='ImageTextFusionBlock',
                v_dim=6,
                l_dim=4,
                embed_dim=8,
                num_heads=2)).eval()

    def test_official_names_init_and_param_count(self):
        self.assertEqual(
            sorted(self.block.state_dict()),
            sorted([
                'layer_norm_v.weight', 'layer_norm_v.bias',
                'layer_norm_l.weight', 'layer_norm_l.bias', 'gamma_v',
                'attn.v_proj.weight', 'attn.v_proj.bias', 'attn.l_proj.weight',
                'attn.l_proj.bias', 'attn.values_l_proj.weight',
                'attn.values_l_proj.bias', 'attn.out_v_proj.weight',
                'attn.out_v_proj.bias'
            ]))
        torch.testing.assert_close(self.block.gamma_v, torch.full((6, ), 1e-4))
        self.assertEqual(self.block.attn.v_proj.bias.abs().sum().item(), 0)
        full = ImageTextFusionBlock()  # 512 / 256 / 1024 / 4 heads
        # 3 blocks = 4,735,488 (spec part C errata).
        self.assertEqual(
            sum(p.numel() for p in full.parameters()), 4_735_488 // 3)

    def test_matches_reference(self):
        with torch.no_grad():
            self.block.gamma_v.normal_()  # make the update visible
            for p in self.block.attn.parameters():
                p.normal_(std=0.5)
        v, txt = torch.randn(3, 5, 6), torch.randn(3, 7, 4)
        out = self.block(v, txt)
        self.assertEqual(out.shape, (3, 5, 6))
        with torch.no_grad():
            ref = reference(self.block, v, txt, heads=2)
        torch.testing.assert_close(out, ref)
        # Each sample only depends on its own tokens (the batch max is a
        # no-op for the softmax).
        torch.testing.assert_close(self.block(v[1:2], txt[1:2]), out[1:2])

    def test_batch_max_matters_only_through_clamp(self):
        attn = ImageTextFusionBlock(
            v_dim=2, l_dim=2, embed_dim=2, num_heads=1).attn
        with torch.no_grad():
            for proj in (attn.v_proj, attn.l_proj, attn.values_l_proj,
                         attn.out_v_proj):
                proj.weight.copy_(torch.eye(2))
                proj.bias.zero_()
        # logits = q.k / sqrt(2): sample 0 about 1e5, sample 1 about 0.7.
        v = torch.tensor([[[376., 0.]], [[1., 0.]]])
        txt = torch.tensor([[[376., 0.], [0., 3.]], [[1., 0.], [0., 3.]]])
        out = attn(v, txt)
        # Sample 0: the max logit wins (the other is clamped to -5e4).
        torch.testing.assert_close(out[0, 0], torch.tensor([376., 0.]))
        # Sample 1 alone: plain softmax over logits (0.707, 0).
        p = torch.softmax(torch.tensor([2**-0.5, 0.]), 0)
        alone = p[0] * txt[1, 0] + p[1] * txt[1, 1]
        torch.testing.assert_close(attn(v[1:], txt[1:])[0, 0], alone)
        # In the batch its logits minus sample 0's max fall below -5e4 and
        # are clamped to the same value: uniform attention (the quirk).
        torch.testing.assert_close(out[1, 0], txt[1].mean(0))

    def test_drop_path_per_sample(self):
        torch.manual_seed(0)
        block = ImageTextFusionBlock(
            v_dim=6, l_dim=4, embed_dim=8, num_heads=2, drop_path=0.5).train()
        v, txt = torch.randn(64, 5, 6), torch.randn(64, 3, 4)
        out = block(v, txt)
        base = block.layer_norm_v(v)
        delta = block.gamma_v * block.attn(base, block.layer_norm_l(txt))
        kept = [
            torch.allclose(o, b + 2 * d) for o, b, d in zip(out, base, delta)
        ]
        dropped = [torch.equal(o, b) for o, b in zip(out, base)]
        self.assertTrue(all(k != d for k, d in zip(kept, dropped)))
        self.assertTrue(8 < sum(kept) < 56)
