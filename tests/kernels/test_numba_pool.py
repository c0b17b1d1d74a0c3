"""The compiled max pooling equals PyTorch's max_pool2d: values, the argmax (PyTorch's flat
indices recovered from the window offsets) and the gradient, with padding, dilation,
overlapping windows, ties, -inf and NaN."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch

pytest.importorskip("numba", reason="the lamina[fast] extra (Numba) is not installed")

from lamina.kernels.numba.pool import max_pool2d_backward, max_pool2d_forward

CASES = [  # (N, C, H, W), kernel, stride, padding, dilation
    ((2, 3, 8, 8), 2, 2, 0, 1),
    ((2, 3, 7, 9), 3, 2, 1, 1),
    ((1, 2, 9, 9), (2, 3), (1, 2), (1, 1), 1),
    ((2, 2, 11, 10), 3, 1, 1, 2),
    ((3, 1, 5, 5), 5, 1, 2, 1),
]
IDS = ["2x2-tiles", "3x3-stride2-pad1", "2x3-overlapping", "dilated", "pad-half-kernel"]


def pool_geometry(shape, k, s, p, d) -> SimpleNamespace:
    """The window geometry the kernels read (the attributes of lamina's Geometry)."""
    k, s, p, d = ((v, v) if isinstance(v, int) else v for v in (k, s, p, d))
    out = tuple(
        (n + 2 * pp - dd * (kk - 1) - 1) // ss + 1
        for n, kk, ss, pp, dd in zip(shape[2:], k, s, p, d)
    )
    return SimpleNamespace(
        in_hw=shape[2:],
        out_hw=out,
        kernel=k,
        stride=s,
        dilation=d,
        pads=tuple((pp, pp) for pp in p),
    )


def _torch(x: np.ndarray, case, g: np.ndarray):
    _, k, s, p, d = case
    xt = torch.tensor(np.ascontiguousarray(x), requires_grad=True)
    y, idx = torch.nn.functional.max_pool2d(xt, k, s, p, d, return_indices=True)
    y.backward(torch.from_numpy(g))
    return y.detach().numpy(), idx.numpy(), xt.grad.numpy()


def _flat_indices(k: np.ndarray, geom) -> np.ndarray:
    kw = geom.kernel[1]
    (sh, sw), (dh, dw), (ho, wo) = geom.stride, geom.dilation, geom.out_hw
    (pt, _), (pl, _) = geom.pads
    rows = np.arange(ho)[:, None] * sh + (k // kw) * dh - pt
    cols = np.arange(wo)[None, :] * sw + (k % kw) * dw - pl
    return rows * geom.in_hw[1] + cols


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", ["nchw", "cnhw-memory"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_max_pool_equals_torch(case, layout: str, dtype) -> None:
    shape, k, s, p, d = case
    rng = np.random.default_rng(0)
    x = rng.integers(-3, 4, shape).astype(dtype)  # small integers: many ties
    if layout == "cnhw-memory":
        x = np.ascontiguousarray(x.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)
    geom = pool_geometry(shape, k, s, p, d)
    y, offsets = max_pool2d_forward(x, geom)
    g = rng.standard_normal(y.shape).astype(dtype)
    ty, tidx, tdx = _torch(x, case, g)
    assert y.dtype == dtype and y.shape == ty.shape
    np.testing.assert_array_equal(y, ty)
    np.testing.assert_array_equal(_flat_indices(offsets, geom), tidx)
    dx = max_pool2d_backward(g, offsets, geom)
    assert dx.shape == shape and dx.dtype == dtype
    tol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(dx, tdx, rtol=tol, atol=tol)


def test_max_pool_nan_and_minus_inf_windows() -> None:
    """A NaN wins its window (the first NaN when several); a window of -inf gives -inf."""
    x = np.array([[[[1.0, np.nan, np.nan, 2.0], [-np.inf, -np.inf, 0.0, 5.0]]]])
    geom = pool_geometry(x.shape, 2, 2, 0, 1)
    y, k = max_pool2d_forward(x, geom)
    assert np.isnan(y[0, 0, 0, 0]) and np.isnan(y[0, 0, 0, 1])
    assert k[0, 0, 0, 0] == 1 and k[0, 0, 0, 1] == 0
    x2 = np.full((1, 1, 2, 2), -np.inf)
    y2, _ = max_pool2d_forward(x2, pool_geometry(x2.shape, 2, 2, 0, 1))
    assert y2[0, 0, 0, 0] == -np.inf
