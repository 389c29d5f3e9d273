# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIPResNetWithAttention and its DenseAttentionPool2d."""
from typing import Sequence
from unittest import TestCase

import torch
import torch.nn as nn
from mmocr.registry import MODELS
from open_clip.modified_resnet import AttentionPool2d

from mmocr_ext.models.common.clip import (CLIPResNetWithAttention,
                                          DenseAttentionPool2d,
                                          resize_attnpool_pos_embed)

TINY = dict(layers=(1, 1, 1, 1), width=8, output_dim=32, heads=4)


def clip_resnet_num_params(layers: Sequence[int], width: int, output_dim: int,
                           grid: int) -> int:
    """Parameters of CLIP's ModifiedResNet, counted from the architecture.

    3x3 stem convs (3 -> w/2 -> w/2 -> w), bottlenecks 1x1 -> 3x3 -> 1x1
    (x4 expansion) with a 1x1 downsample conv in the first block of every
    stage, BN (weight + bias) after every conv, no conv biases; the attention
    pool has ``grid**2 + 1`` positional rows, q/k/v projections (with bias)
    on ``32 * w`` channels and the output projection to ``output_dim``.
    """

    def conv_bn(cin: int, cout: int, k: int) -> int:
        return cin * cout * k * k + 2 * cout

    total = (
        conv_bn(3, width // 2, 3) + conv_bn(width // 2, width // 2, 3) +
        conv_bn(width // 2, width, 3))
    inplanes = width
    for i, blocks in enumerate(layers):
        planes = width * 2**i
        for b in range(blocks):
            total += (
                conv_bn(inplanes, planes, 1) + conv_bn(planes, planes, 3) +
                conv_bn(planes, 4 * planes, 1))
            if b == 0:
                total += conv_bn(inplanes, 4 * planes, 1)
            inplanes = 4 * planes
    embed = 32 * width
    total += (grid * grid + 1) * embed + 3 * (embed * embed + embed)
    total += embed * output_dim + output_dim
    return total


class TestCLIPResNetWithAttention(TestCase):

    def test_shapes(self):
        torch.manual_seed(0)
        model = MODELS.build(
            dict(type='CLIPResNetWithAttention', input_resolution=640,
                 **TINY)).eval()
        for h, w in [(640, 640), (320, 480)]:
            with torch.no_grad():
                c2, c3, c4, c5, (g, v) = model(torch.randn(1, 3, h, w))
            self.assertEqual(c2.shape, (1, 32, h // 4, w // 4))
            self.assertEqual(c3.shape, (1, 64, h // 8, w // 8))
            self.assertEqual(c4.shape, (1, 128, h // 16, w // 16))
            self.assertEqual(c5.shape, (1, 256, h // 32, w // 32))
            self.assertEqual(g.shape, (1, 32))
            self.assertEqual(v.shape, (1, 32, h // 32, w // 32))
            self.assertTrue(torch.isfinite(v).all())

    def test_out_indices(self):
        model = CLIPResNetWithAttention(
            input_resolution=64, out_indices=(1, 3), **TINY)
        outs = model(torch.randn(2, 3, 64, 96))
        self.assertEqual(len(outs), 3)
        self.assertEqual(outs[0].shape, (2, 64, 8, 12))
        self.assertEqual(outs[1].shape, (2, 256, 2, 3))
        self.assertEqual(outs[2][1].shape, (2, 32, 2, 3))
        with self.assertRaises(ValueError):
            CLIPResNetWithAttention(out_indices=(4, ), **TINY)

    def test_trainable_plain_bn_and_backward(self):
        model = CLIPResNetWithAttention(input_resolution=64, **TINY).train()
        bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
        self.assertEqual(len(bns), 3 + 4 * 4)  # stem + 3 per block + ds
        self.assertTrue(all(type(m) is nn.BatchNorm2d for m in bns))
        before = model.bn1.running_mean.clone()
        outs = model(torch.randn(2, 3, 64, 64))
        (outs[3].mean() + outs[4][0].mean() + outs[4][1].mean()).backward()
        self.assertFalse(torch.equal(before, model.bn1.running_mean))
        self.assertTrue(all(p.grad is not None for p in model.parameters()))

    def test_rn50_num_params(self):
        model = CLIPResNetWithAttention(input_resolution=640)
        self.assertEqual(model.attnpool.positional_embedding.shape,
                         (401, 2048))
        self.assertEqual(
            sum(p.numel() for p in model.parameters()),
            clip_resnet_num_params((3, 4, 6, 3), 64, 1024, grid=20))


class TestDenseAttentionPool2d(TestCase):

    def setUp(self):
        torch.manual_seed(0)
        self.pool = DenseAttentionPool2d(2, 16, 2, 8).eval()

    def _reference(self, x: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
        """Every token attends to all tokens: explicit softmax formula."""
        b, c, h, w = x.shape
        tokens = x.flatten(2).transpose(1, 2)  # (B, HW, C)
        tokens = torch.cat([tokens.mean(1, keepdim=True), tokens], 1) + pos
        p = self.pool

        def heads(t):
            return t.reshape(b, -1, 2, c // 2).transpose(1, 2)

        q, k, v = (
            heads(proj(tokens)) for proj in (p.q_proj, p.k_proj, p.v_proj))
        attn = (q @ k.transpose(-1, -2) / (c // 2)**0.5).softmax(-1)
        out = (attn @ v).transpose(1, 2).reshape(b, -1, c)
        return p.c_proj(out)  # (B, 1 + HW, output_dim)

    def test_native_grid_matches_clip_and_reference(self):
        x = torch.randn(2, 16, 2, 2)
        clip_pool = AttentionPool2d(2, 16, 2, 8)
        clip_pool.load_state_dict(self.pool.state_dict())
        with torch.no_grad():
            g, v = self.pool(x)
            ref = self._reference(x, self.pool.positional_embedding)
            torch.testing.assert_close(g, clip_pool.eval()(x))
        torch.testing.assert_close(g, ref[:, 0])
        torch.testing.assert_close(
            v, ref[:, 1:].transpose(1, 2).reshape(2, 8, 2, 2))

    def test_other_grid_interpolates(self):
        x = torch.randn(1, 16, 3, 5)
        pos = resize_attnpool_pos_embed(self.pool.positional_embedding, (3, 5))
        with torch.no_grad():
            g, v = self.pool(x)
            ref = self._reference(x, pos)
        self.assertEqual(v.shape, (1, 8, 3, 5))
        torch.testing.assert_close(g, ref[:, 0])
        torch.testing.assert_close(v.flatten(2).transpose(1, 2), ref[:, 1:])

    def test_resize_pos_embed(self):
        pos = torch.randn(1 + 7 * 7, 4)
        self.assertIs(resize_attnpool_pos_embed(pos, (7, 7)), pos)
        out = resize_attnpool_pos_embed(pos, (20, 13))
        self.assertEqual(out.shape, (1 + 20 * 13, 4))
        torch.testing.assert_close(out[0], pos[0])  # class row kept
        const = torch.cat([torch.zeros(1, 4), torch.ones(49, 4)])
        torch.testing.assert_close(
            resize_attnpool_pos_embed(const, (20, 20))[1:], torch.ones(400, 4))
        # Row-major grid: a ramp along w stays a ramp along w.
        ramp = torch.arange(7.).repeat(7)[:, None]
        grid = resize_attnpool_pos_embed(
            torch.cat([torch.zeros(1, 1), ramp]), (3, 14))[1:].reshape(3, 14)
        self.assertTrue((grid[:, 1:] >= grid[:, :-1]).all())
        torch.testing.assert_close(grid[0], grid[2])
        with self.assertRaises(ValueError):
            resize_attnpool_pos_embed(torch.randn(11, 4), (3, 3))
