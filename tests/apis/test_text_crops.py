# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Upright, rectified crops of text polygons."""
import numpy as np
import pytest

from mmocr_ext.apis.text_crops import crop_text_region, upright_quad, warp_quad


def _arc_image():
    """A 400x400 image whose blue channel is the angle around (200, 300)
    (180..360 deg -> 0..255) and green channel the radius (150 -> 0,
    190 -> 240), and an upper-arc band of radii 150..190 over 200..340
    degrees as a 16-point polygon (outer side, then inner side back)."""
    yy, xx = np.mgrid[0:400, 0:400]
    angle = np.degrees(np.arctan2(yy - 300, xx - 200)) % 360
    radius = np.hypot(yy - 300, xx - 200)
    img = np.zeros((400, 400, 3), np.uint8)
    img[..., 0] = np.clip((angle - 180) * 255 / 180, 0, 255)
    img[..., 1] = np.clip((radius - 150) * 6, 0, 255)

    def arc(r, a0, a1):
        return [(200 + r * np.cos(np.radians(a)),
                 300 + r * np.sin(np.radians(a)))
                for a in np.linspace(a0, a1, 8)]

    polygon = np.array(arc(190, 200, 340) + arc(150, 340, 200))
    return img, polygon


def test_curved_polygon_is_unwarped_left_to_right():
    img, polygon = _arc_image()
    crop = crop_text_region(img, polygon.reshape(-1))
    # Height: the band's thickness (40 px); width: its mid arc length
    # (170 px x 140 deg = 415 px; the 7-segment polygon is slightly shorter).
    assert abs(crop.shape[0] - 40) <= 2
    assert 395 <= crop.shape[1] <= 420
    angle_by_column = crop[..., 0].astype(float).mean(0)
    # Left to right = increasing angle (clockwise on screen); the ends
    # of the band are near 200 and 340 deg, i.e. ~28 and ~227.
    assert np.all(np.diff(angle_by_column) >= -1.5)
    assert angle_by_column[0] < 40 and angle_by_column[-1] > 210
    radius_by_row = crop[..., 1].astype(float).mean(1)
    # Top row = outer radius (upright text), bottom = inner.
    assert radius_by_row[0] > 200 and radius_by_row[-1] < 15
    assert np.all(np.diff(radius_by_row) <= 1.5)


def test_rotated_rectangle_reads_upright_whatever_the_vertex_order():
    img = np.zeros((300, 300, 3), np.uint8)
    img[..., 2] = np.arange(300)[None, :]  # red = x
    img[..., 1] = np.arange(300)[:, None]  # green = y
    quad = np.array([[50, 100], [250, 140], [244, 170], [44, 130]], float)
    for order in ([0, 1, 2, 3], [2, 3, 0, 1], [3, 2, 1, 0], [1, 0, 3, 2]):
        ordered = upright_quad(quad[order])
        np.testing.assert_allclose(ordered, quad, atol=1e-4)
        crop = crop_text_region(img, quad[order].reshape(-1))
        assert crop.shape[1] > 5 * crop.shape[0]  # the long side across
        # x grows left to right, y grows top to bottom.
        assert crop[crop.shape[0] // 2, -1,
                    2] > crop[crop.shape[0] // 2, 0, 2] + 150
        assert crop[-1, crop.shape[1] // 2,
                    1] > crop[0, crop.shape[1] // 2, 1] + 20


def test_near_rectangular_polygon_uses_its_minimum_area_rectangle():
    img = np.full((100, 200, 3), 7, np.uint8)
    polygon = [
        20, 30, 60, 30, 100, 31, 140, 30, 140, 50, 100, 50, 60, 49, 20, 50
    ]
    crop = crop_text_region(img, polygon)
    assert crop.shape[0] in (20, 21) and crop.shape[1] in (120, 121)
    assert (crop == 7).all()


@pytest.mark.parametrize(
    'polygon',
    [
        [10, 10, 10, 10, 10, 40, 10, 40],  # zero width
        [10, 10, 90, 10, 90, 10.5, 10, 10.5],  # thinner than 2 px
        [5, 5, 50, 50],  # two points
        [5, 5, np.nan, 6, 50, 50, 5, 50],  # not finite
        [-50, -50, -10, -50, -10, -10, -50, -10],  # outside the image
    ])
def test_degenerate_polygons_give_none(polygon):
    img = np.zeros((100, 100, 3), np.uint8)
    assert crop_text_region(img, polygon) is None


def test_warp_quad_refuses_an_empty_quad():
    img = np.zeros((10, 10, 3), np.uint8)
    assert warp_quad(img, np.zeros((4, 2), np.float32)) is None
