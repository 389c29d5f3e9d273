# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Exact ground truth of SynthRenderer: masks, polygons, boxes, crops."""
import numpy as np
import pytest
import shapely
from PIL import ImageFont
from shapely.geometry import LineString, Polygon

from mmocr_ext.datasets.synth import (BackgroundPool, FontPool, Lexicon,
                                      SynthRenderer)
from mmocr_ext.datasets.synth.fonts import read_coverage
from mmocr_ext.datasets.synth.geometry import (WordWarp, perspective_jitter,
                                               polygon_signed_area, rotation)
from mmocr_ext.datasets.synth.word import render_word

SEEDS = [(0, i) for i in range(6)]


@pytest.fixture(scope='module')
def pools():
    return FontPool(), Lexicon(), BackgroundPool(procedural_prob=0.5)


@pytest.fixture(scope='module')
def renderer(pools):
    fonts, lexicon, backgrounds = pools
    # Every effect often, so a handful of samples exercises all of them.
    return SynthRenderer(
        fonts,
        lexicon,
        backgrounds,
        height=256,
        width=288,
        num_words=(5, 8),
        font_size=(0.06, 0.14),
        rotate_prob=0.5,
        perspective_prob=0.5,
        curve_prob=0.6,
        border_prob=0.4,
        shadow_prob=0.4,
        blur_prob=0.4,
        tamper_words=2)


@pytest.fixture(scope='module')
def samples(renderer):
    return [renderer.render(*s) for s in SEEDS]


def _pixels(mask):
    ys, xs = np.nonzero(mask)
    return xs.astype(np.float64), ys.astype(np.float64)


def test_samples_have_every_kind_of_word(samples):
    words = [w for s in samples for w in s.words]
    assert len(words) >= 25
    curves = {w.curve for w in words}
    assert curves == {'none', 'arc', 'sine'}
    assert all(len(w.polygon) == 4 for w in words if w.curve == 'none')
    assert all(len(w.polygon) >= 14 for w in words if w.curve != 'none')
    for s in samples:
        assert s.image.shape == s.background.shape == (256, 288, 3)
        assert s.image.dtype == np.uint8
        assert s.text_mask.shape == (256, 288)


def test_mask_pixels_lie_inside_their_word_polygon(samples):
    inside = total = 0
    for s in samples:
        for k, word in enumerate(s.words):
            xs, ys = _pixels(s.instance_map == k + 1)
            assert xs.size > 0, word.text
            hits = shapely.contains_xy(Polygon(word.polygon), xs, ys)
            inside += int(hits.sum())
            total += xs.size
        assert np.array_equal(s.text_mask > 0, s.instance_map > 0)
    assert inside / total >= 0.995


def test_composite_equals_clean_background_outside_the_mask(samples):
    for s in samples:
        off = s.text_mask == 0
        assert np.array_equal(s.image[off], s.background[off])
        # ... and the words did change the image.
        assert np.any(s.image[~off] != s.background[~off])


def test_polygons_valid_clockwise_and_disjoint(samples):
    for s in samples:
        polys = [Polygon(w.polygon) for w in s.words]
        for word, poly in zip(s.words, polys):
            assert poly.is_valid, word.text
            # Clockwise on screen (y down) from the top-left corner, as
            # mmocr's converters write ICDAR/Total-Text polygons.
            assert polygon_signed_area(word.polygon) > 0
            assert np.all(word.polygon >= 0)
            assert np.all(word.polygon[:, 0] <= 287)
            assert np.all(word.polygon[:, 1] <= 255)
        for i in range(len(polys)):
            for j in range(i + 1, len(polys)):
                assert not polys[i].intersects(polys[j])


def test_char_boxes_inside_polygon_left_to_right(samples):
    for s in samples:
        for word in s.words:
            assert word.char_boxes.shape == (len(word.text), 4, 2)
            poly = Polygon(word.polygon).buffer(0.5)
            k = len(word.polygon) // 2
            # The polygon's centre line: top point i with bottom point i.
            mid = LineString((word.polygon[:k] + word.polygon[k:][::-1]) / 2)
            pos = []
            for quad in word.char_boxes:
                assert poly.contains(Polygon(quad)), word.text
                assert polygon_signed_area(quad) > 0
                pos.append(mid.project(shapely.Point(quad.mean(0))))
            assert np.all(np.diff(pos) > 0), (word.text, word.curve)


def test_crop_shows_its_transcription(samples):
    """The rectified crop's text pixels are the flat glyphs of its text."""
    checked = 0
    for s in samples:
        for k, word in enumerate(s.words):
            h, w = word.crop.shape[:2]
            assert word.crop_char_boxes.shape == (len(word.text), 4, 2)
            assert np.all(word.crop_char_boxes[..., 0] >= 0)
            assert np.all(word.crop_char_boxes[..., 0] <= w)
            assert np.all(word.crop_char_boxes[..., 1] <= h)
            layer = render_word(word.text,
                                ImageFont.truetype(word.font, word.font_size),
                                word.style)
            u0, v0 = word.crop_origin
            glyphs = layer.fill_alpha[v0:v0 + h, u0:u0 + w] > 0.5
            mx, my = word.warp.forward_maps(u0, v0, w, h)
            import cv2
            mask = cv2.remap((s.instance_map == k + 1).astype(np.uint8), mx,
                             my, cv2.INTER_NEAREST) > 0
            recall = (glyphs & mask).sum() / glyphs.sum()
            assert recall >= 0.97, (word.text, recall)
            # The crop differs from the rectified clean background on the
            # glyphs: the word is visible in the crop.
            bg = cv2.remap(s.background, mx, my, cv2.INTER_LINEAR)
            diff = np.abs(word.crop.astype(int) - bg).max(-1)
            assert diff[glyphs].mean() > 4 * max(diff[~mask].mean(), 1)
            checked += 1
    assert checked >= 25


def test_same_seed_same_bytes(renderer, samples):
    again = renderer.render(*SEEDS[3])
    ref = samples[3]
    for name in ('image', 'background', 'text_mask', 'instance_map',
                 'tampered_image', 'tamper_mask'):
        assert np.array_equal(getattr(again, name), getattr(ref, name))
    for a, b in zip(again.words, ref.words):
        assert a.text == b.text
        assert np.array_equal(a.polygon, b.polygon)
        assert np.array_equal(a.crop, b.crop)
    assert not np.array_equal(samples[0].image, samples[1].image)


def test_tamper_mask_covers_exactly_the_replaced_words(samples):
    tampered = 0
    for s in samples:
        diff = np.any(s.tampered_image != s.image, axis=-1)
        assert not np.any(diff & (s.tamper_mask == 0))
        assert len(s.tampered_words) == len(s.words)
        for k, (old, new) in enumerate(zip(s.words, s.tampered_words)):
            if k in s.tampered_indices:
                assert new.text != old.text
                tampered += 1
            else:
                assert new.text == old.text
        keep = [
            k + 1 for k in range(len(s.words)) if k not in s.tampered_indices
        ]
        assert not np.any((s.tamper_mask > 0) & np.isin(s.instance_map, keep))
        xs, ys = _pixels(s.tamper_mask)
        polys = shapely.union_all(
            [Polygon(s.words[k].polygon) for k in s.tampered_indices])
        if xs.size:
            assert shapely.contains_xy(polys, xs, ys).mean() >= 0.995
        # Untouched pixels of the tampered image equal the clean image.
        off = (s.tamper_mask == 0) & (s.text_mask == 0)
        assert np.array_equal(s.tampered_image[off], s.background[off])
    assert tampered >= len(samples)


def test_font_without_glyph_is_skipped_for_that_word():
    fonts = FontPool()
    lacking = [
        i for i in range(len(fonts))
        if ord('\u03a9') not in read_coverage(fonts.fonts[i])
    ]
    assert lacking, 'every bundled font has Omega: pick another char'
    lexicon = Lexicon(
        words=['\u03a9mega', 'ok\u4e2d'],
        charset='\u03a9\u4e2dabcdegmkoABCDEGMKO',
        number_prob=0.)
    r = SynthRenderer(
        fonts,
        lexicon,
        BackgroundPool(procedural_prob=1.),
        height=128,
        width=160,
        num_words=(3, 3),
        font_size=(0.1, 0.12),
        tamper_words=0)
    words = [w for i in range(6) for w in r.render(1, i).words]
    assert words, 'no Omega word placed'
    for w in words:
        # No font has the CJK character: that word is never drawn.
        assert '\u4e2d' not in w.text
        assert ord('\u03a9') in read_coverage(w.font)
        assert w.font not in {fonts.fonts[i] for i in lacking}


@pytest.mark.parametrize('curve,kwargs', [
    ('none', {}),
    ('arc', dict(u_c=60., v_b=20., radius=80., sign=1)),
    ('arc', dict(u_c=60., v_b=20., radius=80., sign=-1)),
    ('sine', dict(amplitude=6., wavelength=90., phase=0.7)),
])
def test_warp_inverse_undoes_forward(curve, kwargs):
    rng = np.random.default_rng(0)
    hmat = rotation(30.) @ perspective_jitter(rng, 60., 15., 0.25)
    warp = WordWarp(hmat, curve, shift=(3., -2.), **kwargs)
    pts = np.stack([rng.uniform(0, 120, 50), rng.uniform(0, 40, 50)], 1)
    xy = warp.forward(pts)
    u, v = warp.inverse(xy[:, 0], xy[:, 1])
    np.testing.assert_allclose(np.stack([u, v], 1), pts, atol=1e-6)


def test_bad_settings_raise(pools):
    fonts, lexicon, backgrounds = pools
    with pytest.raises(ValueError, match='num_words'):
        SynthRenderer(fonts, lexicon, backgrounds, num_words=(0, 2))
    with pytest.raises(ValueError, match='image size'):
        SynthRenderer(fonts, lexicon, backgrounds, height=16)
    with pytest.raises(ValueError, match='font_size'):
        SynthRenderer(fonts, lexicon, backgrounds, font_size=(0.2, 0.1))
    with pytest.raises(ValueError, match='curve'):
        WordWarp(np.eye(3), 'spiral')
