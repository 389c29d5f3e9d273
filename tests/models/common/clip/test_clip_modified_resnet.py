# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIPModifiedResNet: CLIP's ResNet trunk without the attention pool."""
import os.path as osp
import tempfile
from unittest import TestCase

import torch
from mmocr.registry import MODELS

from mmocr_ext.models.common.clip import (CLIPModifiedResNet,
                                          CLIPResNetWithAttention,
                                          clip_visual_trunk_state_dict)

TINY = dict(layers=(1, 2, 1, 1), width=8)


class TestCLIPModifiedResNet(TestCase):

    def test_rn50_num_params(self):
        # Spec part C errata: the official image encoder has 23,527,264.
        model = MODELS.build(dict(type='CLIPModifiedResNet'))
        self.assertEqual(
            sum(p.numel() for p in model.parameters()), 23_527_264)
        self.assertEqual(model.out_channels, 2048)

    def test_shapes_and_out_indices(self):
        model = CLIPModifiedResNet(**TINY).eval()
        x = torch.randn(2, 3, 64, 96)
        outs = model(x)
        self.assertIsInstance(outs, tuple)
        self.assertEqual(len(outs), 1)  # default: C5 only
        self.assertEqual(outs[0].shape, (2, 256, 2, 3))
        model.out_indices = (0, 1, 2, 3)
        shapes = [o.shape for o in model(x)]
        self.assertEqual(shapes, [(2, 32, 16, 24), (2, 64, 8, 12),
                                  (2, 128, 4, 6), (2, 256, 2, 3)])
        with self.assertRaises(ValueError):
            CLIPModifiedResNet(out_indices=(4, ), **TINY)
        with self.assertRaises(ValueError):
            CLIPModifiedResNet(layers=(1, 1, 1), width=8)

    def test_zero_bn3_init(self):
        model = CLIPModifiedResNet(**TINY)
        bn3 = [m for n, m in model.named_modules() if n.endswith('.bn3')]
        self.assertEqual(len(bn3), 5)  # one per bottleneck
        self.assertTrue(all((m.weight == 0).all() for m in bn3))
        self.assertTrue((model.bn3.weight == 1).all())  # the stem's bn3

    def test_same_trunk_as_with_attention(self):
        torch.manual_seed(0)
        full = CLIPResNetWithAttention(
            input_resolution=64, output_dim=16, heads=2, **TINY).eval()
        trunk = CLIPModifiedResNet(**TINY).eval()
        full_sd = full.state_dict()
        trunk_keys = [k for k in full_sd if not k.startswith('attnpool.')]
        self.assertEqual(list(trunk.state_dict()), trunk_keys)
        trunk.load_state_dict({k: full_sd[k] for k in trunk_keys})
        x = torch.randn(1, 3, 64, 64)
        with torch.no_grad():
            torch.testing.assert_close(trunk(x)[0], full(x)[3])

    def test_load_clip_checkpoint(self):
        torch.manual_seed(0)
        src = CLIPResNetWithAttention(
            input_resolution=64, output_dim=16, heads=2, **TINY)
        clip_sd = {f'visual.{k}': v for k, v in src.state_dict().items()}
        clip_sd['text_projection'] = torch.zeros(4, 4)
        clip_sd['logit_scale'] = torch.tensor(1.)
        trunk_sd = clip_visual_trunk_state_dict(clip_sd)
        self.assertFalse(any(k.startswith('attnpool') for k in trunk_sd))
        self.assertEqual(
            len(trunk_sd), len(CLIPModifiedResNet(**TINY).state_dict()))
        with self.assertRaises(ValueError):
            clip_visual_trunk_state_dict({'text_projection': torch.ones(1)})
        with tempfile.TemporaryDirectory() as tmp:
            path = osp.join(tmp, 'clip.pth')
            torch.save(clip_sd, path)
            model = CLIPModifiedResNet(clip_checkpoint=path, **TINY)
            self.assertFalse(  # nothing is loaded at build time
                torch.equal(model.conv1.weight, src.conv1.weight))
            model.init_weights()
        for key, value in model.state_dict().items():
            torch.testing.assert_close(value, src.state_dict()[key])
        missing = CLIPModifiedResNet(clip_checkpoint='/no/rn50.pt', **TINY)
        with self.assertRaisesRegex(FileNotFoundError, '/no/rn50.pt'):
            missing.init_weights()
