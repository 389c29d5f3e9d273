# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""CLIP -> initial TCM weights: ``clip_to_tcm_state_dict`` and
``tools/model_converters/clip_to_tcm.py``, on a tiny random CLIP ResNet."""
import importlib.util
import os.path as osp
import sys
import tempfile
from unittest import TestCase

import torch
from mmocr.registry import MODELS
from open_clip.model import CLIP, CLIPTextCfg, CLIPVisionCfg

from mmocr_ext.models.common.clip import (CLIPResNetWithAttention,
                                          CLIPTextContextEncoder)
from mmocr_ext.models.textdet.tcm import clip_to_tcm_state_dict

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(REPO, 'tests', 'models', 'textdet', 'tcm'))
from tcm_tiny import tiny_cfg  # noqa: E402

SCRIPT = osp.join(REPO, 'tools', 'model_converters', 'clip_to_tcm.py')
IMAGE_ARCH = dict(layers=(1, 2, 1, 1), width=8, output_dim=16, heads=4)
TEXT_ARCH = dict(
    transformer_width=64,
    transformer_heads=1,
    transformer_layers=2,
    embed_dim=16)


def load_script():
    """Import the script as a module (its ``main`` takes an argv list)."""
    spec = importlib.util.spec_from_file_location('clip_to_tcm', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestClipToTCM(TestCase):

    @classmethod
    def setUpClass(cls):
        torch.manual_seed(0)
        cls.tool = load_script()
        cls.tmp = tempfile.TemporaryDirectory()
        clip = CLIP(
            embed_dim=16,
            vision_cfg=CLIPVisionCfg(
                layers=(1, 2, 1, 1), width=8, image_size=64),
            text_cfg=CLIPTextCfg(width=64, heads=1, layers=2),
            quick_gelu=True)
        cls.clip_sd = clip.state_dict()
        cls.src = osp.join(cls.tmp.name, 'tiny_clip.pth')
        # An open_clip training checkpoint: nested and DDP-prefixed.
        torch.save(
            {
                'epoch': 1,
                'state_dict': {
                    'module.' + k: v
                    for k, v in cls.clip_sd.items()
                }
            }, cls.src)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def convert(self, name: str, *extra: str) -> dict:
        out = osp.join(self.tmp.name, name)
        self.tool.main(['--src', self.src, '--out', out, *extra])
        return torch.load(out, map_location='cpu', weights_only=True)

    def test_convert(self):
        out_sd = self.convert('tcm.pth', '--input-resolution', '128',
                              '--context-length', '10')
        self.assertTrue(
            all(k.startswith(('backbone.', 'text_encoder.')) for k in out_sd))
        self.assertTrue(
            all(
                v.dtype in (torch.float32, torch.int64)
                for v in out_sd.values()))
        backbone = CLIPResNetWithAttention(input_resolution=128, **IMAGE_ARCH)
        text_encoder = CLIPTextContextEncoder(context_length=10, **TEXT_ARCH)
        for prefix, module in (('backbone.', backbone), ('text_encoder.',
                                                         text_encoder)):
            part = {
                k[len(prefix):]: v
                for k, v in out_sd.items() if k.startswith(prefix)
            }
            module.load_state_dict(part, strict=True)
        self.assertEqual(backbone.attnpool.positional_embedding.shape,
                         (1 + 4 * 4, 256))
        self.assertTrue(
            torch.equal(text_encoder.positional_embedding,
                        self.clip_sd['positional_embedding'][:10]))
        self.assertTrue(
            torch.equal(out_sd['backbone.layer2.1.conv2.weight'],
                        self.clip_sd['visual.layer2.1.conv2.weight']))

    def test_pretrained_init_cfg_with_prefix(self):
        """The output works as ``init_cfg`` of a single part."""
        out = osp.join(self.tmp.name, 'tcm_default.pth')
        self.tool.main(['--src', self.src, '--out', out])
        backbone = CLIPResNetWithAttention(
            input_resolution=640,
            init_cfg=dict(
                type='Pretrained', checkpoint=out, prefix='backbone.'),
            **IMAGE_ARCH)
        backbone.init_weights()
        self.assertEqual(backbone.attnpool.positional_embedding.shape,
                         (401, 256))
        self.assertTrue(
            torch.equal(backbone.conv1.weight,
                        self.clip_sd['visual.conv1.weight']))

    def test_keys_are_those_of_a_tcm(self):
        """Every CLIP part of a TCM built on this CLIP gets its weights;
        nothing else is produced."""
        out_sd = clip_to_tcm_state_dict(
            self.clip_sd, input_resolution=128, context_length=18)
        cfg = tiny_cfg()
        cfg['backbone'].update(input_resolution=128, **IMAGE_ARCH)
        cfg['text_encoder'].update(context_length=18, **TEXT_ARCH)
        cfg['prompt_generator'].update(visual_dim=16, text_dim=64)
        cfg['visual_prompt_generator'].update(visual_dim=16)
        cfg['context_decoder'].update(visual_dim=16)
        model = MODELS.build(cfg)
        result = model.load_state_dict(out_sd, strict=False)
        self.assertEqual(result.unexpected_keys, [])
        clip_parts = ('backbone.', 'text_encoder.')
        self.assertFalse(
            [k for k in result.missing_keys if k.startswith(clip_parts)])
        self.assertEqual(
            set(out_sd),
            {k
             for k in model.state_dict() if k.startswith(clip_parts)})
        self.assertTrue(
            torch.equal(model.text_encoder.text_projection,
                        self.clip_sd['text_projection']))
