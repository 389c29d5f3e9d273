# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIP weight loading/conversion against a random open_clip RN50."""
import copy
import os.path as osp
import socket
import tempfile
import warnings
from unittest import TestCase, mock

import open_clip
import torch
import torch.nn as nn

from mmocr_ext.models.common.clip import (CLIPResNetWithAttention,
                                          CLIPTextContextEncoder,
                                          CLIPTokenizer)
from mmocr_ext.models.common.clip.clip_weights import (
    clip_arch_from_state_dict, convert_clip_state_dict, load_clip_state_dict)

PROMPT = 'the pixels of many arbitrary-shape text instances.'
OPENAI_EXTRA = {'input_resolution', 'context_length', 'vocab_size'}


def _no_network(*args, **kwargs):
    raise AssertionError('network access attempted')


def build_random_clip(name: str = 'RN50') -> nn.Module:
    """A random open_clip CLIP (no download) with non-trivial BN layers.

    CLIP's init zeroes every ``bn3`` weight (residual branches start at 0),
    so BN weights and statistics are randomised to make the comparisons
    below exercise every block.
    """
    with mock.patch.object(socket.socket, 'connect', _no_network), \
            mock.patch.object(socket, 'getaddrinfo', _no_network):
        model = open_clip.create_model(
            name, pretrained=None, force_quick_gelu=True)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            nn.init.uniform_(m.weight, 0.5, 1.5)
            nn.init.normal_(m.bias, std=0.1)
            nn.init.normal_(m.running_mean, std=0.1)
            nn.init.uniform_(m.running_var, 0.5, 1.5)
    return model.eval()


class _OpenAIStyleCLIP(nn.Module):
    """The modules/params of an open_clip CLIP under OpenAI's names, plus
    the integer entries OpenAI's archive carries; traced to TorchScript."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        for name in ('visual', 'transformer', 'token_embedding', 'ln_final',
                     'positional_embedding', 'text_projection', 'logit_scale'):
            setattr(self, name, getattr(model, name))
        for name, value in (('input_resolution', 224), ('context_length', 77),
                            ('vocab_size', 49408)):
            self.register_buffer(name, torch.tensor(value))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Only there to trace the module."""
        return x * self.logit_scale


def save_openai_archive(model: nn.Module, path: str) -> None:
    """Save ``model`` as an fp16 TorchScript archive in OpenAI's layout."""
    wrapper = copy.deepcopy(_OpenAIStyleCLIP(model)).half()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', FutureWarning)
        torch.jit.trace(wrapper, torch.ones(1, dtype=torch.half)).save(path)


def max_rel_err(a: torch.Tensor, b: torch.Tensor) -> float:
    return ((a - b).abs().max() / b.abs().max()).item()


class TestCLIPWeights(TestCase):

    @classmethod
    def setUpClass(cls):
        torch.manual_seed(0)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.clip = build_random_clip('RN50')
        cls.clip_sd = cls.clip.state_dict()
        cls.openai_path = osp.join(cls.tmp.name, 'RN50.pt')
        save_openai_archive(cls.clip, cls.openai_path)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_load_open_clip_formats(self):
        # The format handling needs no full model: a slice of the keys.
        subset = {
            k: v
            for k, v in self.clip_sd.items()
            if k.startswith(('visual.layer1.0.', 'ln_final'))
        }
        plain = osp.join(self.tmp.name, 'open_clip.pth')
        torch.save(subset, plain)
        nested = osp.join(self.tmp.name, 'ckpt.pt')
        torch.save(
            {
                'epoch': 3,
                'state_dict': {
                    'module.' + k: v
                    for k, v in subset.items()
                }
            }, nested)
        for path in (plain, nested):
            sd = load_clip_state_dict(path)
            self.assertEqual(sd.keys(), subset.keys())
            self.assertTrue(
                all(torch.equal(sd[k], v) for k, v in subset.items()))

    def test_load_openai_archive(self):
        sd = load_clip_state_dict(self.openai_path)
        self.assertEqual(set(sd), set(self.clip_sd) | OPENAI_EXTRA)
        for key, value in self.clip_sd.items():
            self.assertEqual(sd[key].dtype, value.dtype, key)
            expected = value.half().float() if value.is_floating_point() \
                else value
            self.assertTrue(torch.equal(sd[key], expected), key)
        image_sd, text_sd = convert_clip_state_dict(sd, 224, 18)
        backbone = CLIPResNetWithAttention(input_resolution=224)
        backbone.load_state_dict(image_sd, strict=True)
        # Archives without BN ``num_batches_tracked`` load as well.
        backbone.load_state_dict(
            {
                k: v
                for k, v in image_sd.items() if 'num_batches' not in k
            },
            strict=True)

    def test_convert_and_match_open_clip(self):
        image_sd, text_sd = convert_clip_state_dict(
            self.clip_sd, input_resolution=224, context_length=18)
        pos = 'attnpool.positional_embedding'
        self.assertTrue(
            torch.equal(image_sd[pos], self.clip_sd['visual.' + pos]))
        self.assertTrue(
            torch.equal(text_sd['positional_embedding'],
                        self.clip_sd['positional_embedding'][:18]))
        backbone = CLIPResNetWithAttention(input_resolution=224).eval()
        text_encoder = CLIPTextContextEncoder(context_length=18).eval()
        # Zero missing / unexpected keys, both ways.
        self.assertEqual(set(image_sd), set(backbone.state_dict()))
        self.assertEqual(set(text_sd), set(text_encoder.state_dict()))
        backbone.load_state_dict(image_sd, strict=True)
        text_encoder.load_state_dict(text_sd, strict=True)

        tokenizer = CLIPTokenizer()
        with torch.no_grad():
            img = torch.randn(1, 3, 224, 224)
            ref = self.clip.encode_image(img)
            *_, c5, (global_feat, dense_feat) = backbone(img)
            self.assertEqual(dense_feat.shape, (1, 1024, 7, 7))
            self.assertLess(max_rel_err(global_feat, ref), 1e-5)

            ref = self.clip.encode_text(tokenizer(PROMPT, 77))
            # No context (N2 = 0): the plain CLIP text embedding.
            out = text_encoder(tokenizer(PROMPT, 14), torch.zeros(1, 0, 512))
            self.assertLess(max_rel_err(out[:, 0], ref), 1e-5)
            # N2 = 4, L = 18: context vectors equal to the
            # embeddings of 'the pixels of many' give the same sentence.
            full = tokenizer(PROMPT, 18)
            rest = torch.cat([full[:, :1], full[:, 5:]], dim=1)
            context = self.clip.token_embedding(full[:, 1:5])
            out = text_encoder(rest, context)
            self.assertLess(max_rel_err(out[:, 0], ref), 1e-5)

    def test_resize_for_640(self):
        image_sd, text_sd = convert_clip_state_dict(self.clip_sd, 640, 46)
        pos = image_sd['attnpool.positional_embedding']
        self.assertEqual(pos.shape, (401, 2048))
        self.assertTrue(
            torch.equal(
                pos[0],
                self.clip_sd['visual.attnpool.positional_embedding'][0]))
        self.assertEqual(text_sd['positional_embedding'].shape, (46, 512))

    def test_defaults_keep_clip_sizes(self):
        image_sd, text_sd = convert_clip_state_dict(self.clip_sd)
        pos = 'attnpool.positional_embedding'
        self.assertTrue(
            torch.equal(image_sd[pos], self.clip_sd['visual.' + pos]))
        self.assertTrue(
            torch.equal(text_sd['positional_embedding'],
                        self.clip_sd['positional_embedding']))
        self.assertEqual(text_sd['positional_embedding'].shape, (77, 512))

    def test_arch_from_state_dict(self):
        image_kwargs, text_kwargs = clip_arch_from_state_dict(self.clip_sd)
        self.assertEqual(
            image_kwargs,
            dict(layers=(3, 4, 6, 3), width=64, output_dim=1024, heads=32))
        self.assertEqual(
            text_kwargs,
            dict(
                vocab_size=49408,
                transformer_width=512,
                transformer_heads=8,
                transformer_layers=12,
                embed_dim=1024))

    def test_open_clip_param_count(self):
        """Same parameter count as open_clip's RN50 towers (at 224 px)."""
        n_visual = sum(p.numel() for p in self.clip.visual.parameters())
        n_ours = sum(p.numel() for p in CLIPResNetWithAttention(
            input_resolution=224).parameters())
        self.assertEqual(n_ours, n_visual)

    def test_errors(self):
        with self.assertRaisesRegex(ValueError, 'ModifiedResNet'):
            convert_clip_state_dict({'visual.class_embedding': torch.zeros(8)})
        with self.assertRaisesRegex(ValueError, 'multiple of 32'):
            convert_clip_state_dict(self.clip_sd, input_resolution=100)
        with self.assertRaisesRegex(ValueError, 'context_length'):
            convert_clip_state_dict(self.clip_sd, 224, context_length=78)
        with self.assertWarnsRegex(UserWarning, 'visual_extra'):
            convert_clip_state_dict(
                dict(self.clip_sd, visual_extra=torch.zeros(1)), 224)
