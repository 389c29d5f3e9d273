# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Where a word goes: a baseline curve followed by a homography.

A word is drawn flat in *text space* (``u`` along the baseline, ``v`` down,
in pixels of its canvas). :class:`WordWarp` maps text space to the image in
two exact steps, both with closed-form inverses:

1. a baseline curve: none, a circular **arc** (text bent around a circle,
   glyphs rotated with the tangent) or a **sine** (glyph columns displaced
   vertically, as SynthTIGER's curved text);
2. a 3x3 **homography** (rotation, perspective, scale, translation).

Points (polygons, character boxes) go forward; pixels are drawn by the
inverse (``cv2.remap`` samples text space at ``inverse(x, y)``), so the
ground truth and the pixels come from the same function.
"""
from typing import Optional, Sequence, Tuple

import numpy as np

CURVES = ('none', 'arc', 'sine')


def translation(dx: float, dy: float) -> np.ndarray:
    """3x3 homogeneous translation."""
    return np.array([[1, 0, dx], [0, 1, dy], [0, 0, 1]], dtype=np.float64)


def rotation(angle_deg: float) -> np.ndarray:
    """3x3 rotation by ``angle_deg`` (counter-clockwise on screen)."""
    t = np.deg2rad(angle_deg)
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, s, 0], [-s, c, 0], [0, 0, 1]], dtype=np.float64)


class WordWarp:
    """Text space -> image: ``homography @ curve(u + du, v + dv)``.

    Args:
        homography (np.ndarray): (3, 3) curve space -> image.
        curve (str): ``'none'``, ``'arc'`` or ``'sine'``.
        u_c (float): Arc: text-space ``u`` of the arc's apex.
        v_b (float): Arc: text-space ``v`` of the line bent onto radius R.
        radius (float): Arc radius R (> 0).
        sign (int): Arc: +1 bends like a rainbow (centre below the text),
            -1 like a smile (centre above).
        amplitude (float): Sine amplitude in pixels.
        wavelength (float): Sine wavelength in pixels.
        phase (float): Sine phase in radians.
        shift (tuple): Text-space translation applied first; a word
            re-rendered on a different canvas reuses the warp through it.
    """

    def __init__(self,
                 homography: np.ndarray,
                 curve: str = 'none',
                 u_c: float = 0.,
                 v_b: float = 0.,
                 radius: float = 1.,
                 sign: int = 1,
                 amplitude: float = 0.,
                 wavelength: float = 1.,
                 phase: float = 0.,
                 shift: Sequence[float] = (0., 0.)) -> None:
        if curve not in CURVES:
            raise ValueError(f'curve must be one of {CURVES}, got {curve!r}')
        if curve == 'arc' and radius <= 0:
            raise ValueError(f'arc radius must be > 0, got {radius}')
        self.homography = np.asarray(homography, dtype=np.float64)
        self._inv: Optional[np.ndarray] = None
        self.curve = curve
        self.u_c, self.v_b, self.radius = float(u_c), float(v_b), float(radius)
        self.sign = 1 if sign >= 0 else -1
        self.amplitude, self.wavelength = float(amplitude), float(wavelength)
        self.phase = float(phase)
        self.shift = (float(shift[0]), float(shift[1]))

    @property
    def inv_homography(self) -> np.ndarray:
        """The inverse homography (adjugate / determinant, computed once;
        ``np.linalg.inv`` on 3x3 matrices costs more in LAPACK overhead)."""
        if self._inv is None:
            (a, b, c), (d, e, f), (g, h, i) = self.homography
            adj = np.array([[e * i - f * h, c * h - b * i, b * f - c * e],
                            [f * g - d * i, a * i - c * g, c * d - a * f],
                            [d * h - e * g, b * g - a * h, a * e - b * d]])
            det = a * adj[0, 0] + b * adj[1, 0] + c * adj[2, 0]
            if abs(det) < 1e-12:
                raise ValueError('the homography is singular')
            self._inv = adj / det
        return self._inv

    def shifted(self, du: float, dv: float) -> 'WordWarp':
        """The same warp for a canvas whose origin is offset by (du, dv)."""
        return WordWarp(
            self.homography,
            self.curve,
            self.u_c,
            self.v_b,
            self.radius,
            self.sign,
            self.amplitude,
            self.wavelength,
            self.phase,
            shift=(self.shift[0] + du, self.shift[1] + dv))

    def with_homography(self, homography: np.ndarray) -> 'WordWarp':
        """The same curve followed by another homography."""
        return WordWarp(homography, self.curve, self.u_c, self.v_b,
                        self.radius, self.sign, self.amplitude,
                        self.wavelength, self.phase, self.shift)

    # curve space -----------------------------------------------------------
    def curve_forward(self, u: np.ndarray,
                      v: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Text space (already shifted) -> curve space."""
        if self.curve == 'arc':
            s, r0 = self.sign, self.radius
            alpha = (u - self.u_c) / r0
            rad = r0 + s * (self.v_b - v)
            return (self.u_c + rad * np.sin(alpha),
                    self.v_b + s * r0 - s * rad * np.cos(alpha))
        if self.curve == 'sine':
            return u, v + self.amplitude * np.sin(2 * np.pi * u /
                                                  self.wavelength + self.phase)
        return u, v

    def curve_inverse(self, x: np.ndarray,
                      y: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Curve space -> text space (before the shift)."""
        if self.curve == 'arc':
            s, r0 = self.sign, self.radius
            dx, dy = x - self.u_c, y - (self.v_b + s * r0)
            alpha = np.arctan2(dx, -s * dy)
            rad = np.hypot(dx, dy)
            return self.u_c + alpha * r0, self.v_b - s * (rad - r0)
        if self.curve == 'sine':
            return x, y - self.amplitude * np.sin(2 * np.pi * x /
                                                  self.wavelength + self.phase)
        return x, y

    # text space <-> image --------------------------------------------------
    def forward(self, points: np.ndarray) -> np.ndarray:
        """Map text-space points to the image.

        Args:
            points (np.ndarray): (N, 2) text-space ``(u, v)``.

        Returns:
            np.ndarray: (N, 2) float64 image ``(x, y)``.
        """
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        cx, cy = self.curve_forward(pts[:, 0] + self.shift[0],
                                    pts[:, 1] + self.shift[1])
        h = self.homography
        w = h[2, 0] * cx + h[2, 1] * cy + h[2, 2]
        x = (h[0, 0] * cx + h[0, 1] * cy + h[0, 2]) / w
        y = (h[1, 0] * cx + h[1, 1] * cy + h[1, 2]) / w
        return np.stack([x, y], axis=1)

    def inverse(self, x: np.ndarray,
                y: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Map image coordinates to text space (any array shape)."""
        h = self.inv_homography
        w = h[2, 0] * x + h[2, 1] * y + h[2, 2]
        # Behind the horizon (never inside a plausible word): far outside.
        w = np.where(np.abs(w) < 1e-9, 1e-9, w)
        cx = (h[0, 0] * x + h[0, 1] * y + h[0, 2]) / w
        cy = (h[1, 0] * x + h[1, 1] * y + h[1, 2]) / w
        u, v = self.curve_inverse(cx, cy)
        return u - self.shift[0], v - self.shift[1]

    def inverse_maps(self, x0: int, y0: int, width: int,
                     height: int) -> Tuple[np.ndarray, np.ndarray]:
        """``cv2.remap`` maps for the image rectangle at (x0, y0).

        Returns:
            tuple: Two float32 (height, width) arrays of text-space u and v.
        """
        xs = np.arange(x0, x0 + width, dtype=np.float64)
        ys = np.arange(y0, y0 + height, dtype=np.float64)
        gx, gy = np.meshgrid(xs, ys)
        u, v = self.inverse(gx, gy)
        return u.astype(np.float32), v.astype(np.float32)

    def forward_maps(self, u0: float, v0: float, width: int,
                     height: int) -> Tuple[np.ndarray, np.ndarray]:
        """``cv2.remap`` maps that rectify: text-space grid -> image xy.

        Returns:
            tuple: Two float32 (height, width) arrays of image x and y.
        """
        us = np.arange(width, dtype=np.float64) + u0
        vs = np.arange(height, dtype=np.float64) + v0
        gu, gv = np.meshgrid(us, vs)
        xy = self.forward(np.stack([gu.ravel(), gv.ravel()], axis=1))
        return (xy[:, 0].reshape(height, width).astype(np.float32),
                xy[:, 1].reshape(height, width).astype(np.float32))


def box_outline(box: Tuple[float, float, float, float],
                points_per_edge: int) -> np.ndarray:
    """Polygon of an axis-aligned text-space box, mmocr order.

    Top edge left to right, then bottom edge right to left: clockwise on
    screen (y down), starting at the top-left corner.

    Args:
        box (tuple): ``(u0, v0, u1, v1)``.
        points_per_edge (int): >= 2 points on the top and bottom edges.

    Returns:
        np.ndarray: (2 * points_per_edge, 2).
    """
    u0, v0, u1, v1 = box
    us = np.linspace(u0, u1, points_per_edge)
    top = np.stack([us, np.full_like(us, v0)], axis=1)
    bottom = np.stack([us[::-1], np.full_like(us, v1)], axis=1)
    return np.concatenate([top, bottom])


def box_corners(boxes: np.ndarray) -> np.ndarray:
    """(n, 4) ``(u0, v0, u1, v1)`` boxes -> (n, 4, 2) corners, clockwise on
    screen from the top-left (:func:`box_outline` with 2 points per edge)."""
    b = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    return np.stack([b[:, [0, 1]], b[:, [2, 1]], b[:, [2, 3]], b[:, [0, 3]]],
                    axis=1)


def max_chord_gap(warp: WordWarp,
                  box: Tuple[float, float, float, float],
                  points_per_edge: int,
                  samples_per_chord: int = 8) -> float:
    """How far the warped edges of ``box`` bulge beyond its sparse outline.

    The sparse outline (``points_per_edge`` points on the top and bottom
    edges) replaces each warped edge by chords; this returns the largest
    distance, in image pixels, between a densely sampled warped edge and its
    chord, so a margin of that size keeps the exact region inside.
    """
    u0, v0, u1, v1 = box
    n = (points_per_edge - 1) * samples_per_chord + 1
    us = np.linspace(u0, u1, n)
    gap = 0.
    for v in (v0, v1):
        dense = warp.forward(np.stack([us, np.full_like(us, v)], axis=1))
        for k in range(points_per_edge - 1):
            seg = dense[k * samples_per_chord:(k + 1) * samples_per_chord + 1]
            a, b = seg[0], seg[-1]
            d = b - a
            norm = np.hypot(d[0], d[1])
            if norm < 1e-9:
                continue
            rel = seg - a
            dist = np.abs(rel[:, 0] * d[1] - rel[:, 1] * d[0]) / norm
            gap = max(gap, float(dist.max()))
    return gap


def polygon_signed_area(poly: np.ndarray) -> float:
    """Shoelace area; > 0 means clockwise on screen (image y down)."""
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def perspective_jitter(rng: np.random.Generator, half_w: float, half_h: float,
                       strength: float) -> Optional[np.ndarray]:
    """A homography moving the corners of a centred box by random offsets.

    Offsets are uniform in ``[-strength, strength] * half_h`` per axis, so
    the box stays convex and keeps its orientation.
    """
    import cv2
    src = np.array([[-half_w, -half_h], [half_w, -half_h], [half_w, half_h],
                    [-half_w, half_h]],
                   dtype=np.float32)
    dst = src + rng.uniform(
        -strength, strength, size=(4, 2)).astype(
            np.float32) * np.float32(half_h)
    return cv2.getPerspectiveTransform(src, dst).astype(np.float64)
