# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""erase_text_in_polygons: the removal output inside detected polygons,
the original pixels, byte for byte, everywhere else."""
import numpy as np
import pytest
import torch

from mmocr_ext.apis import erase_text_in_polygons, polygons_mask

RNG = np.random.default_rng(0)
IMAGE = RNG.integers(0, 256, (10, 12, 3), dtype=np.uint8)
ERASED = RNG.integers(0, 256, (10, 12, 3), dtype=np.uint8)


def test_rectangle_mask_includes_its_border():
    mask = polygons_mask((10, 12), [np.array([1, 2, 4, 2, 4, 5, 1, 5.])])
    expected = np.zeros((10, 12), bool)
    expected[2:6, 1:5] = True
    assert (mask == expected).all()


def test_outside_identical_inside_erased():
    # a quadrilateral (flat, float) and a triangle ((k, 2) tensor)
    polygons = [
        np.array([1.2, 1.1, 5.8, 0.9, 6.1, 4.2, 0.8, 3.9]),
        torch.tensor([[8., 5.], [11., 9.], [7., 9.]])
    ]
    out = erase_text_in_polygons(IMAGE, ERASED, polygons)
    mask = polygons_mask(IMAGE.shape, polygons)
    assert 0 < mask.sum() < mask.size
    assert out.dtype == IMAGE.dtype and out.shape == IMAGE.shape
    assert (out[~mask] == IMAGE[~mask]).all()
    assert (out[mask] == ERASED[mask]).all()
    assert (mask[1:4, 1:6]).all() and mask[9, 7:12].all()
    assert not mask[0, 0] and not mask[9, 0]
    # the inputs are not modified
    assert out is not IMAGE and not (IMAGE[mask] == out[mask]).all()


def test_dilation_grows_the_region():
    square = [[4, 4, 6, 4, 6, 6, 4, 6]]
    base = polygons_mask((10, 12), square)
    grown = polygons_mask((10, 12), square, dilate=1)
    assert base.sum() == 9
    # a 3x3 disc adds the 4-neighbours of the 3x3 square: 5x5 minus corners
    assert grown.sum() == 25 - 4 and (grown & base).sum() == 9
    out = erase_text_in_polygons(IMAGE, ERASED, square, dilate=1)
    assert (out[grown] == ERASED[grown]).all()
    assert (out[~grown] == IMAGE[~grown]).all()


def test_no_polygons_keeps_the_image():
    out = erase_text_in_polygons(IMAGE, ERASED, [])
    assert (out == IMAGE).all()


def test_bad_inputs():
    with pytest.raises(ValueError, match='differ in size'):
        erase_text_in_polygons(IMAGE, ERASED[:5], [])
    with pytest.raises(ValueError, match='at least 3'):
        polygons_mask((10, 12), [[1, 1, 2, 2]])
    with pytest.raises(ValueError, match='dilate'):
        polygons_mask((10, 12), [], dilate=-1)
