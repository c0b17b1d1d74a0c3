"""The compiled im2col and col2im equal PyTorch's unfold and fold (its adjoint), for odd
shapes, strides, dilations, asymmetric kernels, padding and both memory layouts."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch

pytest.importorskip("numba", reason="the lamina[fast] extra (Numba) is not installed")

from lamina.kernels.numba.im2col import col2im, im2col

CASES = [  # (N, C, H, W), kernel, stride, dilation, padding
    ((3, 2, 7, 6), (3, 3), (1, 1), (1, 1), (1, 1)),
    ((2, 3, 9, 8), (2, 3), (2, 1), (1, 1), (0, 1)),
    ((2, 1, 10, 11), (3, 3), (2, 2), (2, 2), (2, 2)),
    ((1, 4, 5, 5), (5, 5), (1, 1), (1, 1), (0, 0)),
    ((4, 6, 14, 14), (5, 5), (1, 1), (1, 1), (2, 2)),
]
IDS = ["3x3-pad1", "2x3-stride2x1", "dilated", "kernel-covers-input", "lenet-conv"]


def _geometry(shape, kernel, stride, dilation, pad) -> SimpleNamespace:
    """The window geometry the kernels read (the attributes of lamina's Geometry)."""
    h, w = shape[2:]
    out = tuple(
        (size + 2 * p - d * (k - 1) - 1) // s + 1
        for size, k, s, d, p in zip((h, w), kernel, stride, dilation, pad)
    )
    pads = tuple((p, p) for p in pad)
    return SimpleNamespace(
        in_hw=(h, w), out_hw=out, kernel=kernel, stride=stride, dilation=dilation, pads=pads
    )


def _unfold(x: np.ndarray, case) -> np.ndarray:
    """PyTorch's unfold as lamina's (C*kh*kw, N*Ho*Wo) matrix."""
    _, kernel, stride, dilation, pad = case
    u = torch.nn.functional.unfold(
        torch.from_numpy(np.ascontiguousarray(x)), kernel, dilation, pad, stride
    ).numpy()
    return u.transpose(1, 0, 2).reshape(u.shape[1], -1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("channels_first", [False, True], ids=["nchw", "cnhw-memory"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_im2col_equals_torch_unfold(case, channels_first: bool, dtype) -> None:
    shape = case[0]
    rng = np.random.default_rng(0)
    if channels_first:
        x = rng.standard_normal((shape[1], shape[0], *shape[2:])).astype(dtype)
        x = x.transpose(1, 0, 2, 3)
    else:
        x = rng.standard_normal(shape).astype(dtype)
    cols = im2col(x, _geometry(*case))
    assert cols.dtype == dtype
    np.testing.assert_array_equal(cols, _unfold(x, case))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_col2im_equals_torch_fold(case, dtype) -> None:
    shape, kernel, stride, dilation, pad = case
    geom = _geometry(*case)
    n, c = shape[:2]
    rows, cols_n = c * kernel[0] * kernel[1], n * geom.out_hw[0] * geom.out_hw[1]
    cols = np.random.default_rng(1).standard_normal((rows, cols_n)).astype(dtype)
    dx = col2im(cols, geom, n)
    t = torch.from_numpy(cols.reshape(rows, n, -1).transpose(1, 0, 2).copy())
    want = torch.nn.functional.fold(t, shape[2:], kernel, dilation, pad, stride).numpy()
    assert dx.shape == shape and dx.dtype == dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(dx, want, rtol=tol, atol=tol)


def test_col2im_is_the_adjoint_of_im2col() -> None:
    """<im2col(x), c> = <x, col2im(c)> for random x and c (float64)."""
    case = CASES[2]
    geom = _geometry(*case)
    rng = np.random.default_rng(2)
    x = rng.standard_normal(case[0])
    c = rng.standard_normal(im2col(x, geom).shape)
    assert np.isclose(np.vdot(im2col(x, geom), c), np.vdot(x, col2im(c, geom, case[0][0])))
