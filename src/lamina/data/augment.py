"""Image augmentation on NumPy arrays: flips, rotation, scaling, translation, random crop.

Every transform takes one image (C, H, W) or a batch (N, C, H, W) and returns the same
layout and dtype; in a batch each image gets its own random draw. Random transforms draw from
their own Generator (``seed`` or ``rng``), whose state ``state_dict``/``load_state_dict``
save and restore. Rotation, scaling and translation share one vectorized inverse-mapping warp:
each output pixel p reads the input at A @ (p - c) + c - t (c the image centre), sampled
bilinearly (or nearest), with ``fill`` outside the image.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from lamina.errors import ShapeError, check_in, check_nonnegative, check_seed

__all__ = [
    "Compose",
    "Normalize",
    "RandomCrop",
    "RandomHorizontalFlip",
    "RandomRotation",
    "RandomScale",
    "RandomTranslation",
    "RandomVerticalFlip",
    "RandomZoom",
    "affine_warp",
]


def _as_batch(owner: Any, x: Any) -> tuple[np.ndarray, bool]:
    x = np.asarray(x)
    if x.ndim == 3:
        return x[None], True
    if x.ndim == 4:
        return x, False
    raise ShapeError(
        f"{owner!r}: expected an image (C, H, W) or a batch (N, C, H, W), got {x.shape}"
    )


def _gather(x: np.ndarray, iy: np.ndarray, ix: np.ndarray, fill: float) -> np.ndarray:
    """x[n, :, iy[n], ix[n]] of shape (N, H, W, C), ``fill`` where the index is outside."""
    H, W = x.shape[2:]
    valid = (iy >= 0) & (iy < H) & (ix >= 0) & (ix < W)
    n = np.arange(x.shape[0])[:, None, None]
    vals = x[n, :, np.clip(iy, 0, H - 1), np.clip(ix, 0, W - 1)]
    return np.where(valid[..., None], vals, np.asarray(fill, dtype=x.dtype))


def affine_warp(
    x: np.ndarray,
    matrix: np.ndarray,
    interpolation: str = "bilinear",
    fill: float = 0.0,
) -> np.ndarray:
    """Warp each image by inverse mapping: out[n, :, p] = x[n, :, matrix[n] @ (p_y, p_x, 1)].

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    matrix : ndarray of shape (N, 2, 3)
        Maps output pixel coordinates (row, column, 1) to input coordinates (row, column).
    interpolation : {"bilinear", "nearest"}, default="bilinear"
    fill : float, default=0.0
        Value read outside the input image.

    Returns
    -------
    ndarray of shape (N, C, H, W), dtype of ``x``.
    """
    check_in("affine_warp", "interpolation", interpolation, ("bilinear", "nearest"))
    H, W = x.shape[2:]
    yy, xx = np.meshgrid(np.arange(H), np.arange(W), indexing="ij")
    grid = np.stack([yy, xx, np.ones_like(yy)]).astype(np.float64)  # (3, H, W)
    src = np.einsum("nij,jhw->nihw", matrix, grid)  # (N, 2, H, W)
    sy, sx = src[:, 0], src[:, 1]
    if interpolation == "nearest":
        out = _gather(x, np.rint(sy).astype(np.int64), np.rint(sx).astype(np.int64), fill)
    else:
        y0, x0 = np.floor(sy), np.floor(sx)
        wy, wx = (sy - y0)[..., None], (sx - x0)[..., None]
        y0, x0 = y0.astype(np.int64), x0.astype(np.int64)
        out = (
            _gather(x, y0, x0, fill) * ((1 - wy) * (1 - wx))
            + _gather(x, y0, x0 + 1, fill) * ((1 - wy) * wx)
            + _gather(x, y0 + 1, x0, fill) * (wy * (1 - wx))
            + _gather(x, y0 + 1, x0 + 1, fill) * (wy * wx)
        )
    return out.transpose(0, 3, 1, 2).astype(x.dtype, copy=False)


def _pair(value: Any) -> tuple[Any, Any]:
    """``(value, value)`` for a scalar (as ``np.isscalar`` judges), else ``value``'s two items.

    The items are returned as given; the caller checks them.
    """
    if np.isscalar(value):
        return value, value
    first, second = value
    return first, second


def _centred(linear: np.ndarray, shift: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """(N, 2, 3) matrices for src = linear @ (p - c) + c - shift, c the image centre."""
    c = (np.array(shape[2:], dtype=np.float64) - 1) / 2
    offset = c - np.einsum("nij,j->ni", linear, c) - shift
    return np.concatenate([linear, offset[..., None]], axis=2)


def _range(owner: Any, name: str, value: Any, symmetric_about: float) -> tuple[float, float]:
    """(lo, hi) from a pair, or from one number v as (about - v, about + v)."""
    if isinstance(value, (int, float, np.number)):
        check_nonnegative(owner, **{name: value})
        return symmetric_about - float(value), symmetric_about + float(value)
    lo, hi = (float(v) for v in value)
    if lo > hi:
        raise ValueError(f"{owner}: {name} must be (lo, hi) with lo <= hi, got {value!r}")
    return lo, hi


class RandomTransform:
    """Base of the random transforms: owns a Generator and the (C,H,W)/(N,C,H,W) handling."""

    def __init__(self, seed: int | None = None, rng: np.random.Generator | None = None) -> None:
        self.rng = (
            rng if rng is not None else np.random.default_rng(check_seed(type(self).__name__, seed))
        )

    def __call__(self, x: Any) -> np.ndarray:
        batch, single = _as_batch(self, x)
        out = self._apply(batch)
        return out[0] if single else out

    def _apply(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """The Generator's state."""
        return {"rng": self.rng.bit_generator.state}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore the Generator's state from ``state_dict``."""
        self.rng.bit_generator.state = state["rng"]


class RandomHorizontalFlip(RandomTransform):
    """Mirror left-right (reverse the W axis) with probability ``p``.

    Parameters
    ----------
    p : float, default=0.5
    seed : int or None, default=None
    rng : numpy.random.Generator or None, default=None
    """

    axis = -1

    def __init__(self, p: float = 0.5, seed: int | None = None, rng: Any = None) -> None:
        if not 0 <= p <= 1:
            raise ValueError(f"{type(self).__name__}: p must be in [0, 1], got {p!r}")
        super().__init__(seed, rng)
        self.p = p

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p={self.p})"

    def _apply(self, x: np.ndarray) -> np.ndarray:
        flip = self.rng.random((x.shape[0],)) < self.p
        return np.where(flip[:, None, None, None], np.flip(x, axis=self.axis), x)


class RandomVerticalFlip(RandomHorizontalFlip):
    """Mirror top-bottom (reverse the H axis) with probability ``p``."""

    axis = -2


class _RandomAffine(RandomTransform):
    def __init__(self, interpolation: str, fill: float, seed: Any, rng: Any) -> None:
        check_in(type(self).__name__, "interpolation", interpolation, ("bilinear", "nearest"))
        super().__init__(seed, rng)
        self.interpolation, self.fill = interpolation, fill

    def _matrices(self, shape: tuple[int, ...]) -> np.ndarray:
        raise NotImplementedError

    def _apply(self, x: np.ndarray) -> np.ndarray:
        return affine_warp(x, self._matrices(x.shape), self.interpolation, self.fill)


class RandomRotation(_RandomAffine):
    """Rotate about the image centre by an angle drawn uniformly from ``degrees``.

    Positive angles turn the image counter-clockwise (90 degrees equals ``np.rot90``).

    Parameters
    ----------
    degrees : float or (float, float)
        v means the range (-v, v); a pair is (lo, hi).
    interpolation : {"bilinear", "nearest"}, default="bilinear"
    fill : float, default=0.0
        Value of pixels rotated in from outside.
    seed, rng : seed or Generator of the transform's draws.
    """

    def __init__(
        self,
        degrees: float | Sequence[float],
        interpolation: str = "bilinear",
        fill: float = 0.0,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(interpolation, fill, seed, rng)
        self.degrees = _range(type(self).__name__, "degrees", degrees, 0.0)

    def __repr__(self) -> str:
        return f"RandomRotation(degrees={self.degrees})"

    def _matrices(self, shape: tuple[int, ...]) -> np.ndarray:
        theta = np.deg2rad(self.rng.uniform(*self.degrees, size=shape[0]))
        c, s = np.cos(theta), np.sin(theta)
        # Rows are (y, x) with y pointing down: [[c, s], [-s, c]] is a counter-clockwise turn.
        linear = np.stack([np.stack([c, s], -1), np.stack([-s, c], -1)], 1)
        return _centred(linear, np.zeros((shape[0], 2)), shape)


class RandomScale(_RandomAffine):
    """Zoom about the image centre by a factor drawn uniformly from ``scale`` (> 1 zooms in).

    Parameters
    ----------
    scale : (float, float), default=(0.9, 1.1)
        Range of the factor; both > 0.
    interpolation, fill, seed, rng : as ``RandomRotation``.
    """

    def __init__(
        self,
        scale: Sequence[float] = (0.9, 1.1),
        interpolation: str = "bilinear",
        fill: float = 0.0,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(interpolation, fill, seed, rng)
        lo, hi = _range(type(self).__name__, "scale", scale, 1.0)
        if lo <= 0:
            raise ValueError(f"{type(self).__name__}: scale must be > 0, got {scale!r}")
        self.scale = (lo, hi)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(scale={self.scale})"

    def _matrices(self, shape: tuple[int, ...]) -> np.ndarray:
        s = self.rng.uniform(*self.scale, size=shape[0])
        linear = np.eye(2)[None] / s[:, None, None]
        return _centred(linear, np.zeros((shape[0], 2)), shape)


RandomZoom = RandomScale


class RandomTranslation(_RandomAffine):
    """Shift by up to a fraction of the height and width, drawn uniformly per image.

    Parameters
    ----------
    translate : float or (float, float), default=(0.1, 0.1)
        Largest shift as a fraction of (H, W), each in [0, 1]; one number serves both.
    interpolation : {"bilinear", "nearest"}, default="nearest"
        Nearest keeps whole-pixel shifts exact.
    fill, seed, rng : as ``RandomRotation``.
    """

    def __init__(
        self,
        translate: float | Sequence[float] = (0.1, 0.1),
        interpolation: str = "nearest",
        fill: float = 0.0,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(interpolation, fill, seed, rng)
        fy, fx = _pair(translate)
        if not (0 <= fy <= 1 and 0 <= fx <= 1):
            raise ValueError(f"RandomTranslation: translate must be in [0, 1], got {translate!r}")
        self.translate = (float(fy), float(fx))

    def __repr__(self) -> str:
        return f"RandomTranslation(translate={self.translate})"

    def _matrices(self, shape: tuple[int, ...]) -> np.ndarray:
        limit = np.array(self.translate) * shape[2:]
        shift = self.rng.uniform(-1, 1, size=(shape[0], 2)) * limit
        return _centred(np.broadcast_to(np.eye(2), (shape[0], 2, 2)), shift, shape)


class RandomCrop(RandomTransform):
    """Pad each side by ``padding`` (with ``fill``), then cut a random ``size`` window.

    Parameters
    ----------
    size : int or (int, int)
        Output (height, width).
    padding : int, default=0
    fill : float, default=0.0
    seed, rng : seed or Generator of the transform's draws.
    """

    def __init__(
        self,
        size: int | Sequence[int],
        padding: int = 0,
        fill: float = 0.0,
        seed: int | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(seed, rng)
        h, w = _pair(size)
        if min(h, w) <= 0 or padding < 0:
            raise ValueError(
                f"RandomCrop: size must be > 0 and padding >= 0, got {size}, {padding}"
            )
        self.size, self.padding, self.fill = (int(h), int(w)), int(padding), fill

    def __repr__(self) -> str:
        return f"RandomCrop(size={self.size}, padding={self.padding})"

    def _apply(self, x: np.ndarray) -> np.ndarray:
        p, (h, w) = self.padding, self.size
        x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=self.fill)
        N, _, H, W = x.shape
        if h > H or w > W:
            raise ShapeError(f"{self!r}: crop {self.size} is larger than the padded image {(H, W)}")
        top = self.rng.integers(0, H - h + 1, size=N)
        left = self.rng.integers(0, W - w + 1, size=N)
        rows = (top[:, None] + np.arange(h))[:, :, None]
        cols = (left[:, None] + np.arange(w))[:, None, :]
        return x[np.arange(N)[:, None, None], :, rows, cols].transpose(0, 3, 1, 2)


class Normalize:
    """Per-channel standardization: out[:, c] = (x[:, c] - mean[c]) / std[c].

    Parameters
    ----------
    mean, std : sequence of float, one per channel
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float]) -> None:
        self.mean = np.asarray(mean, dtype=np.float64)
        self.std = np.asarray(std, dtype=np.float64)
        if np.any(self.std <= 0):
            raise ValueError(f"Normalize: std must be > 0, got {list(std)}")

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean.tolist()}, std={self.std.tolist()})"

    def __call__(self, x: Any) -> np.ndarray:
        batch, single = _as_batch(self, x)
        if batch.shape[1] != self.mean.shape[0]:
            raise ShapeError(f"{self!r}: expected {self.mean.shape[0]} channels, got {batch.shape}")
        shape = (1, -1, 1, 1)
        out = ((batch - self.mean.reshape(shape)) / self.std.reshape(shape)).astype(
            batch.dtype if batch.dtype.kind == "f" else np.float32
        )
        return out[0] if single else out


class Compose:
    """Apply transforms one after another: Compose([f, g])(x) = g(f(x)).

    Parameters
    ----------
    transforms : sequence of callable
    """

    def __init__(self, transforms: Sequence[Callable[[np.ndarray], np.ndarray]]) -> None:
        self.transforms = list(transforms)

    def __repr__(self) -> str:
        return f"Compose([{', '.join(repr(t) for t in self.transforms)}])"

    def __call__(self, x: Any) -> np.ndarray:
        for t in self.transforms:
            x = t(x)
        return x

    def state_dict(self) -> dict[str, Any]:
        """The states of the members that have one, by position."""
        return {
            str(i): t.state_dict()
            for i, t in enumerate(self.transforms)
            if hasattr(t, "state_dict")
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what ``state_dict`` returned."""
        for i, t in enumerate(self.transforms):
            if str(i) in state:
                # only transforms with state_dict have a key in state
                t.load_state_dict(state[str(i)])  # type: ignore[attr-defined]
