# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""UPOCR's losses (spec §4)."""
from .multi_scale_ignore_smooth_l1_loss import MultiScaleIgnoreSmoothL1Loss
from .multi_scale_masked_l1_loss import MultiScaleMaskedL1Loss
from .vgg16_feature_extractor import VGG16FeatureExtractor
from .vgg_perceptual_style_loss import VGGPerceptualStyleLoss, gram_matrix

__all__ = [
    'MultiScaleIgnoreSmoothL1Loss', 'MultiScaleMaskedL1Loss',
    'VGG16FeatureExtractor', 'VGGPerceptualStyleLoss', 'gram_matrix'
]
