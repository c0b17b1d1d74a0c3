"""Classic image kernels (edges, sharpening, blurring) applied with lamina's own conv2d.

Deep-learning "convolution" (``conv2d``) is cross-correlation:
y[p, q] = sum_{i, j} k[i, j] * x[p + i, q + j]. True convolution flips the kernel:
y[p, q] = sum_{i, j} k[i, j] * x[p - i, q - j], so convolve2d(x, k) = correlate2d(x, flip(k)).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lamina.autodiff.grad_mode import no_grad
from lamina.autodiff.tensor import Tensor, as_tensor
from lamina.errors import ShapeError, check_in
from lamina.ops import conv2d, pad

__all__ = [
    "KERNELS",
    "MODES",
    "box_blur",
    "convolve2d",
    "correlate2d",
    "emboss",
    "filter2d",
    "gaussian_kernel",
    "laplacian",
    "prewitt_x",
    "prewitt_y",
    "sharpen",
    "sobel_edges",
    "sobel_x",
    "sobel_y",
]

MODES = ("valid", "same", "full")


def sobel_x() -> np.ndarray:
    """Sobel x-derivative [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]: > 0 where x brightens rightwards."""
    return np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)


def sobel_y() -> np.ndarray:
    """Sobel y-derivative, the transpose of ``sobel_x``: > 0 where x brightens downwards."""
    return sobel_x().T.copy()


def prewitt_x() -> np.ndarray:
    """Prewitt x-derivative [[-1, 0, 1]] * 3 rows: an unweighted central difference."""
    return np.array([[-1, 0, 1]] * 3, np.float32)


def prewitt_y() -> np.ndarray:
    """Prewitt y-derivative, the transpose of ``prewitt_x``."""
    return prewitt_x().T.copy()


def laplacian(neighbours: int = 4) -> np.ndarray:
    """Laplacian d2/dx2 + d2/dy2: [[0, 1, 0], [1, -4, 1], [0, 1, 0]] (4) or all 1, centre -8 (8)."""
    check_in("laplacian", "neighbours", neighbours, (4, 8))
    if neighbours == 4:
        return np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], np.float32)
    k = np.ones((3, 3), np.float32)
    k[1, 1] = -8
    return k


def sharpen() -> np.ndarray:
    """Sharpen [[0, -1, 0], [-1, 5, -1], [0, -1, 0]] = identity - 4-neighbour Laplacian."""
    return np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], np.float32)


def box_blur(size: int = 3) -> np.ndarray:
    """Box blur: every weight 1 / size**2 (the local mean)."""
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"box_blur: size must be a positive integer, got {size!r}")
    return np.full((size, size), 1.0 / size**2, np.float32)


def gaussian_kernel(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    """Gaussian blur: k[i, j] = exp(-(u_i**2 + u_j**2) / (2 sigma**2)) / Z, u = i - (size-1)/2.

    Z normalizes the weights to sum 1.
    """
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"gaussian_kernel: size must be a positive integer, got {size!r}")
    if not sigma > 0:
        raise ValueError(f"gaussian_kernel: sigma must be > 0, got {sigma!r}")
    u = np.arange(size) - (size - 1) / 2
    g = np.exp(-(u[:, None] ** 2 + u[None, :] ** 2) / (2 * sigma**2))
    return (g / g.sum()).astype(np.float32)


def emboss() -> np.ndarray:
    """Emboss [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]: a diagonal derivative plus the image."""
    return np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], np.float32)


KERNELS = {
    "sobel_x": sobel_x,
    "sobel_y": sobel_y,
    "prewitt_x": prewitt_x,
    "prewitt_y": prewitt_y,
    "laplacian": laplacian,
    "sharpen": sharpen,
    "box_blur": box_blur,
    "gaussian": gaussian_kernel,
    "emboss": emboss,
}


def _as_float(x: Any) -> Tensor:
    t = as_tensor(x)
    return t if np.issubdtype(t.dtype, np.floating) else as_tensor(t.data.astype(np.float32))


def filter2d(image: Any, kernel: Any, mode: str = "same") -> Any:
    """Cross-correlate each channel of ``image`` with one 2-D ``kernel`` by ``conv2d``.

    y[..., p, q] = sum_{i, j} kernel[i, j] * x_pad[..., p + i, q + j], zero padding: none
    ("valid", output H - kh + 1), kh - 1 on each side ("full", H + kh - 1), or the centre of
    "full" ("same", H; an even kernel's extra zero goes at the end, as PyTorch's
    padding="same" and scipy.signal.correlate2d).

    Parameters
    ----------
    image : array or Tensor (H, W), (C, H, W) or (N, C, H, W)
        Integer images are filtered as float32.
    kernel : array (kh, kw)
    mode : {"same", "valid", "full"}

    Returns
    -------
    The filtered image(s), an ndarray for array input, a Tensor (differentiable) for Tensor
    input; float32 unless the input was float64.

    Examples
    --------
    >>> filter2d(np.eye(3), sharpen())
    array([[ 5., -2.,  0.],
           [-2.,  5., -2.],
           [ 0., -2.,  5.]])
    """
    return _filter("filter2d", image, kernel, mode, convolve=False)


def _filter(owner: str, image: Any, kernel: Any, mode: str, convolve: bool) -> Any:
    """``filter2d`` naming ``owner``; ``convolve`` flips the kernel and centres as convolve2d."""
    check_in(owner, "mode", mode, MODES)
    x = _as_float(image)
    k = np.asarray(getattr(kernel, "data", kernel))
    if k.ndim != 2:
        raise ShapeError(f"{owner}: expected a 2-D kernel (kh, kw), got {k.shape}")
    if x.ndim not in (2, 3, 4):
        raise ShapeError(
            f"{owner}: expected an image (H, W), (C, H, W) or (N, C, H, W), got {x.shape}"
        )
    shape = x.shape
    kh, kw = k.shape
    if mode == "valid" and (shape[-2] < kh or shape[-1] < kw):
        raise ShapeError(f"{owner}: 'valid' needs an image at least {k.shape}, got {shape}")
    k = k[::-1, ::-1] if convolve else k
    planes = x.reshape(-1, 1, *shape[-2:])  # every channel on its own: (N*C, 1, H, W)
    if mode != "valid":
        planes = pad(planes, (kw - 1, kw - 1, kh - 1, kh - 1))
    out = conv2d(planes, as_tensor(np.ascontiguousarray(k, dtype=x.dtype)[None, None]))
    if mode == "same":  # convolution's centre: (k - 1) // 2 of "full"; correlation's: k // 2
        top, left = ((kh - 1) // 2, (kw - 1) // 2) if convolve else (kh // 2, kw // 2)
        out = out[:, :, top : top + shape[-2], left : left + shape[-1]]
    out = out.reshape(*shape[:-2], *out.shape[-2:])
    return out if isinstance(image, Tensor) else out.data


def correlate2d(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    """2-D cross-correlation of one image (H, W), as scipy.signal.correlate2d (zero fill).

    y[p, q] = sum_{i, j} k[i, j] * x[p + i, q + j]: what ``conv2d`` computes.
    """
    x = np.asarray(image)
    if x.ndim != 2:
        raise ShapeError(f"correlate2d: expected an image (H, W), got {x.shape}")
    with no_grad():
        return _filter("correlate2d", x, kernel, mode, convolve=False)


def convolve2d(image: Any, kernel: Any, mode: str = "full") -> np.ndarray:
    """2-D convolution of one image (H, W), as scipy.signal.convolve2d (zero fill).

    y[p, q] = sum_{i, j} k[i, j] * x[p - i, q - j] = correlate2d(x, k[::-1, ::-1]) ("full").
    """
    x = np.asarray(image)
    if x.ndim != 2:
        raise ShapeError(f"convolve2d: expected an image (H, W), got {x.shape}")
    with no_grad():
        return _filter("convolve2d", x, kernel, mode, convolve=True)


def sobel_edges(image: Any) -> tuple[np.ndarray, np.ndarray]:
    """Edge magnitude sqrt(gx**2 + gy**2) and direction atan2(gy, gx) (radians) from Sobel.

    gx = filter2d(image, sobel_x), gy = filter2d(image, sobel_y), "same" size.
    """
    with no_grad():
        gx = np.asarray(filter2d(np.asarray(getattr(image, "data", image)), sobel_x()))
        gy = np.asarray(filter2d(np.asarray(getattr(image, "data", image)), sobel_y()))
    return np.hypot(gx, gy), np.arctan2(gy, gx)
